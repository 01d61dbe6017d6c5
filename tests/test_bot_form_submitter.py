"""The issue form's author has the submitter's rights on the pull request the bot opened."""

from github_server.harness import PROPOSAL, PROPOSAL_PATH, world  # noqa: F401
from portal.stages import Outcome
from test_issue_intake import ANSWERS, FORM_AUTHOR, open_form


def form_pull(world) -> int:
    world.issue_event(open_form(world), "opened")
    return next(iter(world.state.pulls))


def test_form_author_is_submitter(world):
    number = form_pull(world)
    world.say(number, FORM_AUTHOR, "/rut Chúng tôi chuẩn bị lại hồ sơ.")
    pull = world.state.pulls[number]
    assert pull.state == "closed"
    assert Outcome.WITHDRAWN.value in pull.labels
    assert f"content/evaluations/{ANSWERS['slug']}.yaml" in world.state.main


def test_form_author_named_in_return(world):
    number = form_pull(world)
    officer = world.state.pulls[number].assignees[0]
    world.say(number, officer, "/tra-lai Cần bổ sung số liệu triển khai.")
    assert f"@{FORM_AUTHOR}" in world.last_reply(number)
    assert "@github-actions[bot]" not in world.last_reply(number)


def test_form_author_gets_status(world):
    number = form_pull(world)
    world.say(number, FORM_AUTHOR, "/trang-thai")
    assert world.last_reply(number).startswith(f"@{FORM_AUTHOR} Hồ sơ đang ở bước")


def test_human_body_claim_grants_nothing(world):
    number = world.state.open_pull("nguoi-ngoai", {PROPOSAL_PATH: PROPOSAL.encode("utf-8")}, "Đề xuất")
    world.state.pulls[number].body = "Người gửi: @doanh-nghiep-mau\n"
    world.pr_event(number, "opened")

    world.say(number, "doanh-nghiep-mau", "/rut Tôi rút hồ sơ này.")
    assert world.state.pulls[number].state == "open"
    assert "Không thực hiện lệnh `/rut`" in world.last_reply(number)

    world.say(number, "nguoi-ngoai", "/rut Rút.")
    assert world.state.pulls[number].state == "closed"


def test_bot_pull_without_line_keeps_author(world):
    # Without the line, the bot account stays the submitter of a pull request it opened, so no
    # person gets the submitter's rights on it.
    number = world.state.open_pull(world.state.bot_login, {PROPOSAL_PATH: PROPOSAL.encode("utf-8")},
                                   "Đề xuất", author_type="Bot")
    world.pr_event(number, "opened")
    world.say(number, "doanh-nghiep-mau", "/rut")
    assert world.state.pulls[number].state == "open"
