"""The named hard cases of the review bot, against the local GitHub server."""

import yaml

from github_server.harness import OPINION, PROPOSAL, PROPOSAL_PATH, SLUG, SUBMITTER, world  # noqa: F401
from portal.stages import Outcome, Stage
from review_bot.bot import Bot, BotFailure

import pytest

STAGE_NAMES = {s.value for s in Stage} | {o.value for o in Outcome}


def stage_labels(labels):
    return [label for label in labels if label in STAGE_NAMES]


def test_author_cannot_accept_own_proposal(world):
    number = world.open_proposal(author="can-bo-tiep-nhan-2")
    assert world.state.pulls[number].assignees == ["can-bo-tiep-nhan-1"]
    world.say(number, "can-bo-tiep-nhan-2", "/tiep-nhan Tôi tự duyệt.")
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]
    assert "người gửi hồ sơ không được xử lý hồ sơ của chính mình" in world.last_reply(number)


def test_outsider_publish_refused(world):
    number = world.open_proposal()
    world.advance_to_publication(number)
    world.say(number, "nguoi-ngoai", "/cong-bo")
    assert not world.state.pulls[number].merged
    assert stage_labels(world.labels(number)) == [Stage.PUBLICATION.value]
    reply = world.last_reply(number)
    assert "Không thực hiện lệnh `/cong-bo`" in reply
    assert "cán bộ tiếp nhận" in reply
    assert f"content/evaluations/{SLUG}.yaml" not in world.state.main


def test_member_from_owner_organisation_refused(world):
    text = PROPOSAL.replace("Công ty Cổ phần Giải pháp Số Mẫu", "Công ty Cổ phần Phần mềm Ví Dụ")
    number = world.open_proposal(text=text)
    officer = world.state.pulls[number].assignees[0]
    world.say(number, officer, "/tiep-nhan Đủ hồ sơ.")
    world.say(number, "dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-2")
    assert stage_labels(world.labels(number)) == [Stage.COORDINATION.value]
    assert "xung đột lợi ích" in world.last_reply(number)
    world.say(number, "dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-1")
    assert stage_labels(world.labels(number)) == [Stage.EVALUATION.value]


def test_expert_from_owner_organisation_refused(world):
    text = PROPOSAL.replace("Công ty Cổ phần Giải pháp Số Mẫu", "Công ty Cổ phần Phần mềm Ví Dụ")
    number = world.open_proposal(text=text)
    world.advance_to_evaluation(number)
    world.say(number, "uy-vien-hoi-dong-1", "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-4")
    assert "xung đột lợi ích" in world.last_reply(number)


def test_bot_help_comment_triggers_nothing(world):
    number = world.open_proposal()
    world.say(number, SUBMITTER, "/tro-giup")
    help_comment = world.bot_comments(number)[-1]
    assert "/rut" in help_comment.body
    assert "/cong-bo" not in help_comment.body  # lists only what the submitter may run
    before = len(world.state.comments)
    world.deliver(help_comment.id)
    assert len(world.state.comments) == before

    # A person quoting the bot's help runs nothing either.
    quoted = "\n".join("> " + line for line in help_comment.body.splitlines())
    world.say(number, "can-bo-tiep-nhan-1", quoted)
    assert len(world.state.comments) == before + 1
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]


def test_other_bot_and_edited_comment_ignored(world):
    number = world.open_proposal()
    world.say(number, "some-app[bot]", "/tu-choi lý do", user_type="Bot")
    assert world.state.pulls[number].state == "open"
    comment_id = world.state.comment(number, "can-bo-tiep-nhan-1", "Chào anh")
    world.state.advance(seconds=5)
    world.state.edit(comment_id, "/tu-choi Sửa bình luận để chạy lệnh")
    world.deliver(comment_id, action="edited")
    world.deliver(comment_id, action="created")
    assert world.state.pulls[number].state == "open"


