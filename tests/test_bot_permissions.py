"""Every role x command x stage through the decision function: no unauthorised transition."""

import copy
import datetime
import itertools
from pathlib import Path

import pytest

from portal.stages import Stage
from review_bot import commands
from review_bot.actions import Finish
from review_bot.config import parse_config, parse_roster
from review_bot.decide import Comment, Context, on_comment
from review_bot.state import Dossier

ROOT = Path(__file__).resolve().parent.parent
ROSTER = parse_roster((ROOT / ".github" / "roster.yaml").read_text(encoding="utf-8"))
CONFIG = parse_config((ROOT / ".github" / "portal.yaml").read_text(encoding="utf-8"))
NOW = datetime.datetime(2026, 3, 10, 3, 0, tzinfo=datetime.timezone.utc)
OPINION = ("```yaml\ncriteria:\n" + "".join(f"  {k}: {{score: 7, comment: \"ổn\"}}\n" for k in CONFIG.criterion_keys())
           + "```")

SENDERS = {
    "submitter": "doanh-nghiep-mau",
    "intake_officer": "can-bo-tiep-nhan-1",
    "coordinator": "dieu-phoi-vien-1",
    "council_member": "uy-vien-hoi-dong-1",
    "other_member": "uy-vien-hoi-dong-2",
    "expert": "chuyen-gia-1",
    "outsider": "nguoi-ngoai",
}

# Which (role, command) pairs may change the dossier, and at which stages.
ALLOWED = {
    ("intake_officer", "tiep-nhan"): {Stage.INTAKE},
    ("intake_officer", "tra-lai"): {Stage.INTAKE},
    ("intake_officer", "tu-choi"): {Stage.INTAKE},
    ("intake_officer", "cong-bo"): {Stage.PUBLICATION},
    ("coordinator", "phan-cong"): {Stage.COORDINATION},
    ("council_member", "chuyen-gia"): {Stage.EVALUATION},
    ("council_member", "tra-lai"): {Stage.EVALUATION},
    ("council_member", "bao-cao"): {Stage.EVALUATION},
    ("council_member", "khao-sat"): {Stage.EVALUATION},
    ("expert", "danh-gia"): {Stage.EVALUATION},
    ("submitter", "rut"): set(Stage),
}

ARGUMENTS = {
    "tiep-nhan": "Đủ hồ sơ", "tra-lai": "Bổ sung hợp đồng", "tu-choi": "Không đạt",
    "phan-cong": "@uy-vien-hoi-dong-1", "chuyen-gia": "@chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3",
    "danh-gia": "\n" + OPINION, "bao-cao": "lua-chon\nĐề nghị lựa chọn.", "khao-sat": "",
    "cong-bo": "", "rut": "", "trang-thai": "", "tro-giup": "",
}


def dossier_at(stage: Stage) -> Dossier:
    dossier = Dossier(number=7, submitter="doanh-nghiep-mau", received="2026-03-01T01:00:00Z",
                      stage=stage.value, stage_since="2026-03-02T01:00:00Z", slug="mau", valid=True,
                      head_sha="a" * 40, owner_name="Công ty Cổ phần Giải pháp Số Mẫu", officer="can-bo-tiep-nhan-1",
                      fields=["public_administration"])
    if stage in (Stage.EVALUATION, Stage.PUBLICATION):
        dossier.member = "uy-vien-hoi-dong-1"
        dossier.experts = [{"login": f"chuyen-gia-{i}", "name": "x", "organisation": "y"} for i in (1, 2, 3)]
        dossier.opinions = {f"chuyen-gia-{i}": {"expert": f"chuyen-gia-{i}", "commit": "a" * 40, "stale": False,
                                                "scores": {}, "comments": {}} for i in (1, 2, 3)}
    if stage is Stage.PUBLICATION:
        dossier.report = {"council_member": "uy-vien-hoi-dong-1", "recommendation": "select", "text": "x",
                          "date": "2026-03-05T01:00:00Z"}
    return dossier


def changed(before: Dossier, after: Dossier) -> bool:
    keys = ("stage", "decision", "member", "experts", "opinions", "report", "returned", "site_visit", "preliminary")
    return any(getattr(before, key) != getattr(after, key) for key in keys)


CASES = list(itertools.product(SENDERS, [c.name for c in commands.COMMANDS], list(Stage)))


@pytest.mark.parametrize("role,command,stage", CASES, ids=[f"{r}-{c}-{s.number}" for r, c, s in CASES])
def test_role_command_stage(role, command, stage):
    before = dossier_at(stage)
    after = copy.deepcopy(before)
    body = f"/{command} {ARGUMENTS[command]}".rstrip()
    comment = Comment(id=5000, login=SENDERS[role], user_type="User", created_at="2026-03-10T03:00:00Z",
                      updated_at="2026-03-10T03:00:00Z", body=body)
    actions = on_comment(after, comment, Context(CONFIG, ROSTER, NOW, lambda: "can-bo-tiep-nhan-1"))

    allowed = stage in ALLOWED.get((role, command), set())
    if not allowed:
        assert not changed(before, after), f"{role} changed the dossier with /{command} at stage {stage.number}"
        assert not any(isinstance(a, Finish) for a in actions)
    elif command not in ("trang-thai", "tro-giup"):
        assert changed(before, after), f"{role} could not run /{command} at stage {stage.number}"
    assert actions, "every command gets a reply"


def test_table_counts_no_unauthorised_transition():
    unauthorised = 0
    for role, command, stage in CASES:
        before = dossier_at(stage)
        after = copy.deepcopy(before)
        comment = Comment(5000, SENDERS[role], "User", "t", "t", f"/{command} {ARGUMENTS[command]}")
        on_comment(after, comment, Context(CONFIG, ROSTER, NOW, lambda: None))
        if changed(before, after) and stage not in ALLOWED.get((role, command), set()):
            unauthorised += 1
    assert len(CASES) == 7 * 12 * 5
    assert unauthorised == 0


def test_help_lists_only_allowed_commands():
    text = commands.help_text({"anyone", "submitter"}, Stage.INTAKE)
    assert "/rut" in text
    assert "/tiep-nhan" not in text
    officer = commands.help_text({"anyone", "intake_officer"}, Stage.INTAKE)
    assert "/tiep-nhan" in officer
    assert "/phan-cong" not in officer


@pytest.mark.parametrize("text", [
    "> /tu-choi trích dẫn",
    "```\n/tu-choi trong khối mã\n```",
    "`/tu-choi` trong mã",
    "    /tu-choi thụt lề thành khối mã",
    "Xin chào /tu-choi giữa dòng",
])
def test_commands_outside_line_start_ignored(text):
    assert commands.parse(text) == []


def test_english_alias_same_command():
    assert commands.parse("/accept ok")[0].command is commands.parse("/tiep-nhan ok")[0].command
