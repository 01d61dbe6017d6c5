"""The issue form: generated from the schema, read back into a valid proposal, and turned into a
pull request by the bot on the local GitHub server."""

from __future__ import annotations

import pytest
import yaml

from conftest import REPO_ROOT
from github_server.harness import world  # noqa: F401
from portal.validate import validate_proposal_file
from review_bot import issue_intake
from review_bot.client import RetriesExhausted
from review_bot.issue_intake import (
    FIELDS, INTAKE_LABEL, INVALID_LABEL, field_label, issue_form_text,
    submission_from_issue, submitter_from_body,
)

FORM_FILE = REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / "de-xuat.yml"

ANSWERS = {
    "slug": "nen-tang-giam-sat-moi-truong",
    "kind": "Giải pháp",
    "domains": "Khoa học, công nghệ, Chuyển đổi số",
    "name_vi": "Nền tảng giám sát chất lượng môi trường",
    "summary_vi": "Nền tảng thu thập và cảnh báo số liệu quan trắc không khí, nước theo thời gian thực cho địa phương.",
    "description_vi": "Nền tảng kết nối **trạm quan trắc** tự động.\n\n- Cảnh báo qua tin nhắn\n- Bản đồ số liệu",
    "fields": "Nông nghiệp, tài nguyên và môi trường",
    "owner_type": "Doanh nghiệp",
    "owner_name": "Công ty Cổ phần Môi trường Mẫu",
    "owner_country": "VN",
    "owner_tax_code": "0100109106",
    "owner_province": "Đồng Nai",
    "contact_name": "Phòng Dự án",
    "contact_email": "duan@moitruongmau.example.vn",
    "deployments": "Sở Nông nghiệp và Môi trường | Đồng Nai | 2023-04 | 25 trạm\nKhu công nghiệp Mẫu | Bắc Ninh | 2024",
    "effectiveness_vi": "Phát hiện sớm 12 sự cố xả thải trong năm 2024.",
    "technology_mastery": "Làm chủ phần lớn",
    "awards": "Giải thưởng Đổi mới sáng tạo Mẫu | 2024 | Ủy ban nhân dân tỉnh",
    "seeking": "Đối tác",
    "commitments": "- [X] Thông tin trong hồ sơ là trung thực, chính xác\n"
                   "- [X] Đã được triển khai thực tế tại Việt Nam\n"
                   "- [X] Đồng ý công bố các thông tin không phải dữ liệu cá nhân",
}


def render_body(answers: dict[str, str]) -> str:
    """Render answers the way GitHub writes a submitted issue form: `### label`, blank, value."""
    parts = []
    for form_field in FIELDS:
        parts.append(f"### {field_label(form_field)}\n\n{answers.get(form_field.id) or '_No response_'}")
    return "\n\n".join(parts) + "\n"


def test_issue_form_matches_schema():
    assert FORM_FILE.read_text(encoding="utf-8") == issue_form_text(), \
        "run `python -m review_bot.issue_intake` to regenerate the issue form"


def test_issue_form_ids_and_labels_unique():
    form = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))
    fields = [item for item in form["body"] if item["type"] != "markdown"]
    ids = [item["id"] for item in fields]
    labels = [item["attributes"]["label"] for item in fields]
    assert len(ids) == len(set(ids))
    assert len(labels) == len(set(labels))
    assert form["labels"] == [INTAKE_LABEL]


def test_issue_form_offers_34_provinces():
    form = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))
    province = next(item for item in form["body"] if item.get("id") == "owner_province")
    assert len(province["attributes"]["options"]) == 34
    assert "Hà Nội" in province["attributes"]["options"]


def test_issue_form_privacy_notice_before_contact():
    form = yaml.safe_load(FORM_FILE.read_text(encoding="utf-8"))
    ids = [item.get("id") or item["attributes"]["value"][:20] for item in form["body"]]
    notice = next(index for index, item in enumerate(form["body"])
                  if item["type"] == "markdown" and "Dữ liệu cá nhân" in item["attributes"]["value"])
    assert ids[notice + 1] == "contact_name"


def test_issue_body_becomes_valid_file(tmp_path):
    submission = submission_from_issue(render_body(ANSWERS))
    assert submission.errors == []

    target = tmp_path / "content" / "proposals" / f"{submission.slug}.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(submission.yaml_text, encoding="utf-8")
    document = validate_proposal_file(target)
    assert document.problems == []
    data = document.data
    assert data["kind"] == "solution"
    assert data["domains"] == ["science_technology", "digital_transformation"]
    assert data["owner"]["province"] == "Đồng Nai"
    assert data["deployments"][1] == {"user": "Khu công nghiệp Mẫu", "province": "Bắc Ninh", "since": "2024"}
    assert data["awards"] == [{"name": "Giải thưởng Đổi mới sáng tạo Mẫu", "year": 2024,
                               "organiser": "Ủy ban nhân dân tỉnh"}]
    assert submission.yaml_text.startswith("# yaml-language-server: $schema=")