def test_push_command_redelivery_keep_one_stage_label(world):
    number = world.open_proposal()
    world.state.pulls[number].labels.append("uu-tien")
    world.state.labels.setdefault("uu-tien", {"id": 1, "name": "uu-tien", "color": "ff0000", "description": None})
    world.state.advance(minutes=5)
    world.state.push(number, {PROPOSAL_PATH: PROPOSAL.replace("Giảm 40%", "Giảm 45%").encode()})
    world.pr_event(number, "synchronize")
    world.state.advance(seconds=2)
    comment_id = world.say(number, "can-bo-tiep-nhan-1", "/tiep-nhan Đủ điều kiện.")
    world.deliver(comment_id)
    world.pr_event(number, "synchronize")

    labels = world.labels(number)
    assert stage_labels(labels) == [Stage.COORDINATION.value]
    assert "uu-tien" in labels
    assert len(world.status_comments(number)) == 1
    accepted = [c for c in world.bot_comments(number) if "Hồ sơ đã được tiếp nhận" in c.body]
    assert len(accepted) == 1


def test_pasted_marker_does_not_hijack_status(world):
    number = world.open_proposal()
    status = world.status_comments(number)[0].body
    forged = status.replace("2 · Tiếp nhận", "5 · Chờ công bố")
    world.say(number, SUBMITTER, forged)
    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")
    assert not world.state.pulls[number].merged
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]


def test_new_push_marks_opinions_stale(world):
    number = world.open_proposal()
    world.advance_to_evaluation(number)
    for expert in ("chuyen-gia-1", "chuyen-gia-2", "chuyen-gia-3"):
        world.say(number, expert, OPINION)
    world.state.push(number, {PROPOSAL_PATH: PROPOSAL.replace("Giảm 40%", "Giảm 50%").encode()})
    world.pr_event(number, "synchronize")
    assert "đã cũ" in world.last_reply(number)
    world.say(number, "uy-vien-hoi-dong-1", "/bao-cao lua-chon\nĐề nghị lựa chọn.")
    assert stage_labels(world.labels(number)) == [Stage.EVALUATION.value]
    assert "còn thiếu" in world.last_reply(number)
    for expert in ("chuyen-gia-1", "chuyen-gia-2", "chuyen-gia-3"):
        world.say(number, expert, OPINION)
    world.say(number, "uy-vien-hoi-dong-1", "/bao-cao lua-chon\nĐề nghị lựa chọn.")
    assert stage_labels(world.labels(number)) == [Stage.PUBLICATION.value]


def test_invalid_opinion_gets_line_numbers(world):
    number = world.open_proposal()
    world.advance_to_evaluation(number)
    world.say(number, "chuyen-gia-1", OPINION.replace("score: 8", "score: 11", 1))
    reply = world.last_reply(number)
    assert "chưa hợp lệ" in reply
    assert "dòng 2" in reply
    assert "từ 1 đến 10" in reply


def test_crash_between_merge_and_record_repaired(world, monkeypatch):
    number = world.open_proposal()
    world.advance_to_publication(number)

    def crash(self, dossier):
        raise KeyboardInterrupt("injected crash after merge")
    monkeypatch.setattr(Bot, "write_record", crash)
    with pytest.raises(KeyboardInterrupt):
        world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")
    assert world.state.pulls[number].merged
    assert f"content/evaluations/{SLUG}.yaml" not in world.state.main
    monkeypatch.undo()

    world.state.advance(hours=1)
    world.bot().run_schedule()
    record = yaml.safe_load(world.state.main[f"content/evaluations/{SLUG}.yaml"])
    assert record["decision"]["outcome"] == "selected"
    assert stage_labels(world.labels(number)) == [Outcome.PUBLISHED.value]
    assert world.state.dispatches == [("publish.yml", "main")]

    world.bot().run_schedule()
    world.pr_event(number, "closed")
    records = [path for path in world.state.main if path.startswith("content/evaluations/")]
    assert records == [f"content/evaluations/{SLUG}.yaml"]
    assert world.state.dispatches == [("publish.yml", "main")]


