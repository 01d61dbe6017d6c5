"""The local GitHub server speaks GitHub's published REST shapes, and the setup command works on it."""

import collections
import copy
import functools

import jsonschema

from github_server.harness import OPINION, SUBMITTER, world  # noqa: F401
from test_bot_attachments import FOLDER, PDF, WITH_ATTACHMENT
from test_issue_intake import ANSWERS, open_form
from github_server.server import openapi_document
from review_bot.setup import set_up


def _nullable(node):
    """Turn OpenAPI 3.0 `nullable: true` into JSON Schema so null values validate."""
    if isinstance(node, list):
        return [_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _nullable(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@functools.cache
def _components() -> dict:
    return _nullable(openapi_document()["components"])


def response_schema(method: str, route: str, status: int) -> dict | None:
    operation = openapi_document()["paths"][route][method.lower()]
    response = operation["responses"].get(str(status))
    if response is None:
        return None
    if "$ref" in response:
        return None
    content = (response.get("content") or {}).get("application/json")
    if content is None:
        return None
    schema = copy.deepcopy(_nullable(content["schema"]))
    schema["components"] = _components()
    return schema


def test_responses_match_published_schemas(world):
    number = world.open_proposal()
    world.advance_to_publication(number)
    world.say(number, "can-bo-tiep-nhan-1", "/cong-bo")
    world.bot().run_schedule()
    set_up(world.client())
    invalid_form = open_form(world, dict(ANSWERS, owner_tax_code="0100109107"))
    world.issue_event(invalid_form, "opened")
    world.issue_event(open_form(world), "opened")
    world.state.main.pop(f"content/proposals/{ANSWERS['slug']}.yaml", None)
    world.open_proposal(text=WITH_ATTACHMENT, extra={FOLDER + "gioi-thieu.pdf": PDF})

    checked = set()
    for method, route, status, body in world.state.responses:
        if status >= 400 or (method, route, status) in checked:
            continue
        schema = response_schema(method, route, status)
        if schema is None:
            assert body is None, f"{method} {route} {status} has a body but no schema"
            continue
        jsonschema.Draft202012Validator(schema).validate(body)
        checked.add((method, route, status))
    assert len(checked) >= 15
    for route in ("/repos/{owner}/{repo}/pulls", "/repos/{owner}/{repo}/git/refs",
                  "/repos/{owner}/{repo}/git/ref/{ref}", "/repos/{owner}/{repo}/git/blobs/{file_sha}",
                  "/repos/{owner}/{repo}/issues/{issue_number}"):
        assert any(checked_route == route for _, checked_route, _ in checked), route


def test_setup_prepares_repository(world):
    problems = set_up(world.client())
    assert world.state.protection["required_pull_request_reviews"]["require_code_owner_reviews"] is True
    assert world.state.pages == {"build_type": "workflow"}
    assert "1 · Đã gửi" in world.state.labels
    assert world.state.labels["Quá hạn"]["color"] == "b60205"
    assert any(".github/CODEOWNERS" in problem for problem in problems)
    assert all(len(name) <= 50 for name in world.state.labels)
    again = set_up(world.client())
    assert again == problems


def test_requests_per_event_type(world, capsys):
    counts = collections.OrderedDict()

    def measure(name, action):
        before = len(world.state.requests)
        action()
        counts[name] = len(world.state.requests) - before

    number = world.open_proposal()
    counts["pull_request opened (valid)"] = len(world.state.requests)
    officer = world.state.pulls[number].assignees[0]
    measure("issue_comment /tiep-nhan", lambda: world.say(number, officer, "/tiep-nhan Đủ hồ sơ."))
    measure("issue_comment /phan-cong", lambda: world.say(number, "dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-1"))
    measure("issue_comment /chuyen-gia", lambda: world.say(
        number, "uy-vien-hoi-dong-1", "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3"))
    measure("issue_comment /danh-gia", lambda: world.say(number, "chuyen-gia-1", OPINION))
    world.say(number, "chuyen-gia-2", OPINION)
    world.say(number, "chuyen-gia-3", OPINION)
    measure("issue_comment /bao-cao", lambda: world.say(number, "uy-vien-hoi-dong-1", "/bao-cao lua-chon\nTốt."))
    measure("issue_comment refused", lambda: world.say(number, SUBMITTER, "/cong-bo"))
    measure("issue_comment /cong-bo", lambda: world.say(number, officer, "/cong-bo"))
    measure("issue_comment redelivered", lambda: world.deliver(max(world.state.comments)))
    measure("schedule (1 closed PR)", lambda: world.bot().run_schedule())
    invalid_form = open_form(world, dict(ANSWERS, owner_tax_code="0100109107"))
    measure("issues opened (invalid form)", lambda: world.issue_event(invalid_form, "opened"))
    form = open_form(world)
    measure("issues opened (valid form: PR opened and validated)", lambda: world.issue_event(form, "opened"))
    measure("issues opened (redelivered)", lambda: world.issue_event(form, "opened"))
    measure("pull_request opened (one attachment)", lambda: world.open_proposal(
        text=WITH_ATTACHMENT, extra={FOLDER + "gioi-thieu.pdf": PDF}))
    with capsys.disabled():
        print("\nAPI requests per event (local server):")
        for name, count in counts.items():
            print(f"  {name}: {count}")
    assert all(count > 0 for count in counts.values())
    assert counts["issue_comment redelivered"] <= 6
    # Configuration, roster and the issue itself, which is closed: nothing else.
    assert counts["issues opened (redelivered)"] <= 3
