"""An in-memory GitHub REST server on 127.0.0.1 implementing the endpoints the review bot calls.

Response bodies start from the examples in GitHub's published REST description
(`@octokit/openapi`, `generated/api.github.com.json`) and are filled in from the server's state.
A test checks them against the operations' response schemas.
Every request is logged with its route, so tests can count requests per event.
"""

from __future__ import annotations

import base64
import copy
import datetime
import functools
import hashlib
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

NODE_MODULES = Path(__file__).resolve().parent.parent / "node" / "node_modules"
OPENAPI_PATH = NODE_MODULES / "@octokit" / "openapi" / "generated" / "api.github.com.json"
WEBHOOKS_PATH = NODE_MODULES / "@octokit" / "webhooks-examples" / "api.github.com" / "index.json"


@functools.cache
def openapi_document() -> dict:
    with open(OPENAPI_PATH, encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _webhooks() -> list:
    with open(WEBHOOKS_PATH, encoding="utf-8") as handle:
        return json.load(handle)


def webhook_example(event: str, action: str) -> dict:
    """Return a copy of GitHub's published example payload for `event` with `action`."""
    for entry in _webhooks():
        if entry["name"] == event:
            for example in entry["examples"]:
                if example.get("action") == action:
                    return copy.deepcopy(example)
    raise KeyError(f"no webhook example for {event}/{action}")


def _example(name: str):
    value = openapi_document()["components"]["examples"][name]["value"]
    return copy.deepcopy(value[0] if isinstance(value, list) else value)


def _sha(*parts) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


@dataclass
class Pull:
    number: int
    author: str
    title: str
    head_sha: str
    files: dict  # path -> bytes, or None for a removed file
    created_at: str
    author_type: str = "User"
    state: str = "open"
    merged: bool = False
    closed_at: str | None = None
    updated_at: str = ""
    labels: list = field(default_factory=list)
    assignees: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)
    base_files_at_open: dict = field(default_factory=dict)
    body: str = ""
    head_ref: str | None = None


@dataclass
class Issue:
    """A plain issue (not a pull request), such as one made with the proposal issue form."""

    number: int
    author: str
    title: str
    body: str
    created_at: str
    author_type: str = "User"
    state: str = "open"
    closed_at: str | None = None
    updated_at: str = ""
    labels: list = field(default_factory=list)
    assignees: list = field(default_factory=list)


@dataclass
class Branch:
    """A branch other than main: its head commit and a full snapshot of its files."""

    sha: str
    files: dict
    base: dict


@dataclass
class Comment:
    id: int
    number: int
    login: str
    body: str
    created_at: str
    updated_at: str
    user_type: str = "User"