def test_sixty_pulls_with_secondary_rate_limit(world):
    numbers = []
    for index in range(60):
        text = PROPOSAL.replace(SLUG, f"{SLUG}-{index}")
        numbers.append(world.state.open_pull(SUBMITTER, {f"content/proposals/{SLUG}-{index}.yaml": text.encode()}))
    start = world.state.writes
    limited = []

    def fault(method, route, write):
        if write and world.state.writes - start == 20 and not limited:
            limited.append(route)
            return 403, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": "7"}
        return None
    world.state.fault = fault
    bot = world.bot()
    bot.run_schedule()
    assert limited
    assert 7.0 in world.sleeps
    for number in numbers:
        assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]
        assert len(world.status_comments(number)) == 1
    loads = {}
    for number in numbers:
        for login in world.state.pulls[number].assignees:
            loads[login] = loads.get(login, 0) + 1
    assert loads == {"can-bo-tiep-nhan-1": 30, "can-bo-tiep-nhan-2": 30}
    assert "data/open-dossiers.json" in world.state.main


def test_gives_up_listing_unhandled_pulls(world):
    numbers = [world.state.open_pull(SUBMITTER, {PROPOSAL_PATH: PROPOSAL.encode()}) for _ in range(3)]
    world.state.fault = lambda method, route, write: (
        (502, {"message": "Bad Gateway"}, {}) if route.endswith("/comments") and method == "GET" else None)
    with pytest.raises(BotFailure) as failure:
        world.bot().run_schedule()
    for number in numbers:
        assert f"#{number}" in str(failure.value)


def test_fork_read_only_token_logged(world, caplog):
    world.state.read_only = True
    number = world.state.open_pull(SUBMITTER, {PROPOSAL_PATH: PROPOSAL.replace("level: full", "level: hoan-toan").encode()})
    bot = world.pr_event(number, "opened")
    assert bot.read_only
    assert any(line.startswith("::error") for line in bot.annotations)
    assert "read-only" in caplog.text


def test_out_of_scope_pull_never_merged(world):
    number = world.open_proposal(extra={"README.md": b"changed"})
    assert "Ngoài phạm vi" in world.labels(number)
    assert stage_labels(world.labels(number)) == [Stage.SUBMITTED.value]
    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")
    assert not world.state.pulls[number].merged


def test_site_visit_pauses_and_resumes(world):
    number = world.open_proposal()
    world.advance_to_evaluation(number)
    world.say(number, "uy-vien-hoi-dong-1", "/khao-sat Khảo sát tại Huế")
    assert "Khảo sát thực tế" in world.labels(number)
    world.state.advance(days=7)
    world.say(number, "uy-vien-hoi-dong-1", "/site-visit done")
    assert "Khảo sát thực tế" not in world.labels(number)
    assert "kéo dài 5 ngày làm việc" in world.last_reply(number)


def test_update_of_published_proposal_published_at_intake(world):
    number = world.open_proposal()
    world.advance_to_publication(number)
    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")
    update = world.state.open_pull(SUBMITTER, {PROPOSAL_PATH: PROPOSAL.replace("Giảm 40%", "Giảm 60%").encode()})
    world.pr_event(update, "opened")
    assert stage_labels(world.labels(update)) == [Stage.INTAKE.value]
    world.say(update, "can-bo-tiep-nhan-2", "/publish")
    assert world.state.pulls[update].merged
    record = yaml.safe_load(world.state.main[f"content/evaluations/{SLUG}.2.yaml"])
    assert record["sequence"] == 2
    assert record["decision"]["outcome"] == "selected"


