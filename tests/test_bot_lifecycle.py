"""The whole life of a proposal through the real PyGithub client and the local GitHub server."""

import yaml

from github_server.harness import OPINION, PROPOSAL, PROPOSAL_PATH, SLUG, SUBMITTER, world  # noqa: F401
from portal.stages import Outcome, Stage


def stage_labels(labels):
    names = {s.value for s in Stage} | {o.value for o in Outcome}
    return [label for label in labels if label in names]


def test_valid_proposal_goes_to_intake(world):
    number = world.open_proposal()
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]
    assert world.state.pulls[number].assignees == ["can-bo-tiep-nhan-1"]
    assert len(world.status_comments(number)) == 1
    assert "LV · Hành chính công và quản lý nhà nước" in world.labels(number)


def test_invalid_proposal_stays_and_push_resumes(world):
    broken = PROPOSAL.replace('tax_code: "0100109106"', 'tax_code: "12345"')
    number = world.open_proposal(text=broken)
    assert stage_labels(world.labels(number)) == [Stage.SUBMITTED.value]
    assert "Hồ sơ chưa hợp lệ" in world.labels(number)
    status = world.status_comments(number)[0].body
    assert "Mã số thuế" in status

    world.state.push(number, {PROPOSAL_PATH: PROPOSAL.encode()})
    world.pr_event(number, "synchronize")
    assert stage_labels(world.labels(number)) == [Stage.INTAKE.value]
    assert "Hồ sơ chưa hợp lệ" not in world.labels(number)
    assert len(world.status_comments(number)) == 1


def test_whole_life_to_published_record(world):
    number = world.open_proposal()
    world.advance_to_publication(number)
    assert stage_labels(world.labels(number)) == [Stage.PUBLICATION.value]

    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo\nSố quyết định: 123/QĐ-BKHCN\nNgười ký: Ví Dụ")
    pull = world.state.pulls[number]
    assert pull.merged
    assert stage_labels(world.labels(number)) == [Outcome.PUBLISHED.value]
    assert world.state.dispatches == [("publish.yml", "main")]

    record = yaml.safe_load(world.state.main[f"content/evaluations/{SLUG}.yaml"])
    assert record["decision"]["outcome"] == "selected"
    assert record["decision"]["reference"] == "123/QĐ-BKHCN"
    assert record["pull_request"] == number
    assert len(record["opinions"]) == 3
    assert record["opinions"][0]["scores"]["novelty"] == 8
    actions = [entry["action"] for entry in record["history"]]
    for expected in ("submitted", "intake_assigned", "accepted", "assigned", "experts", "opinion", "report", "published"):
        assert expected in actions
    assert PROPOSAL_PATH in world.state.main


def test_refusal_closes_and_records(world):
    number = world.open_proposal()
    world.say(number, "can-bo-tiep-nhan-1", "/reject Chưa triển khai thực tế.")
    assert world.state.pulls[number].state == "closed"
    assert not world.state.pulls[number].merged
    assert stage_labels(world.labels(number)) == [Outcome.REFUSED.value]
    record = yaml.safe_load(world.state.main[f"content/evaluations/{SLUG}.yaml"])
    assert record["decision"]["outcome"] == "refused"
    assert record["decision"]["reason"] == "Chưa triển khai thực tế."


def test_withdraw_by_submitter(world):
    number = world.open_proposal()
    world.say(number, SUBMITTER, "/rut")
    assert world.state.pulls[number].state == "closed"
    assert stage_labels(world.labels(number)) == [Outcome.WITHDRAWN.value]
    assert f"content/evaluations/{SLUG}.yaml" in world.state.main


def test_report_against_selection_closes(world):
    number = world.open_proposal()
    world.advance_to_evaluation(number)
    for expert in ("chuyen-gia-1", "chuyen-gia-2", "chuyen-gia-3"):
        world.say(number, expert, OPINION)
    world.say(number, "uy-vien-hoi-dong-1", "/report khong-lua-chon\nHiệu quả chưa được chứng minh.")
    assert world.state.pulls[number].state == "closed"
    assert stage_labels(world.labels(number)) == [Outcome.NOT_SELECTED.value]
    record = yaml.safe_load(world.state.main[f"content/evaluations/{SLUG}.yaml"])
    assert record["decision"]["outcome"] == "not_selected"
    assert record["report"]["recommendation"] == "reject"


def test_published_proposal_appears_in_site_build(world, tmp_path):
    from portal.sitebuild import build_site

    number = world.open_proposal()
    world.advance_to_publication(number)
    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")

    content = tmp_path / "content"
    for path, data in world.state.main.items():
        if path.startswith("content/"):
            target = tmp_path / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    build_site(tmp_path / "output", content_dir=content)
    pages = [p for p in (tmp_path / "output").rglob("*.html") if SLUG in str(p)]
    assert pages, "the published product has a page"
    html = pages[0].read_text(encoding="utf-8")
    assert "Hệ thống một cửa điện tử" in html
    assert "lienhe@example.vn" not in html
