"""`portal new` driven through a pseudo-terminal, and `portal preview` built and served on loopback."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO_ROOT, VALID_PROPOSAL
from portal.preview import PreviewError, build_preview, prepare_content
from portal.sitebuild import make_server
from portal.validate import validate_proposal_file, validate_record_file

# A guard against a hung child process, not a performance expectation.
READ_GUARD_SECONDS = 60


class Terminal:
    """A child process on a pseudo-terminal, read until an expected prompt appears."""

    def __init__(self, argv: list[str], cwd: Path):
        self.master, slave = pty.openpty()
        environment = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                                        env=environment, close_fds=True)
        os.close(slave)
        self.transcript = ""

    def expect(self, text: str) -> str:
        start = len(self.transcript)
        while text not in self.transcript[start:]:
            ready, _, _ = select.select([self.master], [], [], READ_GUARD_SECONDS)
            if not ready:
                raise AssertionError(f"prompt {text!r} never appeared; output so far:\n{self.transcript[-2000:]}")
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                chunk = b""
            if not chunk:
                raise AssertionError(f"process ended before {text!r}; output:\n{self.transcript[-2000:]}")
            self.transcript += chunk.decode("utf-8", errors="replace")
        return self.transcript[start:]

    def send(self, line: str) -> None:
        os.write(self.master, (line + "\n").encode("utf-8"))

    def finish(self) -> int:
        while True:
            ready, _, _ = select.select([self.master], [], [], READ_GUARD_SECONDS)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 4096)
            except OSError:
                break
            if not chunk:
                break
            self.transcript += chunk.decode("utf-8", errors="replace")
        code = self.process.wait(timeout=READ_GUARD_SECONDS)
        os.close(self.master)
        return code


# (prompt expected, answer typed). Invalid answers come first where a field is re-asked, so the
# script also proves that each answer is checked as it is typed.
SCRIPT = [
    ("slug: ", "Phần mềm"),
    ("slug: ", "phan-mem-dieu-hanh-tac-nghiep"),
    ("kind (chọn một số): ", "7"),
    ("kind (chọn một số): ", "1"),
    ("domains (các số", "3"),
    ("name.vi: ", "Phần mềm điều hành tác nghiệp"),
    ("name.en: ", ""),
    ("summary.vi: ", "Ngắn quá"),
    ("summary.vi: ", "Phần mềm giúp cơ quan nhà nước cấp xã điều hành công việc hằng ngày trên thiết bị di động."),
    ("description.vi> ", "Phần mềm gồm các chức năng **giao việc** và theo dõi tiến độ."),
    ("> ", ""),
    ("> ", "- Ký số trên điện thoại"),
    ("> ", "."),
    ("fields (các số", "6"),
    ("owner.type (chọn một số): ", "1"),
    ("owner.name: ", "Công ty TNHH Phần mềm Thử nghiệm"),
    ("owner.country [VN]: ", ""),
    ("owner.tax_code: ", "0100109107"),
    ("owner.tax_code: ", "0100109106"),
    ("owner.province: ", "Hà Tây"),
    ("owner.province: ", "Đà Nẵng"),
    ("owner.website: ", ""),
    ("contact.name: ", "Phòng Kinh doanh"),
    ("contact.email: ", ""),
    ("contact.phone: ", "024 3123 4567"),
    ("deployments[0].user: ", "Ủy ban nhân dân phường Hải Châu"),
    ("deployments[0].province: ", "Đà Nẵng"),
    ("deployments[0].since: ", "2024-13"),
    ("deployments[0].since: ", "2024-05"),
    ("deployments[0].scale: ", "80 cán bộ"),
    ("Thêm một nơi triển khai khác? (c/k): ", "c"),
    ("deployments[1].user: ", "Sở Nội vụ"),
    ("deployments[1].province: ", "Huế"),
    ("deployments[1].since: ", "2023"),
    ("deployments[1].scale: ", ""),
    ("Thêm một nơi triển khai khác? (c/k): ", "k"),
    ("effectiveness.description.vi> ", "Giảm một nửa thời gian xử lý hồ sơ công việc."),
    ("> ", "."),
    ("technology_mastery.level (chọn một số): ", "1"),
    ("Thêm một giải thưởng? (c/k): ", "c"),
    ("awards[0].name: ", "Giải thưởng Chuyển đổi số Việt Nam"),
    ("awards[0].year: ", "2024"),
    ("awards[0].organiser: ", ""),
    ("Thêm một giải thưởng khác? (c/k): ", "k"),
    ("seeking (các số", "3"),
    ("support_requested (các số", ""),
    ("trung thực, chính xác? (c/k): ", "c"),
    ("tại Việt Nam? (c/k): ", "c"),
    ("dữ liệu cá nhân? (c/k): ", "c"),
]


def run_new(output_dir: Path, cwd: Path) -> tuple[int, str]:
    terminal = Terminal([sys.executable, "-m", "portal.cli", "new", "--output-dir", str(output_dir)], cwd)
    for prompt, answer in SCRIPT:
        terminal.expect(prompt)
        terminal.send(answer)
    code = terminal.finish()
    return code, terminal.transcript


def test_new_writes_valid_proposal(tmp_path):
    output_dir = tmp_path / "content" / "proposals"
    code, transcript = run_new(output_dir, REPO_ROOT)

    target = output_dir / "phan-mem-dieu-hanh-tac-nghiep.yaml"
    assert code == 0, transcript[-3000:]
    assert target.is_file()
    document = validate_proposal_file(target)
    assert document.problems == []

    data = document.data
    assert len(data["deployments"]) == 2
    assert data["owner"]["tax_code"] == "0100109106"
    assert data["owner"]["province"] == "Đà Nẵng"
    assert data["awards"] == [{"name": "Giải thưởng Chuyển đổi số Việt Nam", "year": 2024}]
    assert data["contact"] == {"name": "Phòng Kinh doanh", "phone": "024 3123 4567"}
    assert "support_requested" not in data
    assert "**giao việc**" in data["description"]["vi"]
    assert "\n\n- Ký số trên điện thoại" in data["description"]["vi"]


def test_new_starts_file_with_schema_line(tmp_path):
    output_dir = tmp_path / "content" / "proposals"
    code, transcript = run_new(output_dir, REPO_ROOT)
    assert code == 0, transcript[-3000:]

    first_line = (output_dir / "phan-mem-dieu-hanh-tac-nghiep.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.startswith("# yaml-language-server: $schema=")
    schema_path = first_line.split("$schema=", 1)[1]
    assert (output_dir / schema_path).resolve() == (REPO_ROOT / "schema" / "proposal.schema.json").resolve()


def test_new_rejects_bad_answers_in_vietnamese(tmp_path):
    code, transcript = run_new(tmp_path / "content" / "proposals", REPO_ROOT)
    assert code == 0, transcript[-3000:]

    errors = [line for line in transcript.splitlines() if line.startswith("Lỗi:")]
    # slug, kind, summary, tax code, former province, month 13: each rejected once.
    assert len(errors) == 6, "\n".join(errors)
    assert any("0100109107" in line for line in errors)
    assert any("Hà Tây" in line and "Hà Nội" in line for line in errors)
    assert all("Cách sửa:" in line for line in errors)
    assert "Traceback" not in transcript


def test_new_shows_privacy_notice(tmp_path):
    code, transcript = run_new(tmp_path / "content" / "proposals", REPO_ROOT)
    assert code == 0
    before_contact = transcript.split("contact.name: ", 1)[0]
    assert "không bao giờ được công bố" in before_contact


def test_new_cancelled_writes_nothing(tmp_path):
    output_dir = tmp_path / "content" / "proposals"
    terminal = Terminal([sys.executable, "-m", "portal.cli", "new", "--output-dir", str(output_dir)], REPO_ROOT)
    terminal.expect("slug: ")
    terminal.send("phan-mem-bo-do")
    terminal.expect("kind (chọn một số): ")
    os.write(terminal.master, b"\x04")  # Ctrl+D at the start of a line: end of input
    code = terminal.finish()

    assert code == 1
    assert "Chưa ghi tệp nào" in terminal.transcript
    assert "Traceback" not in terminal.transcript
    assert not output_dir.exists() or list(output_dir.iterdir()) == []


def test_preview_record_is_valid_and_selected(tmp_path):
    content, slug = prepare_content(VALID_PROPOSAL, tmp_path / "missing-content", tmp_path)

    record = content / "evaluations" / f"{slug}.yaml"
    document = validate_record_file(record)
    assert document.problems == []
    assert document.data["decision"]["outcome"] == "selected"
    assert (content / "proposals" / f"{slug}.yaml").read_bytes() == VALID_PROPOSAL.read_bytes()


def test_preview_rejects_invalid_proposal(tmp_path):
    broken = tmp_path / "in" / "he-thong-quan-ly-van-ban.yaml"
    broken.parent.mkdir()
    broken.write_text(VALID_PROPOSAL.read_text(encoding="utf-8").replace('"0100109106"', '"0100109107"'),
                      encoding="utf-8")

    with pytest.raises(PreviewError) as caught:
        prepare_content(broken, tmp_path / "missing-content", tmp_path / "work")
    assert any(problem.path == "owner.tax_code" for problem in caught.value.problems)
    assert not (tmp_path / "work" / "content").exists()


@pytest.mark.slow
def test_preview_serves_product_page(tmp_path):
    site, product_path = build_preview(VALID_PROPOSAL, tmp_path)
    assert product_path == "san-pham/he-thong-quan-ly-van-ban/"

    server = make_server(site, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/{product_path}") as response:
            page = response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()

    assert "Hệ thống quản lý văn bản và điều hành" in page
    assert "kinhdoanh@phanmemmau.example.vn" not in page
    assert "024 3123 4567" not in page


def test_preview_command_reports_missing_file(tmp_path):
    result = subprocess.run([sys.executable, "-m", "portal.cli", "preview", str(tmp_path / "khong-co.yaml"),
                             "--port", "0"], cwd=REPO_ROOT, capture_output=True, text=True,
                            timeout=READ_GUARD_SECONDS)
    assert result.returncode == 1
    assert "Không tìm thấy tệp" in result.stderr
    assert "Traceback" not in result.stderr


def test_preview_leaves_repository_content_alone(tmp_path):
    content_copy = tmp_path / "content-source"
    shutil.copytree(REPO_ROOT / "content", content_copy)
    before = sorted(path.relative_to(content_copy) for path in content_copy.rglob("*"))

    prepare_content(VALID_PROPOSAL, content_copy, tmp_path / "work")

    after = sorted(path.relative_to(content_copy) for path in content_copy.rglob("*"))
    assert before == after