def test_issue_body_errors_name_form_fields():
    answers = dict(ANSWERS, owner_tax_code="0100109107",
                   deployments="Sở Nông nghiệp và Môi trường | Hà Tây | 2023")
    submission = submission_from_issue(render_body(answers))

    assert not submission.ok
    assert any(error.startswith("**Mã số thuế**") and "0100109107" in error for error in submission.errors)
    assert any("Hà Tây" in error and "Cách sửa:" in error for error in submission.errors)


def test_issue_body_missing_commitment_invalid():
    answers = dict(ANSWERS, commitments=ANSWERS["commitments"].replace("- [X] Đã được", "- [ ] Đã được"))
    submission = submission_from_issue(render_body(answers))
    assert any("commitments" in error for error in submission.errors)


SLUG = ANSWERS["slug"]
FORM_AUTHOR = "hop-tac-xa-mau"


def open_form(world, answers=ANSWERS, labels=(INTAKE_LABEL,)) -> int:
    return world.state.open_issue(FORM_AUTHOR, "Đề xuất: giám sát môi trường", render_body(answers), list(labels))


def test_intake_opens_one_pull_request(world):
    issue = open_form(world)
    world.issue_event(issue, "opened")

    state = world.state
    assert len(state.pulls) == 1
    number, pull = next(iter(state.pulls.items()))
    assert list(pull.files) == [f"content/proposals/{SLUG}.yaml"]
    assert pull.author == state.bot_login
    assert submitter_from_body(pull.body) == FORM_AUTHOR
    assert f"#{issue}" in pull.body
    assert state.issues[issue].state == "closed"
    assert any(f"#{number}" in c.body for c in world.bot_comments(issue))
    # Validated and labelled in the same run: step 2 with an intake officer and a status comment.
    assert "2 · Tiếp nhận, rà soát" in pull.labels
    assert "Hồ sơ chưa hợp lệ" not in pull.labels
    assert pull.assignees == ["can-bo-tiep-nhan-1"]
    assert len(world.status_comments(number)) == 1


def test_intake_pull_file_is_valid(world, tmp_path):
    world.issue_event(open_form(world), "opened")
    pull = next(iter(world.state.pulls.values()))
    target = tmp_path / "content" / "proposals" / f"{SLUG}.yaml"
    target.parent.mkdir(parents=True)
    target.write_bytes(pull.files[f"content/proposals/{SLUG}.yaml"])
    assert validate_proposal_file(target).problems == []


def test_intake_invalid_comments_without_pull(world):
    issue = open_form(world, dict(ANSWERS, owner_tax_code="0100109107"))
    world.issue_event(issue, "opened")

    assert world.state.pulls == {}
    assert world.state.branches == {}
    assert world.state.issues[issue].state == "open"
    assert INVALID_LABEL in world.state.issues[issue].labels
    assert "Mã số thuế" in world.last_reply(issue)
    assert "Cách sửa:" in world.last_reply(issue)


def test_intake_edit_after_failure_creates_pull(world):
    issue = open_form(world, dict(ANSWERS, owner_province="Hà Tây"))
    world.issue_event(issue, "opened")
    assert world.state.pulls == {}

    world.state.edit_issue(issue, render_body(ANSWERS))
    world.issue_event(issue, "edited")

    assert len(world.state.pulls) == 1
    pull = next(iter(world.state.pulls.values()))
    assert INVALID_LABEL not in world.state.issues[issue].labels
    assert "province: Đồng Nai" in pull.files[f"content/proposals/{SLUG}.yaml"].decode("utf-8")
    assert world.state.issues[issue].state == "closed"


def test_intake_redelivered_event_creates_nothing(world):
    issue = open_form(world)
    world.issue_event(issue, "opened")
    comments, writes = len(world.state.comments), world.state.writes

    world.issue_event(issue, "opened")
    assert len(world.state.pulls) == 1
    assert len(world.state.comments) == comments
    assert world.state.writes == writes


def test_intake_invalid_redelivered_posts_once(world):
    issue = open_form(world, dict(ANSWERS, owner_tax_code="0100109107"))
    world.issue_event(issue, "opened")
    world.issue_event(issue, "opened")
    assert len(world.bot_comments(issue)) == 1


def test_intake_crash_before_close_recovers(world):
    issue = open_form(world)
    world.state.fault = lambda method, route, write: (
        (500, {"message": "Server Error"}) if method == "PATCH" and route.endswith("/issues/{issue_number}") else None)
    with pytest.raises(RetriesExhausted):
        world.issue_event(issue, "opened")
    assert world.state.issues[issue].state == "open"

    world.state.fault = None
    world.issue_event(issue, "opened")
    assert len(world.state.pulls) == 1
    assert world.state.issues[issue].state == "closed"
    number = next(iter(world.state.pulls))
    assert len([c for c in world.bot_comments(issue) if f"#{number}" in c.body]) == 1
    assert len(world.status_comments(number)) == 1


def test_intake_ignores_other_issues(world):
    issue = open_form(world, labels=("bug",))
    world.issue_event(issue, "opened")
    assert world.state.pulls == {}
    assert world.bot_comments(issue) == []


def test_submitter_line_round_trips():
    body = issue_intake.pull_request_body(7, "nguyen-van-a", "phan-mem")
    assert submitter_from_body(body) == "nguyen-van-a"
    assert submitter_from_body("Không có dòng người gửi") is None
