"""Attachment files of a pull request, checked by the bot through the GitHub API."""

from github_server.harness import PROPOSAL, PROPOSAL_PATH, SLUG, world  # noqa: F401
from portal.checks import MAX_ATTACHMENT_BYTES, attachment_problem
from portal.stages import Stage

FOLDER = f"content/proposals/{SLUG}/"
WITH_ATTACHMENT = PROPOSAL + """attachments:
  - title: Tài liệu giới thiệu
    file: gioi-thieu.pdf
"""
PDF = b"%PDF-1.7\n" + b"0" * 200


def status_text(world, number):
    return world.status_comments(number)[0].body


def test_declared_pdf_accepted(world):
    number = world.open_proposal(text=WITH_ATTACHMENT, extra={FOLDER + "gioi-thieu.pdf": PDF})
    assert Stage.INTAKE.value in world.labels(number)
    assert "Hồ sơ chưa hợp lệ" not in world.labels(number)
    assert [size for _, size in world.state.blob_reads] == [len(PDF)]


def test_declared_missing_rejected(world):
    number = world.open_proposal(text=WITH_ATTACHMENT)
    assert "Hồ sơ chưa hợp lệ" in world.labels(number)
    assert "Không tìm thấy tệp đính kèm gioi-thieu.pdf" in status_text(world, number)
    assert FOLDER in status_text(world, number)


def test_oversized_rejected_unread(world):
    big = b"%PDF-1.7\n" + b"0" * MAX_ATTACHMENT_BYTES
    number = world.open_proposal(text=WITH_ATTACHMENT, extra={FOLDER + "gioi-thieu.pdf": big})
    assert "Hồ sơ chưa hợp lệ" in world.labels(number)
    assert "vượt giới hạn 20" in status_text(world, number)
    assert world.state.blob_reads == []


def test_wrong_content_type_rejected(world):
    number = world.open_proposal(text=WITH_ATTACHMENT, extra={FOLDER + "gioi-thieu.pdf": b"MZ\x90\x00" + b"\0" * 60})
    assert "Hồ sơ chưa hợp lệ" in world.labels(number)
    # The status comment escapes Markdown, brackets included.
    assert "chương trình Windows \\(EXE\\)" in status_text(world, number)


def test_undeclared_file_warned(world):
    number = world.open_proposal(extra={FOLDER + "ghi-chu.pdf": PDF})
    assert Stage.INTAKE.value in world.labels(number)
    text = status_text(world, number)
    assert "### Lưu ý" in text
    assert "ghi-chu.pdf" in text
    assert world.state.blob_reads == []


def test_attachment_on_main_counts_for_update(world):
    world.state.commit_main({PROPOSAL_PATH: PROPOSAL.encode("utf-8"), FOLDER + "gioi-thieu.pdf": PDF})
    number = world.open_proposal(text=WITH_ATTACHMENT)
    assert "Hồ sơ chưa hợp lệ" not in world.labels(number)


def test_no_attachments_costs_no_request(world):
    world.open_proposal()
    assert world.state.blob_reads == []
    reads = [route for method, route, _ in world.state.requests if route == "/repos/{owner}/{repo}/contents/{path}"]
    assert len(reads) == 3  # roster, configuration and the proposal file; no folder listing


def test_attachment_problem_shared_rules():
    assert attachment_problem("a.pdf", 10, b"%PDF-1.7") is None
    assert attachment_problem("a.webp", 30, b"RIFF\x00\x00\x00\x00WEBPVP8 ") is None
    code, params = attachment_problem("a.pdf", MAX_ATTACHMENT_BYTES + 1, None)
    assert code == "check.attachment_too_large"
    assert params["value"] == "a.pdf"
    code, params = attachment_problem("a.pdf", 100, b"PK\x03\x04rest")
    assert code == "check.attachment_type"
    assert "ZIP" in params["detected"]
