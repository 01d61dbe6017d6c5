"""GitHub request budgets per event type, counted on the local server (deterministic, not timed).

The repository is set up (every label exists) and the roster and configuration are read from a
checkout of main on disk, as the workflow runs the bot.
"""

import json

import pytest

from github_server import harness
from github_server.harness import OPINION, REPO_ROOT, SUBMITTER, world  # noqa: F401
from review_bot.__main__ import main

COMMAND_BUDGET = 8


@pytest.fixture
def checked_out(world):  # noqa: F811
    harness.set_up_labels(world.state)
    world.checkout = REPO_ROOT
    return world


def requests_of(world, action) -> int:
    before = len(world.state.requests)
    action()
    return len(world.state.requests) - before


def say_cost(world, number, login, body, user_type="User") -> int:
    comment_id = world.state.comment(number, login, body, user_type)
    return requests_of(world, lambda: world.deliver(comment_id))


def test_comments_that_cannot_run_a_command_cost_nothing(checked_out):
    world = checked_out
    number = world.open_proposal()
    assert say_cost(world, number, SUBMITTER, "Cảm ơn, chúng tôi chờ kết quả.\n> /rut trích dẫn") == 0
    assert say_cost(world, number, SUBMITTER, "Ví dụ:\n```\n/rut\n```") == 0
    assert say_cost(world, number, world.state.bot_login, "/tro-giup", "Bot") == 0
    assert say_cost(world, number, "dependabot[bot]", "/tiep-nhan", "Bot") == 0
    comment_id = world.state.comment(number, SUBMITTER, "/trang-thai")
    assert requests_of(world, lambda: world.deliver(comment_id, "edited")) == 0


def test_pull_request_events_within_budget(checked_out):
    world = checked_out
    files = {harness.PROPOSAL_PATH: harness.PROPOSAL.encode("utf-8")}
    number = world.state.open_pull(SUBMITTER, files, "Đề xuất")
    # Opened also picks the intake officer, assigns them and posts the status and a reply.
    assert requests_of(world, lambda: world.pr_event(number, "opened")) <= COMMAND_BUDGET + 1
    world.state.push(number, files)
    assert requests_of(world, lambda: world.pr_event(number, "synchronize")) <= COMMAND_BUDGET


def test_commands_within_budget(checked_out):
    world = checked_out
    number = world.open_proposal()
    officer = world.state.pulls[number].assignees[0]
    steps = [
        (SUBMITTER, "/tro-giup"), (SUBMITTER, "/trang-thai"),
        (officer, "/tiep-nhan Hồ sơ đầy đủ, đã triển khai thực tế."),
        ("dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-1"),
        ("uy-vien-hoi-dong-1", "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3"),
        ("uy-vien-hoi-dong-1", "/khao-sat"), ("uy-vien-hoi-dong-1", "/khao-sat xong"),
        ("chuyen-gia-1", OPINION), ("chuyen-gia-2", OPINION), ("chuyen-gia-3", OPINION),
        ("uy-vien-hoi-dong-1", "/bao-cao lua-chon\nSản phẩm hiệu quả, đề nghị lựa chọn."),
        ("nguoi-la", "/tiep-nhan"),  # refused
    ]
    costs = {body.split()[0]: say_cost(world, number, login, body) for login, body in steps}
    assert max(costs.values()) <= COMMAND_BUDGET, costs


def test_decisions_within_their_budget(checked_out):
    """A decision is above the command budget. It saves the pending decision first, so that a crash
    is repaired. Then it merges or closes, writes the evaluation record and saves the status again."""
    world = checked_out
    number = world.open_proposal()
    world.advance_to_publication(number)
    assert say_cost(world, number, world.state.pulls[number].assignees[0], "/cong-bo") <= 10
    other = world.open_proposal()
    assert say_cost(world, other, world.state.pulls[other].assignees[0], "/tu-choi Chưa triển khai.") <= 11


def test_process_without_checkout_skips_plain_comment(world, tmp_path, monkeypatch):  # noqa: F811
    number = world.open_proposal()
    comment_id = world.state.comment(number, SUBMITTER, "Cảm ơn Quý Bộ.")
    payload = world.comment_payload(comment_id)
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload), encoding="utf-8")
    monkeypatch.delenv("PORTAL_ROOT", raising=False)
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("GITHUB_REPOSITORY", world.state.full_name)
    monkeypatch.setenv("GITHUB_API_URL", world.server.url)
    monkeypatch.setenv("GITHUB_EVENT_NAME", "issue_comment")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))
    assert requests_of(world, lambda: main(["event"])) == 0
