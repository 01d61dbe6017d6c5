"""The issue form: generated from the schema, read back into a valid proposal, turned into a PR."""

from __future__ import annotations

import copy
import json

import pytest
import yaml

from conftest import REPO_ROOT
from portal.validate import validate_proposal_file
from review_bot import issue_intake
from review_bot.issue_intake import (
    FIELDS, INTAKE_LABEL, INVALID_LABEL, SUBMITTED_LABEL, field_label, handle_issue_event, issue_form_text,
    submission_from_issue, submitter_from_body,
)

FORM_FILE = REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / "de-xuat.yml"
EXAMPLES = REPO_ROOT / "tests" / "node" / "node_modules" / "@octokit" / "webhooks-examples" / "api.github.com" / "index.json"

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


class RecordingGitHub:
    """An in-memory stand-in for the narrow client: records branches, files, pulls and comments."""

    def __init__(self):
        self.branches = {"main": "a" * 40}
        self.files: dict[tuple[str, str], str] = {}
        self.pulls: dict[int, dict] = {}
        self.comments: list[tuple[int, str]] = []
        self.labels: dict[int, set] = {}
        self.closed: set[int] = set()
        self.next_number = 100

    def default_branch(self):
        return "main", self.branches["main"]

    def ensure_branch(self, name, sha):
        self.branches.setdefault(name, sha)

    def write_file(self, branch, path, text, message):
        assert branch in self.branches
        self.files[(branch, path)] = text

    def find_pull(self, head_branch):
        return next((number for number, pull in self.pulls.items() if pull["head"] == head_branch), None)

    def open_pull(self, title, body, head, base):
        self.next_number += 1
        self.pulls[self.next_number] = {"title": title, "body": body, "head": head, "base": base}
        return self.next_number

    def comment(self, number, body):
        self.comments.append((number, body))

    def set_label(self, number, label, present):
        labels = self.labels.setdefault(number, set())
        (labels.add if present else labels.discard)(label)

    def close_issue(self, number):
        self.closed.add(number)


@pytest.fixture
def opened_payload():
    if not EXAMPLES.is_file():
        pytest.skip("@octokit/webhooks-examples is not installed under tests/node")
    events = json.loads(EXAMPLES.read_text(encoding="utf-8"))
    examples = next(event for event in events if event["name"] == "issues")["examples"]
    payload = copy.deepcopy(next(example for example in examples if example["action"] == "opened"))
    payload["issue"]["labels"] = [{"name": INTAKE_LABEL}]
    payload["issue"]["body"] = render_body(ANSWERS)
    payload["issue"]["state"] = "open"
    return payload


def test_intake_opens_one_pull_request(opened_payload):
    github = RecordingGitHub()
    result = handle_issue_event(opened_payload, github)

    issue_number = opened_payload["issue"]["number"]
    assert result.pull_number is not None
    assert len(github.pulls) == 1
    assert list(github.files) == [("de-xuat/phieu-1", "content/proposals/nen-tang-giam-sat-moi-truong.yaml")]
    pull = github.pulls[result.pull_number]
    assert submitter_from_body(pull["body"]) == opened_payload["issue"]["user"]["login"]
    assert f"#{issue_number}" in pull["body"]
    assert SUBMITTED_LABEL in github.labels[result.pull_number]
    assert issue_number in github.closed
    assert any(f"#{result.pull_number}" in body for number, body in github.comments if number == issue_number)


def test_intake_invalid_comments_without_pull(opened_payload):
    opened_payload["issue"]["body"] = render_body(dict(ANSWERS, owner_tax_code="0100109107"))
    github = RecordingGitHub()
    result = handle_issue_event(opened_payload, github)

    assert result.pull_number is None
    assert github.pulls == {}
    assert github.files == {}
    assert github.closed == set()
    assert INVALID_LABEL in github.labels[1]
    assert "Mã số thuế" in github.comments[-1][1]


def test_intake_edit_after_failure_regenerates(opened_payload):
    github = RecordingGitHub()
    opened_payload["issue"]["body"] = render_body(dict(ANSWERS, owner_province="Hà Tây"))
    handle_issue_event(opened_payload, github)
    assert github.pulls == {}

    edited = copy.deepcopy(opened_payload)
    edited["action"] = "edited"
    edited["issue"]["body"] = render_body(ANSWERS)
    result = handle_issue_event(edited, github)

    assert len(github.pulls) == 1
    assert INVALID_LABEL not in github.labels[1]
    assert "province: Đồng Nai" in github.files[("de-xuat/phieu-1", "content/proposals/nen-tang-giam-sat-moi-truong.yaml")]
    assert result.pull_number in github.pulls


def test_intake_repeated_event_keeps_one_pull(opened_payload):
    github = RecordingGitHub()
    handle_issue_event(opened_payload, github)
    handle_issue_event(opened_payload, github)
    assert len(github.pulls) == 1


def test_intake_ignores_other_issues(opened_payload):
    opened_payload["issue"]["labels"] = [{"name": "bug"}]
    github = RecordingGitHub()
    result = handle_issue_event(opened_payload, github)
    assert not result.handled
    assert github.comments == []


def test_submitter_line_round_trips():
    body = issue_intake.pull_request_body(7, "nguyen-van-a", "phan-mem")
    assert submitter_from_body(body) == "nguyen-van-a"
    assert submitter_from_body("Không có dòng người gửi") is None