class RepoState:
    """The state of one repository on the fake GitHub."""

    def __init__(self, full_name: str = "bo-khcn/cong-san-pham", start: datetime.datetime | None = None):
        self.full_name = full_name
        self.owner, self.name = full_name.split("/")
        self.lock = threading.RLock()
        self.now = start or datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.timezone.utc)
        self.main: dict[str, bytes] = {}
        self.main_sha = _sha("main", 0)
        self.labels: dict[str, dict] = {}
        self.pulls: dict[int, Pull] = {}
        self.issues: dict[int, Issue] = {}
        self.branches: dict[str, Branch] = {}
        self.comments: dict[int, Comment] = {}
        self.ids = itertools.count(1001)
        self.numbers = itertools.count(1)
        self.dispatches: list = []
        self.blob_reads: list[tuple[str, int]] = []  # (blob sha, size) of every blob downloaded
        self.protection: dict | None = None
        self.pages: dict | None = None
        self.requests: list[tuple[str, str, int]] = []  # (method, route, status)
        self.responses: list[tuple[str, str, int, object]] = []
        self.writes = 0
        self.fault = None  # callable(method, route, is_write) -> (status, headers, body) | None
        # Like `fault`, but called after the request took effect: the change is stored and the
        # client still sees an error, as when GitHub fails or times out after a write.
        self.fault_after = None
        self.read_only = False
        self.bot_login = "github-actions[bot]"
        self.workflows = {"publish.yml", "review-bot.yml", "validate.yml", "deadlines.yml"}

    # --- helpers for tests -------------------------------------------------------------------

    def timestamp(self) -> str:
        return self.now.replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)

    def commit_main(self, files: dict[str, bytes]) -> None:
        with self.lock:
            self.main.update(files)
            self.main_sha = _sha("main", self.main_sha, sorted(files))

    def open_pull(self, author: str, files: dict, title: str = "Đề xuất mới", author_type: str = "User") -> int:
        with self.lock:
            number = next(self.numbers)
            stamp = self.timestamp()
            self.pulls[number] = Pull(number, author, title, _sha(number, stamp, sorted(files)), dict(files),
                                      stamp, author_type=author_type, updated_at=stamp,
                                      base_files_at_open=dict(self.main))
            return number

    def open_issue(self, author: str, title: str, body: str, labels: list[str] = ()) -> int:
        with self.lock:
            number = next(self.numbers)
            stamp = self.timestamp()
            self.issues[number] = Issue(number, author, title, body, stamp, updated_at=stamp)
            for name in labels:
                _ensure_label(self, name)
                self.issues[number].labels.append(name)
            return number

    def edit_issue(self, number: int, body: str) -> None:
        with self.lock:
            self.issues[number].body = body
            self.issues[number].updated_at = self.timestamp()

    def push(self, number: int, files: dict) -> str:
        with self.lock:
            pull = self.pulls[number]
            pull.files.update(files)
            pull.head_sha = _sha(number, self.timestamp(), pull.head_sha)
            return pull.head_sha

    def comment(self, number: int, login: str, body: str, user_type: str = "User") -> int:
        with self.lock:
            comment_id = next(self.ids)
            stamp = self.timestamp()
            self.comments[comment_id] = Comment(comment_id, number, login, body, stamp, stamp, user_type)
            return comment_id

    def edit(self, comment_id: int, body: str) -> None:
        with self.lock:
            self.comments[comment_id].body = body
            self.comments[comment_id].updated_at = self.timestamp()

    def item(self, number: int) -> "Pull | Issue | None":
        """Return the pull request or plain issue with this number: they share one sequence."""
        return self.pulls.get(number) or self.issues.get(number)

    def comments_of(self, number: int) -> list[Comment]:
        return [c for c in self.comments.values() if c.number == number]

    def count(self, method: str | None = None) -> int:
        return sum(1 for m, _, _ in self.requests if method is None or m == method)


