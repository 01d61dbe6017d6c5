"""The benchmark command runs end to end on 50 products and writes every section of its report."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO_ROOT
from github_server.harness import require_node_packages

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SECTIONS = ("## Máy đo", "## Dựng trang", "## Kiểm tra hồ sơ", "## Bot rà soát", "## Trọng lượng trang và tìm kiếm",
            "## So với mục tiêu")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    require_node_packages()
    folder = tmp_path_factory.mktemp("bench")
    output = folder / "benchmarks.md"
    completed = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "run.py"), "--quick", "--output", str(output),
         "--work", str(folder / "work")],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    return output.read_text(encoding="utf-8")


def test_bench_report_has_every_section(report):
    for section in SECTIONS:
        assert section in report


def test_bench_report_rows_for_each_measurement(report):
    assert "| 50 | " in report
    assert "| 100 | " in report
    for event in ("pull_request opened", "pull_request synchronize", "bình luận không có lệnh", "/tiep-nhan",
                  "/cong-bo", "/rut"):
        assert f"| {event} |" in report
    for page_type in ("Trang chủ", "Sản phẩm", "Tìm kiếm"):
        assert f"| {page_type} |" in report


def test_bench_report_names_machine_and_tools(report):
    for name in ("Nhân CPU", "Bộ nhớ", "Python", "Pelican", "Hugo", "check-jsonschema", "Chromium"):
        assert f"| {name} |" in report
    assert "chưa cài" not in report


def test_bench_report_judges_every_target(report):
    targets = report.split("## So với mục tiêu", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in targets.splitlines() if line.startswith("| ") and not line.startswith("| Mục tiêu")
            and not line.startswith("| ---")]
    assert len(rows) == 10
    for row in rows:
        assert row.rstrip().endswith(("| đạt |", "| **chưa đạt** |")), row