def test_overdue_reminder_once_a_day(world):
    number = world.open_proposal()
    world.state.advance(days=10)
    world.bot().run_schedule()
    assert "Quá hạn" in world.labels(number)
    reminders = [c for c in world.bot_comments(number) if "quá hạn" in c.body and "@can-bo-tiep-nhan-1" in c.body]
    assert len(reminders) == 1
    world.state.advance(hours=1)
    world.bot().run_schedule()
    reminders = [c for c in world.bot_comments(number) if "quá hạn" in c.body and "@can-bo-tiep-nhan-1" in c.body]
    assert len(reminders) == 1
    snapshot = world.state.main["data/open-dossiers.json"].decode()
    assert SUBMITTER not in snapshot
    assert "can-bo" not in snapshot


def _fail_after_first_comment(world):
    """Make the first comment creation store the comment and then return 502, as when the response is lost."""
    failures = []

    def fault_after(method, route):
        if method == "POST" and route.endswith("/comments") and not failures:
            failures.append(route)
            return 502, {"message": "Bad Gateway"}
        return None
    world.state.fault_after = fault_after
    return failures


def test_failed_reply_post_not_duplicated(world):
    number = world.open_proposal()
    officer = world.state.pulls[number].assignees[0]
    failures = _fail_after_first_comment(world)
    before = len(world.bot_comments(number))

    world.say(number, officer, "/tiep-nhan Đủ hồ sơ.")
    assert failures  # the fault did fire
    replies = [c for c in world.bot_comments(number)[before:] if "Hồ sơ đã được tiếp nhận" in c.body]
    assert len(replies) == 1
    assert "portal-review-bot:key" in replies[0].body


def test_failed_status_post_not_duplicated(world):
    failures = _fail_after_first_comment(world)
    number = world.open_proposal()
    assert failures
    assert len(world.status_comments(number)) == 1
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]


def test_marker_from_person_not_trusted(world):
    # A person's comment that carries the bot's key does not count as the bot's earlier post.
    number = world.open_proposal()
    client = world.client()
    marker_id = world.state.comment(number, "nguoi-ngoai", "<!-- portal-review-bot:key abc -->")
    assert client.find_comment(number, "abc") is None
    assert marker_id in world.state.comments


def test_return_pauses_deadline_until_push(world):
    number = world.open_proposal()  # Monday 02/03/2026; intake deadline 09/03/2026
    officer = world.state.pulls[number].assignees[0]
    world.say(number, officer, "/tra-lai Cần bổ sung hợp đồng triển khai.")
    assert "Cần bổ sung" in world.labels(number)
    assert "tạm dừng trong khi chờ người đề xuất" in world.status_comments(number)[0].body

    world.state.advance(days=14)  # Monday 16/03/2026: ten working days later
    world.bot().run_schedule()
    assert "Quá hạn" not in world.labels(number)

    world.state.push(number, {PROPOSAL_PATH: PROPOSAL.replace("Giảm 40%", "Giảm 45%").encode("utf-8")})
    world.pr_event(number, "synchronize")
    assert "Cần bổ sung" not in world.labels(number)
    status = world.status_comments(number)[0].body
    assert "**Hạn xử lý:** 23/03/2026" in status  # 09/03 plus the ten paused working days

    world.state.advance(days=1)
    world.bot().run_schedule()
    assert "Quá hạn" not in world.labels(number)
    world.state.advance(days=7)  # Tuesday 24/03/2026
    world.bot().run_schedule()
    assert "Quá hạn" in world.labels(number)


def test_second_return_keeps_first_pause_start(world):
    number = world.open_proposal()
    officer = world.state.pulls[number].assignees[0]
    world.say(number, officer, "/tra-lai Thiếu hợp đồng.")
    world.state.advance(days=7)
    world.say(number, officer, "/tra-lai Thiếu cả biên bản nghiệm thu.")
    world.state.push(number, {PROPOSAL_PATH: PROPOSAL.replace("Giảm 40%", "Giảm 45%").encode("utf-8")})
    world.pr_event(number, "synchronize")
    assert "**Hạn xử lý:** 16/03/2026" in world.status_comments(number)[0].body  # five paused days