class GitHubServer:
    """A threaded HTTP server on 127.0.0.1 with an OS-chosen port."""

    def __init__(self, state: RepoState):
        self.state = state
        handler = type("Handler", (_Handler,), {"state": state, "server_ref": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


class _Reply(Exception):
    def __init__(self, status: int, body=None, headers: dict | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


_ROUTES = []


def route(method: str, pattern: str):
    regex = re.compile("^/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)" + pattern + "$")

    # The route template uses the parameter names of GitHub's REST description.
    template = "/repos/{owner}/{repo}" + re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", pattern)
    template = template.replace("/pulls/{number}", "/pulls/{pull_number}")
    template = template.replace("/issues/{number}", "/issues/{issue_number}")
    template = template.replace("{workflow}", "{workflow_id}")

    def register(function):
        _ROUTES.append((method, regex, template, function))
        return function
    return register


class _Handler(BaseHTTPRequestHandler):
    state: RepoState
    server_ref: GitHubServer
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args):  # keep test output quiet
        pass

    def _dispatch(self, method: str):
        parts = urlsplit(self.path)
        path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        self.body = json.loads(raw) if raw else {}
        base = self.server_ref.url
        for route_method, regex, template, function in _ROUTES:
            match = regex.match(path) if route_method == method else None
            if not match:
                continue
            params = {k: unquote(v) for k, v in match.groupdict().items()}
            write = method != "GET"
            with self.state.lock:
                try:
                    fault = self.state.fault(method, template, write) if self.state.fault else None
                    if fault:
                        raise _Reply(*fault)
                    if write and self.state.read_only:
                        raise _Reply(403, {"message": "Resource not accessible by integration"})
                    status, body, headers = function(self, base, **params)
                    if write:
                        self.state.writes += 1
                    late = self.state.fault_after(method, template) if self.state.fault_after else None
                    if late:
                        raise _Reply(*late)
                except _Reply as reply:
                    status, body, headers = reply.status, reply.body, reply.headers
                self.state.requests.append((method, template, status))
                self.state.responses.append((method, template, status, body))
            return self._send(status, body, headers, base)
        self.state.requests.append((method, path, 404))
        return self._send(404, {"message": "Not Found"}, {}, base)

    def _send(self, status, body, headers, base):
        data = b""
        if body is not None:
            text = json.dumps(body, ensure_ascii=False).replace("https://api.github.com", base)
            data = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_DELETE(self):
        self._dispatch("DELETE")

    # --- pagination --------------------------------------------------------------------------

    def paginate(self, items: list, base: str):
        per_page = int(self.query.get("per_page", 30))
        page = int(self.query.get("page", 1))
        chunk = items[(page - 1) * per_page: page * per_page]
        headers = {}
        last = max(1, -(-len(items) // per_page))
        if page < last:
            parts = urlsplit(self.path)
            query = {**self.query, "per_page": str(per_page)}

            def link(number):
                q = "&".join(f"{k}={quote(str(v))}" for k, v in {**query, "page": str(number)}.items())
                return f"<{base}{parts.path}?{q}>"
            headers["Link"] = f'{link(page + 1)}; rel="next", {link(last)}; rel="last"'
        return 200, chunk, headers


# --- object builders ----------------------------------------------------------------------------


def _user(state: RepoState, login: str, user_type: str = "User") -> dict:
    user = _example("issue")["user"]
    user.update({"login": login, "id": int(_sha(login)[:8], 16), "type": user_type,
                 "url": f"https://api.github.com/users/{login}", "html_url": f"https://github.com/{login}"})
    return user


def _label(label: dict) -> dict:
    body = _example("label")
    body.update({"id": label["id"], "name": label["name"], "color": label["color"],
                 "description": label["description"], "default": False,
                 "url": f"https://api.github.com/repos/x/y/labels/{quote(label['name'])}"})
    return body


def _repo_url(state: RepoState) -> str:
    return f"https://api.github.com/repos/{state.full_name}"


def _issue(state: RepoState, pull: "Pull | Issue") -> dict:
    body = _example("issue")
    url = f"{_repo_url(state)}/issues/{pull.number}"
    body.update({
        "id": pull.number * 10, "number": pull.number, "title": pull.title, "state": pull.state,
        "url": url, "labels_url": url + "/labels{/name}", "comments_url": url + "/comments",
        "events_url": url + "/events", "html_url": f"https://github.com/{state.full_name}/pull/{pull.number}",
        "repository_url": _repo_url(state),
        "user": _user(state, pull.author, pull.author_type),
        "labels": [_label(state.labels[name]) for name in pull.labels],
        "assignee": _user(state, pull.assignees[0]) if pull.assignees else None,
        "assignees": [_user(state, login) for login in pull.assignees],
        "comments": len(state.comments_of(pull.number)), "created_at": pull.created_at,
        "updated_at": pull.updated_at, "closed_at": pull.closed_at, "milestone": None, "locked": False,
        "pull_request": {"url": f"{_repo_url(state)}/pulls/{pull.number}",
                         "html_url": f"https://github.com/{state.full_name}/pull/{pull.number}",
                         "diff_url": f"https://github.com/{state.full_name}/pull/{pull.number}.diff",
                         "patch_url": f"https://github.com/{state.full_name}/pull/{pull.number}.patch",
                         "merged_at": pull.closed_at if getattr(pull, "merged", False) else None},
        "body": pull.body,
    })
    if isinstance(pull, Issue):
        body.pop("pull_request", None)
        body["html_url"] = f"https://github.com/{state.full_name}/issues/{pull.number}"
        body["state_reason"] = "completed" if pull.state == "closed" else None
    return body


def _pull(state: RepoState, pull: Pull, simple: bool = False) -> dict:
    body = _example("pull-request-simple-items" if simple else "pull-request")
    url = f"{_repo_url(state)}/pulls/{pull.number}"
    issue_url = f"{_repo_url(state)}/issues/{pull.number}"
    body.update({
        "url": url, "id": pull.number * 10, "number": pull.number, "state": pull.state, "title": pull.title,
        "issue_url": issue_url, "comments_url": issue_url + "/comments", "commits_url": url + "/commits",
        "review_comments_url": url + "/comments", "statuses_url": f"{_repo_url(state)}/statuses/{pull.head_sha}",
        "html_url": f"https://github.com/{state.full_name}/pull/{pull.number}",
        "user": _user(state, pull.author, pull.author_type),
        "labels": [_label(state.labels[name]) for name in pull.labels],
        "assignee": _user(state, pull.assignees[0]) if pull.assignees else None,
        "assignees": [_user(state, login) for login in pull.assignees],
        "requested_reviewers": [_user(state, login) for login in pull.reviewers], "requested_teams": [],
        "created_at": pull.created_at, "updated_at": pull.updated_at, "closed_at": pull.closed_at,
        "merged_at": pull.closed_at if pull.merged else None, "milestone": None, "locked": False,
    })
    body["head"]["sha"] = pull.head_sha
    body["head"]["ref"] = pull.head_ref or f"de-xuat-{pull.number}"
    body["head"]["label"] = f"{state.owner}:{body['head']['ref']}"
    body["body"] = pull.body
    body["base"]["ref"] = "main"
    body["base"]["sha"] = state.main_sha
    for side in ("head", "base"):
        body[side]["repo"]["full_name"] = state.full_name
        body[side]["repo"]["url"] = _repo_url(state)
    if not simple:
        body.update({"merged": pull.merged, "mergeable": pull.state == "open", "comments":
                     len(state.comments_of(pull.number)), "merged_by": None})
    return body


def _comment(state: RepoState, comment: Comment) -> dict:
    body = _example("issue-comment")
    body.update({"id": comment.id, "body": comment.body, "user": _user(state, comment.login, comment.user_type),
                 "created_at": comment.created_at, "updated_at": comment.updated_at,
                 "url": f"{_repo_url(state)}/issues/comments/{comment.id}",
                 "issue_url": f"{_repo_url(state)}/issues/{comment.number}",
                 "html_url": f"https://github.com/{state.full_name}/pull/{comment.number}#issuecomment-{comment.id}"})
    return body


def _get_pull(state: RepoState, number: str) -> Pull:
    pull = state.pulls.get(int(number))
    if pull is None:
        raise _Reply(404, {"message": "Not Found"})
    return pull


def _files_at(state: RepoState, ref: str | None) -> dict:
    """Return every file of the repository at `ref` (main, a branch, or a commit SHA)."""
    if ref in (None, "", "main", state.main_sha):
        return state.main
    for name, branch in state.branches.items():
        if ref in (name, branch.sha):
            return branch.files
    for pull in state.pulls.values():
        if pull.head_sha == ref:
            files = dict(pull.base_files_at_open)
            files.update(pull.files)
            return {path: content for path, content in files.items() if content is not None}
    raise _Reply(404, {"message": "No commit found for the ref " + ref})


def _get_item(state: RepoState, number: str) -> "Pull | Issue":
    item = state.item(int(number))
    if item is None:
        raise _Reply(404, {"message": "Not Found"})
    return item


def _file_at(state: RepoState, path: str, ref: str | None) -> bytes | None:
    if ref in (None, "", "main", state.main_sha):
        return state.main.get(path)
    for branch in state.branches.values():
        if ref == branch.sha:
            return branch.files.get(path)
    if ref in state.branches:
        return state.branches[ref].files.get(path)
    for pull in state.pulls.values():
        if pull.head_sha == ref:
            if path in pull.files:
                return pull.files[path]
            return pull.base_files_at_open.get(path)
    raise _Reply(404, {"message": "No commit found for the ref " + ref})


# --- routes -------------------------------------------------------------------------------------


@route("GET", "")
def get_repo(handler, base, owner, repo):
    body = _example("full-repository-default-response")
    body.update({"full_name": handler.state.full_name, "name": handler.state.name,
                 "url": _repo_url(handler.state), "default_branch": "main"})
    return 200, body, {}


@route("GET", r"/pulls")
def list_pulls(handler, base, owner, repo):
    state = handler.state
    wanted = handler.query.get("state", "open")
    head = handler.query.get("head")
    pulls = [_pull(state, p, simple=True) for p in sorted(state.pulls.values(), key=lambda p: p.number)
             if (wanted == "all" or p.state == wanted)
             and (head is None or f"{state.owner}:{p.head_ref}" == head)]
    return handler.paginate(pulls, base)


@route("POST", r"/pulls")
def create_pull(handler, base, owner, repo):
    state = handler.state
    head, target = handler.body.get("head", ""), handler.body.get("base", "main")
    head = head.split(":", 1)[-1]
    branch = state.branches.get(head)
    if branch is None or target != "main":
        raise _Reply(422, {"message": "Validation Failed", "errors": [{"field": "head", "code": "invalid"}]})
    if any(p.head_ref == head and p.state == "open" for p in state.pulls.values()):
        raise _Reply(422, {"message": f"A pull request already exists for {state.owner}:{head}."})
    changed = {path: content for path, content in branch.files.items() if state.main.get(path) != content}
    number = state.open_pull(state.bot_login, changed, handler.body.get("title", ""), author_type="Bot")
    pull = state.pulls[number]
    pull.body, pull.head_ref, pull.head_sha = handler.body.get("body") or "", head, branch.sha
    return 201, _pull(state, pull), {}


def _ref_body(state: RepoState, name: str, sha: str) -> dict:
    body = _example("git-ref")
    body.update({"ref": f"refs/heads/{name}", "url": f"{_repo_url(state)}/git/refs/heads/{quote(name)}"})
    body["object"].update({"sha": sha, "url": f"{_repo_url(state)}/git/commits/{sha}"})
    return body


@route("GET", r"/git/ref/(?P<ref>.+)")
def get_ref(handler, base, owner, repo, ref):
    state = handler.state
    if not ref.startswith("heads/"):
        raise _Reply(404, {"message": "Not Found"})
    ref = ref[len("heads/"):]
    if ref == "main":
        return 200, _ref_body(state, "main", state.main_sha), {}
    if ref not in state.branches:
        raise _Reply(404, {"message": "Not Found"})
    return 200, _ref_body(state, ref, state.branches[ref].sha), {}


@route("POST", r"/git/refs")
def create_ref(handler, base, owner, repo):
    state = handler.state
    ref, sha = handler.body.get("ref", ""), handler.body.get("sha")
    if not ref.startswith("refs/heads/") or sha != state.main_sha:
        raise _Reply(422, {"message": "Validation Failed", "errors": [{"field": "sha", "code": "invalid"}]})
    name = ref[len("refs/heads/"):]
    if name == "main" or name in state.branches:
        raise _Reply(422, {"message": "Reference already exists"})
    state.branches[name] = Branch(sha, dict(state.main), dict(state.main))
    return 201, _ref_body(state, name, sha), {}


@route("GET", r"/git/blobs/(?P<file_sha>[0-9a-f]{40})")
def get_blob(handler, base, owner, repo, file_sha):
    state = handler.state
    sources = [state.main, *(b.files for b in state.branches.values()),
               *(p.files for p in state.pulls.values())]
    for files in sources:
        for content in files.values():
            if content is not None and _sha("blob", content) == file_sha:
                state.blob_reads.append((file_sha, len(content)))
                body = _example("blob")
                body.update({"content": base64.b64encode(content).decode(), "encoding": "base64",
                             "sha": file_sha, "size": len(content),
                             "url": f"{_repo_url(state)}/git/blobs/{file_sha}"})
                return 200, body, {}
    raise _Reply(404, {"message": "Not Found"})


@route("GET", r"/pulls/(?P<number>\d+)")
def get_pull(handler, base, owner, repo, number):
    return 200, _pull(handler.state, _get_pull(handler.state, number)), {}


@route("PATCH", r"/pulls/(?P<number>\d+)")
def edit_pull(handler, base, owner, repo, number):
    pull = _get_pull(handler.state, number)
    if handler.body.get("state") in ("open", "closed"):
        pull.state = handler.body["state"]
        pull.closed_at = handler.state.timestamp() if pull.state == "closed" else None
    return 200, _pull(handler.state, pull), {}


@route("GET", r"/pulls/(?P<number>\d+)/files")
def list_files(handler, base, owner, repo, number):
    pull = _get_pull(handler.state, number)
    entries = []
    for path, content in sorted(pull.files.items()):
        entry = _example("diff-entry-items")
        before = pull.base_files_at_open.get(path)
        if content is None:
            status = "removed"
        elif before is None:
            status = "added"
        else:
            status = "modified"
        entry.update({"filename": path, "status": status, "sha": _sha("blob", content),
                      "additions": 1, "deletions": 0, "changes": 1,
                      "blob_url": f"https://github.com/{handler.state.full_name}/blob/{pull.head_sha}/{path}",
                      "raw_url": f"https://github.com/{handler.state.full_name}/raw/{pull.head_sha}/{path}",
                      "contents_url": f"{_repo_url(handler.state)}/contents/{quote(path)}?ref={pull.head_sha}"})
        entry.pop("previous_filename", None)
        entries.append(entry)
    return handler.paginate(entries, base)


@route("PUT", r"/pulls/(?P<number>\d+)/merge")
def merge_pull(handler, base, owner, repo, number):
    state = handler.state
    pull = _get_pull(state, number)
    if pull.state != "open":
        raise _Reply(405, {"message": "Pull Request is not mergeable"})
    if handler.body.get("sha") and handler.body["sha"] != pull.head_sha:
        raise _Reply(409, {"message": "Head branch was modified. Review and try the merge again."})
    state.commit_main({path: content for path, content in pull.files.items() if content is not None})
    for path, content in pull.files.items():
        if content is None:
            state.main.pop(path, None)
    pull.state, pull.merged, pull.closed_at = "closed", True, state.timestamp()
    body = _example("pull-request-merge-result-response-if-merge-was-successful")
    body.update({"sha": state.main_sha, "merged": True, "message": "Pull Request successfully merged"})
    return 200, body, {}


@route("POST", r"/pulls/(?P<number>\d+)/requested_reviewers")
def request_reviewers(handler, base, owner, repo, number):
    pull = _get_pull(handler.state, number)
    for login in handler.body.get("reviewers", []):
        if login not in pull.reviewers:
            pull.reviewers.append(login)
    body = _pull(handler.state, pull, simple=True)
    return 201, body, {}


@route("GET", r"/issues")
def list_issues(handler, base, owner, repo):
    state = handler.state
    wanted = handler.query.get("state", "open")
    since = handler.query.get("since")
    issues = []
    for pull in sorted([*state.pulls.values(), *state.issues.values()], key=lambda p: p.number):
        if wanted != "all" and pull.state != wanted:
            continue
        if since and pull.updated_at < since.replace("+00:00", "Z") and (pull.closed_at or "") < since:
            continue
        issues.append(_issue(state, pull))
    return handler.paginate(issues, base)


@route("GET", r"/issues/(?P<number>\d+)")
def get_issue(handler, base, owner, repo, number):
    return 200, _issue(handler.state, _get_item(handler.state, number)), {}


@route("PATCH", r"/issues/(?P<number>\d+)")
def edit_issue(handler, base, owner, repo, number):
    item = _get_item(handler.state, number)
    if handler.body.get("state") in ("open", "closed"):
        item.state = handler.body["state"]
        item.closed_at = handler.state.timestamp() if item.state == "closed" else None
        item.updated_at = handler.state.timestamp()
    return 200, _issue(handler.state, item), {}


@route("GET", r"/issues/(?P<number>\d+)/labels")
def issue_labels(handler, base, owner, repo, number):
    pull = _get_item(handler.state, number)
    return handler.paginate([_label(handler.state.labels[n]) for n in pull.labels], base)


def _ensure_label(state: RepoState, name: str) -> None:
    if name not in state.labels:
        state.labels[name] = {"id": next(state.ids), "name": name, "color": "ededed", "description": None}


@route("POST", r"/issues/(?P<number>\d+)/labels")
def add_labels(handler, base, owner, repo, number):
    pull = _get_item(handler.state, number)
    names = handler.body.get("labels", handler.body) if isinstance(handler.body, dict) else handler.body
    for name in names:
        _ensure_label(handler.state, name)
        if name not in pull.labels:
            pull.labels.append(name)
    return 200, [_label(handler.state.labels[n]) for n in pull.labels], {}


@route("PUT", r"/issues/(?P<number>\d+)/labels")
def set_labels(handler, base, owner, repo, number):
    """Replace all labels of an issue; like GitHub, a name the repository lacks creates the label."""
    pull = _get_item(handler.state, number)
    names = handler.body.get("labels", handler.body) if isinstance(handler.body, dict) else handler.body
    for name in names:
        _ensure_label(handler.state, name)
    pull.labels = list(dict.fromkeys(names))
    return 200, [_label(handler.state.labels[n]) for n in pull.labels], {}


@route("DELETE", r"/issues/(?P<number>\d+)/labels/(?P<name>[^/]+)")
def remove_label(handler, base, owner, repo, number, name):
    pull = _get_item(handler.state, number)
    if name not in pull.labels:
        raise _Reply(404, {"message": "Label does not exist"})
    pull.labels.remove(name)
    return 200, [_label(handler.state.labels[n]) for n in pull.labels], {}


@route("GET", r"/labels")
def list_labels(handler, base, owner, repo):
    return handler.paginate([_label(l) for l in handler.state.labels.values()], base)


@route("POST", r"/labels")
def create_label(handler, base, owner, repo):
    state = handler.state
    name = handler.body["name"]
    if len(name) > 50:
        raise _Reply(422, {"message": "Validation Failed", "errors": [{"field": "name", "code": "invalid"}]})
    if name in state.labels:
        raise _Reply(422, {"message": "Validation Failed", "errors": [{"code": "already_exists"}]})
    state.labels[name] = {"id": next(state.ids), "name": name, "color": handler.body.get("color", "ededed"),
                          "description": handler.body.get("description")}
    return 201, _label(state.labels[name]), {}


@route("PATCH", r"/labels/(?P<name>[^/]+)")
def update_label(handler, base, owner, repo, name):
    label = handler.state.labels.get(name)
    if label is None:
        raise _Reply(404, {"message": "Not Found"})
    for key in ("color", "description"):
        if key in handler.body:
            label[key] = handler.body[key]
    return 200, _label(label), {}


@route("GET", r"/issues/(?P<number>\d+)/comments")
def list_comments(handler, base, owner, repo, number):
    _get_item(handler.state, number)
    comments = sorted(handler.state.comments_of(int(number)), key=lambda c: c.id)
    return handler.paginate([_comment(handler.state, c) for c in comments], base)


@route("POST", r"/issues/(?P<number>\d+)/comments")
def create_comment(handler, base, owner, repo, number):
    state = handler.state
    _get_item(state, number)
    comment_id = state.comment(int(number), state.bot_login, handler.body["body"], "Bot")
    return 201, _comment(state, state.comments[comment_id]), {}


@route("PATCH", r"/issues/comments/(?P<comment_id>\d+)")
def edit_comment(handler, base, owner, repo, comment_id):
    state = handler.state
    comment = state.comments.get(int(comment_id))
    if comment is None:
        raise _Reply(404, {"message": "Not Found"})
    state.edit(comment.id, handler.body["body"])
    return 200, _comment(state, comment), {}


@route("POST", r"/issues/(?P<number>\d+)/assignees")
def add_assignees(handler, base, owner, repo, number):
    pull = _get_item(handler.state, number)
    for login in handler.body.get("assignees", []):
        if login not in pull.assignees:
            pull.assignees.append(login)
    return 201, _issue(handler.state, pull), {}


@route("GET", r"/contents/(?P<path>.+)")
def get_contents(handler, base, owner, repo, path):
    content = _file_at(handler.state, path, handler.query.get("ref"))
    if content is None:
        listing = _directory(handler.state, path, handler.query.get("ref"))
        if not listing:
            raise _Reply(404, {"message": "Not Found"})
        return 200, listing, {}
    body = _example("content-file-response-if-content-is-a-file")
    body.update({"type": "file", "encoding": "base64", "size": len(content), "name": path.rsplit("/", 1)[-1],
                 "path": path, "content": base64.b64encode(content).decode(), "sha": _sha("blob", content),
                 "url": f"{_repo_url(handler.state)}/contents/{quote(path)}"})
    return 200, body, {}


def _directory(state: RepoState, path: str, ref: str | None) -> list:
    """List a folder at `ref` the way the contents API does: direct children, files and folders."""
    prefix = path.rstrip("/") + "/"
    entries: dict[str, dict] = {}
    for name, content in sorted(_files_at(state, ref).items()):
        if not name.startswith(prefix) or content is None:
            continue
        child = name[len(prefix):].split("/", 1)[0]
        child_path = prefix + child
        entry = _example("content-file-response-if-content-is-a-directory")
        is_file = child_path == name
        blob = _sha("blob", content) if is_file else _sha("tree", child_path)
        entry.update({"type": "file" if is_file else "dir", "size": len(content) if is_file else 0,
                      "name": child, "path": child_path, "sha": blob,
                      "url": f"{_repo_url(state)}/contents/{quote(child_path)}",
                      "git_url": f"{_repo_url(state)}/git/blobs/{blob}",
                      "html_url": f"https://github.com/{state.full_name}/blob/main/{quote(child_path)}",
                      "download_url": f"https://raw.githubusercontent.com/{state.full_name}/main/{quote(child_path)}"})
        entry["_links"] = {"self": entry["url"], "git": entry["git_url"], "html": entry["html_url"]}
        entries.setdefault(child, entry)
    return list(entries.values())


def _put_on_branch(handler, path: str, name: str):
    state = handler.state
    branch = state.branches.get(name)
    if branch is None:
        raise _Reply(404, {"message": f"Branch {name} not found"})
    existing = branch.files.get(path)
    if existing is not None and handler.body.get("sha") != _sha("blob", existing):
        raise _Reply(409, {"message": f"{path} does not match {handler.body.get('sha')}"})
    content = base64.b64decode(handler.body["content"])
    branch.files[path] = content
    branch.sha = _sha(name, branch.sha, path, content)
    for pull in state.pulls.values():
        if pull.head_ref == name and pull.state == "open":
            pull.files[path] = content
            pull.head_sha = branch.sha
    body = _example("file-commit-example-for-creating-a-file")
    body["content"].update({"name": path.rsplit("/", 1)[-1], "path": path, "sha": _sha("blob", content),
                            "size": len(content), "url": f"{_repo_url(state)}/contents/{quote(path)}"})
    body["commit"]["sha"] = branch.sha
    body["commit"]["message"] = handler.body.get("message", "")
    return (200 if existing is not None else 201), body, {}


@route("PUT", r"/contents/(?P<path>.+)")
def put_contents(handler, base, owner, repo, path):
    state = handler.state
    if handler.body.get("branch") not in (None, "main"):
        return _put_on_branch(handler, path, handler.body["branch"])
    existing = state.main.get(path)
    if existing is not None and handler.body.get("sha") != _sha("blob", existing):
        raise _Reply(409, {"message": f"{path} does not match {handler.body.get('sha')}"})
    if existing is None and handler.body.get("sha"):
        raise _Reply(422, {"message": "sha given for a file that does not exist"})
    content = base64.b64decode(handler.body["content"])
    state.commit_main({path: content})
    body = _example("file-commit-example-for-creating-a-file")
    body["content"].update({"name": path.rsplit("/", 1)[-1], "path": path, "sha": _sha("blob", content),
                            "size": len(content), "url": f"{_repo_url(state)}/contents/{quote(path)}"})
    body["commit"]["sha"] = state.main_sha
    body["commit"]["message"] = handler.body.get("message", "")
    return (200 if existing is not None else 201), body, {}


@route("GET", r"/actions/workflows/(?P<workflow>[^/]+)")
def get_workflow(handler, base, owner, repo, workflow):
    if workflow not in handler.state.workflows:
        raise _Reply(404, {"message": "Not Found"})
    body = _example("workflow")
    body.update({"path": f".github/workflows/{workflow}",
                 "url": f"{_repo_url(handler.state)}/actions/workflows/{workflow}"})
    return 200, body, {}


@route("POST", r"/actions/workflows/(?P<workflow>[^/]+)/dispatches")
def dispatch_workflow(handler, base, owner, repo, workflow):
    handler.state.dispatches.append((workflow, handler.body.get("ref")))
    return 204, None, {}


@route("PUT", r"/branches/(?P<branch>[^/]+)/protection")
def protect_branch(handler, base, owner, repo, branch):
    handler.state.protection = {"branch": branch, **handler.body}
    body = _example("branch-protection-update")
    body["url"] = f"{_repo_url(handler.state)}/branches/{branch}/protection"
    reviews = handler.body.get("required_pull_request_reviews") or {}
    body["required_pull_request_reviews"]["require_code_owner_reviews"] = bool(reviews.get("require_code_owner_reviews"))
    return 200, body, {}


@route("POST", r"/pages")
def create_pages(handler, base, owner, repo):
    if handler.state.pages is not None:
        raise _Reply(409, {"message": "GitHub Pages is already enabled."})
    handler.state.pages = {"build_type": handler.body.get("build_type")}
    body = _example("page")
    body["build_type"] = handler.state.pages["build_type"]
    return 201, body, {}


@route("PUT", r"/pages")
def update_pages(handler, base, owner, repo):
    handler.state.pages = {"build_type": handler.body.get("build_type")}
    return 204, None, {}
