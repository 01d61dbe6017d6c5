"""The `portal validate` command: exit codes, output formats and Vietnamese usage errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VALID_PROPOSAL = REPO_ROOT / "tests" / "fixtures" / "valid" / "he-thong-quan-ly-van-ban.yaml"


def run_portal(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "portal.cli", *args], capture_output=True, text=True,
                          cwd=REPO_ROOT, timeout=120)


def write_invalid(tmp_path: Path) -> Path:
    folder = tmp_path / "proposals"
    folder.mkdir()
    path = folder / "he-thong-quan-ly-van-ban.yaml"
    text = VALID_PROPOSAL.read_text(encoding="utf-8").replace('tax_code: "0100109106"', "tax_code: 0100000007")
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file_exits_zero():
    result = run_portal("validate", str(VALID_PROPOSAL))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hợp lệ" in result.stderr


def test_invalid_file_exits_one_with_location(tmp_path):
    path = write_invalid(tmp_path)
    result = run_portal("validate", str(path))
    assert result.returncode == 1
    assert f"{path}:22:13: owner.tax_code (Mã số thuế): Mã số thuế 0100000007" in result.stdout
    assert "Traceback" not in result.stderr


def test_json_output_parses(tmp_path):
    result = run_portal("validate", "--format", "json", str(write_invalid(tmp_path)))
    data = json.loads(result.stdout)
    assert [item["code"] for item in data] == ["check.tax_code_checksum"]
    assert data[0]["title"] == "Mã số thuế"


def test_github_output_is_annotation(tmp_path):
    result = run_portal("validate", "--format", "github", str(write_invalid(tmp_path)))
    assert result.stdout.startswith("::error file=")
    assert "title=owner.tax_code (Mã số thuế)" in result.stdout


def test_missing_path_is_usage_error():
    result = run_portal("validate", "khong-co-tep.yaml")
    assert result.returncode == 2
    assert "Không tìm thấy" in result.stderr


def test_no_arguments_is_usage_error():
    result = run_portal("validate")
    assert result.returncode == 2
    assert "thiếu tham số bắt buộc" in result.stderr
    assert "Traceback" not in result.stderr


def test_shipped_content_validates():
    result = run_portal("validate", "--content", "content", "content")
    assert result.returncode == 0, result.stdout + result.stderr


def test_empty_folder_is_usage_error(tmp_path):
    result = run_portal("validate", str(tmp_path))
    assert result.returncode == 2
    assert "không có tệp .yaml" in result.stderr


def test_folder_named_yaml_is_invalid_not_crash(tmp_path):
    folder = tmp_path / "proposals" / "x.yaml"
    folder.mkdir(parents=True)
    result = run_portal("validate", str(folder))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "không phải là tệp thông thường" in result.stdout
