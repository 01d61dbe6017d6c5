"""The narrow GitHub interface the bot uses, over PyGithub, with an explicit retry policy.

Every GitHub call the bot makes is a method here, so the list of endpoints it needs is visible
in one place (the local test server implements exactly these). Each call is retried on 5xx
responses, timeouts and primary or secondary rate limits, honouring Retry-After, until the
total wait of the run would pass `max_total_wait` seconds, which is kept below the job's timeout.
"""

from __future__ import annotations

import base64
import datetime
import logging
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import quote

import requests
from github import Auth, Github, GithubException, UnknownObjectException

log = logging.getLogger(__name__)


KEY_PREFIX = "<!-- portal-review-bot:key "
KEY_SUFFIX = " -->"


def idempotency_marker(key: str) -> str:
    """Return the hidden HTML comment that lets a retried comment creation find its earlier copy."""
    return f"{KEY_PREFIX}{key}{KEY_SUFFIX}"


class RetriesExhausted(Exception):
    """GitHub kept failing and the run's retry budget is spent."""


class WriteRefused(Exception):
    """GitHub returned 403 for a write: the token is read-only (a pull request from a fork)."""


@dataclass
class RetryPolicy:
    max_attempts: int = 6
    base_delay: float = 2.0
    max_delay: float = 120.0
    # The bot job's timeout is 30 minutes; waiting at most 20 leaves time to report.
    max_total_wait: float = 20 * 60
    sleep: Callable[[float], None] = time.sleep
    waited: float = 0.0
    waits: list = field(default_factory=list)

    def delay_for(self, error: Exception, attempt: int) -> tuple[float | None, str]:
        """Return (seconds to wait, reason), or (None, reason) when the error is final."""
        backoff = min(self.max_delay, self.base_delay * (2 ** attempt))
        if isinstance(error, (requests.exceptions.Timeout, requests.exceptions.ConnectionError)):
            return backoff, f"network error ({type(error).__name__})"
        if not isinstance(error, GithubException):
            return None, repr(error)
        status = error.status
        headers = {key.lower(): value for key, value in (error.headers or {}).items()}
        message = str((error.data or {}).get("message", "")) if isinstance(error.data, dict) else ""
        if status >= 500:
            return backoff, f"server error {status}"
        if status in (403, 429):
            if "retry-after" in headers:
                return float(headers["retry-after"]), f"rate limit ({status}), Retry-After {headers['retry-after']} s"
            if headers.get("x-ratelimit-remaining") == "0" and "x-ratelimit-reset" in headers:
                reset = float(headers["x-ratelimit-reset"]) - time.time()
                return max(1.0, reset + 1), "primary rate limit exhausted"
            if "secondary rate limit" in message.lower() or status == 429:
                return max(60.0, backoff), "secondary rate limit without Retry-After"
        return None, f"HTTP {status}: {message}"

    def call(self, description: str, function: Callable, write: bool = False,
             recover: Callable[[], object] | None = None):
        """Run `function`, retrying transient failures.

        A failed write may still have taken effect on GitHub. When `recover` is given, it is
        called before each retry, and a result other than None is returned in place of
        repeating the write.
        """
        attempt = 0
        while True:
            try:
                if attempt and recover is not None:
                    found = recover()
                    if found is not None:
                        log.warning("GitHub call %s had taken effect before it failed; not repeating it",
                                    description)
                        return found
                return function()
            except (GithubException, requests.exceptions.RequestException) as error:
                delay, reason = self.delay_for(error, attempt)
                if delay is None:
                    if write and isinstance(error, GithubException) and error.status == 403:
                        raise WriteRefused(f"{description}: {reason}") from error
                    raise
                attempt += 1
                if attempt >= self.max_attempts or self.waited + delay > self.max_total_wait:
                    raise RetriesExhausted(f"{description}: gave up after {attempt} attempts "
                                           f"and {self.waited:.0f} s of waiting ({reason})") from error
                log.warning("GitHub call %s failed: %s; waiting %.0f s before attempt %d",
                            description, reason, delay, attempt + 1)
                self.waits.append((description, reason, delay))
                self.sleep(delay)
                self.waited += delay


@dataclass
class PullInfo:
    number: int
    author: str
    author_type: str
    head_sha: str
    state: str
    merged: bool
    created_at: str
    title: str
    body: str = ""
    head_ref: str = ""


@dataclass
class IssueInfo:
    number: int
    author: str
    state: str
    body: str
    labels: list
    updated_at: str
    is_pull: bool


class GitHubClient:
    """The GitHub calls of the bot, on one repository."""

    def __init__(self, repository: str, token: str, base_url: str = "https://api.github.com",
                 policy: RetryPolicy | None = None, throttle: bool = True, timeout: int = 15):
        self.policy = policy or RetryPolicy()
        options = {} if throttle else {"seconds_between_requests": None, "seconds_between_writes": None}
        # PyGithub's own retries are off: RetryPolicy decides, logs and caps every wait.
        # lazy=True: get_repo, get_pull and get_issue build objects from their URL without a request;
        # an attribute that the object lacks is fetched when first read.
        self.github = Github(auth=Auth.Token(token), base_url=base_url, retry=None, timeout=timeout, lazy=True,
                             **options)
        self.repository = repository
        self.repo = self.github.get_repo(repository)
        self._pulls: dict = {}
        self._comments: dict = {}
        # The bot's own login, which recognises its earlier comments; Bot sets it from the config.
        self.own_login = "github-actions[bot]"

    # --- helpers -----------------------------------------------------------------------------

    def _read(self, description: str, function: Callable):
        return self.policy.call(description, function)

    def _write(self, description: str, function: Callable):
        return self.policy.call(description, function, write=True)

    def _issue(self, number: int):
        # Lazy: built without a request; it supplies the issue's URL for labels, assignees and
        # comments (a lazy pull request would fetch itself to find its issue URL).
        return self.repo.get_issue(number)

    def _pull(self, number: int):
        # Lazy: no request here; the calls made on it (files, merge, labels…) only need its URL.
        if number not in self._pulls:
            self._pulls[number] = self.repo.get_pull(number)
        return self._pulls[number]

    def forget(self, number: int) -> None:
        self._pulls.pop(number, None)

    # --- pull requests -----------------------------------------------------------------------

    def get_pull(self, number: int) -> PullInfo:
        self.forget(number)
        data = self._read(f"get PR #{number}", lambda: self.github.requester.requestJsonAndCheck(
            "GET", f"{self.repo.url}/pulls/{number}")[1])
        return pull_info(data)

    def list_files(self, number: int) -> list[dict]:
        files = self._read(f"list files of PR #{number}", lambda: list(self._pull(number).get_files()))
        return [{"filename": f.filename, "status": f.status, "sha": f.sha,
                 "previous_filename": f.previous_filename} for f in files]

    def merge(self, number: int, sha: str, title: str) -> bool:
        status = self._write(f"merge PR #{number}", lambda: self._pull(number).merge(
            merge_method="squash", sha=sha, commit_title=title))
        return bool(status.merged)

    def close(self, number: int) -> None:
        self._write(f"close PR #{number}", lambda: self._pull(number).edit(state="closed"))

    def open_pulls(self) -> list[int]:
        return self._read("list open PRs", lambda: [p.number for p in self.repo.get_pulls(state="open")])

    def closed_with_labels_since(self, since: datetime.datetime) -> list[tuple[int, list[str]]]:
        issues = self._read("list recently closed issues", lambda: list(self.repo.get_issues(state="closed", since=since)))
        return [(i.number, [label.name for label in i.labels]) for i in issues if i.pull_request is not None]

    def open_assignees(self) -> list[list[str]]:
        issues = self._read("list open issues", lambda: list(self.repo.get_issues(state="open")))
        return [[a.login for a in i.assignees] for i in issues if i.pull_request is not None]

    # --- comments ----------------------------------------------------------------------------

    def list_comments(self, number: int) -> list[dict]:
        comments = self._read(f"list comments of #{number}", lambda: list(self._issue(number).get_comments()))
        result = []
        for comment in comments:
            self._comments[comment.id] = comment
            result.append({"id": comment.id, "login": comment.user.login, "user_type": comment.user.type,
                           "created_at": _iso(comment.created_at), "updated_at": _iso(comment.updated_at),
                           "body": comment.body or ""})
        return result

    def create_comment(self, number: int, body: str, key: str | None = None) -> int:
        """Post a comment on a pull request or issue and return its id.

        With a `key`, the body carries a hidden marker, and a retry after a failure that may have
        stored the comment first looks for that marker, so the comment is never posted twice.
        """
        if key is not None:
            body = body.rstrip("\n") + "\n\n" + idempotency_marker(key)

        def find_posted():
            return self._comments.get(self.find_comment(number, key))

        comment = self.policy.call(f"comment on #{number}", lambda: self._issue(number).create_comment(body),
                                   write=True, recover=find_posted if key is not None else None)
        self._comments[comment.id] = comment
        return comment.id

    def find_comment(self, number: int, key: str) -> int | None:
        """Return the id of the bot's comment on #number that carries `key`, if there is one."""
        for comment in self.list_comments(number):
            if comment["login"].lower() == self.own_login.lower() and idempotency_marker(key) in comment["body"]:
                return comment["id"]
        return None

    def edit_comment(self, comment_id: int, body: str) -> None:
        comment = self._comments[comment_id]
        self._write(f"edit comment {comment_id}", lambda: comment.edit(body))

    # --- issues and branches (the issue form) --------------------------------------------------

    def get_issue(self, number: int) -> IssueInfo:
        issue = self._read(f"get issue #{number}", lambda: self.repo.get_issue(number).raw_data)
        return IssueInfo(number=issue["number"], author=issue["user"]["login"], state=issue["state"],
                         body=issue.get("body") or "", labels=[label["name"] for label in issue.get("labels") or []],
                         updated_at=issue.get("updated_at") or "", is_pull=bool(issue.get("pull_request")))

    def close_issue(self, number: int) -> None:
        self._write(f"close issue #{number}", lambda: self._issue(number).edit(state="closed", state_reason="completed"))

    def add_issue_labels(self, number: int, names: list[str]) -> None:
        self._write(f"add labels {names} to #{number}", lambda: self._issue(number).add_to_labels(*names))

    def remove_issue_label(self, number: int, name: str) -> None:
        try:
            self._write(f"remove label {name!r} from #{number}", lambda: self._issue(number).remove_from_labels(name))
        except UnknownObjectException:
            log.info("#%s: label %r was already gone", number, name)

    def branch_sha(self, branch: str) -> str | None:
        """Return the head commit of `branch`, or None when the branch does not exist."""
        try:
            # The attribute access is inside the call: PyGithub may fetch the reference lazily.
            return self._read(f"get branch {branch}", lambda: self.repo.get_git_ref(f"heads/{branch}").object.sha)
        except UnknownObjectException:
            return None

    def create_branch(self, branch: str, sha: str) -> None:
        try:
            self._write(f"create branch {branch}", lambda: self.repo.create_git_ref(f"refs/heads/{branch}", sha))
        except GithubException as error:
            if error.status != 422:  # 422: the branch exists already, as after a retried request
                raise
            log.info("Branch %s exists already", branch)

    def find_pull(self, head_branch: str) -> int | None:
        """Return the newest open pull request whose head is `head_branch` in this repository."""
        owner = self.repository.split("/")[0]
        pulls = self._read(f"find PR from {head_branch}",
                           lambda: list(self.repo.get_pulls(state="open", head=f"{owner}:{head_branch}")))
        return max((pull.number for pull in pulls), default=None)

    def create_pull(self, title: str, body: str, head: str, base: str) -> int:
        def existing():
            return self.find_pull(head)
        number = self.policy.call(f"open PR from {head}",
                                  lambda: self.repo.create_pull(base=base, head=head, title=title, body=body).number,
                                  write=True, recover=existing)
        return number

    def list_directory(self, path: str, ref: str) -> list[dict] | None:
        """Return the entries (name, path, type, size, sha) of a folder at `ref`, or None when absent."""
        try:
            content = self._read(f"list {path}@{ref[:12]}", lambda: self.repo.get_contents(path, ref=ref))
        except UnknownObjectException:
            return None
        if not isinstance(content, list):
            return None
        return [{"name": c.name, "path": c.path, "type": c.type, "size": c.size, "sha": c.sha} for c in content]

    def read_blob(self, sha: str) -> bytes:
        blob = self._read(f"read blob {sha[:12]}", lambda: self.repo.get_git_blob(sha))
        return base64.b64decode(blob.content or "")

    # --- labels and people -------------------------------------------------------------------

    def labels_of(self, number: int) -> list[str]:
        return self._read(f"list labels of PR #{number}", lambda: [l.name for l in self._issue(number).get_labels()])

    def add_labels(self, number: int, names: list[str]) -> None:
        self._write(f"add labels {names} to PR #{number}", lambda: self._issue(number).add_to_labels(*names))

    def remove_label(self, number: int, name: str) -> None:
        try:
            self._write(f"remove label {name!r} from PR #{number}", lambda: self._issue(number).remove_from_labels(name))
        except UnknownObjectException:
            log.info("PR #%s: label %r was already gone", number, name)

    def set_labels(self, number: int, names: list[str]) -> list[dict]:
        """Replace the labels of #number with `names` in one request and return the labels it
        now has (name, color, description). GitHub creates a name the repository lacks."""
        url = f"{self.repo.url}/issues/{number}/labels"
        _, data = self._write(f"set labels {names} on PR #{number}",
                              lambda: self.github.requester.requestJsonAndCheck("PUT", url, input={"labels": names}))
        return [{"name": label["name"], "color": label.get("color"), "description": label.get("description")}
                for label in data or []]

    def update_label(self, name: str, colour: str, description: str) -> None:
        url = f"{self.repo.url}/labels/{quote(name, safe='')}"
        self._write(f"style label {name!r}", lambda: self.github.requester.requestJsonAndCheck(
            "PATCH", url, input={"color": colour, "description": description}))

    def repository_labels(self) -> set[str]:
        return self._read("list repository labels", lambda: {l.name for l in self.repo.get_labels()})

    def create_label(self, name: str, colour: str, description: str) -> None:
        try:
            self._write(f"create label {name!r}", lambda: self.repo.create_label(name, colour, description))
        except GithubException as error:
            if error.status != 422:  # 422: it exists already
                raise

    def add_assignee(self, number: int, login: str) -> None:
        self._write(f"assign {login} to PR #{number}", lambda: self._issue(number).add_to_assignees(login))

    def request_reviewers(self, number: int, logins: list[str]) -> None:
        self._write(f"request review of PR #{number}", lambda: self._pull(number).create_review_request(reviewers=logins))

    # --- repository content ------------------------------------------------------------------

    def read_file(self, path: str, ref: str) -> tuple[bytes, str] | None:
        """Return (content, blob sha) of a file at `ref`, or None when it does not exist."""
        try:
            content = self._read(f"read {path}@{ref[:12]}", lambda: self.repo.get_contents(path, ref=ref))
        except UnknownObjectException:
            return None
        if isinstance(content, list):
            return None
        return base64.b64decode(content.content or ""), content.sha

    def write_file(self, path: str, text: str, message: str, branch: str, absent: bool = False) -> None:
        """Create or update a file on `branch`; writing the content it already has does nothing.

        With `absent`, the caller has just read that the file does not exist, and it is created
        without reading it again."""
        existing = None if absent else self.read_file(path, branch)
        if existing is not None and existing[0] == text.encode("utf-8"):
            return
        if existing is None:
            self._write(f"create {path}", lambda: self.repo.create_file(path, message, text, branch=branch))
        else:
            self._write(f"update {path}", lambda: self.repo.update_file(path, message, text, existing[1], branch=branch))

    def dispatch(self, workflow: str, ref: str) -> None:
        def run():
            return self.repo.get_workflow(workflow).create_dispatch(ref)
        if not self._write(f"dispatch {workflow}", run):
            raise RuntimeError(f"dispatching {workflow} failed")

    # --- repository setup --------------------------------------------------------------------

    def protect_branch(self, branch: str) -> None:
        body = {"required_status_checks": None, "enforce_admins": True, "restrictions": None,
                "required_pull_request_reviews": {"require_code_owner_reviews": True,
                                                  "required_approving_review_count": 1,
                                                  "dismiss_stale_reviews": True}}
        url = f"{self.repo.url}/branches/{branch}/protection"
        self._write(f"protect {branch}", lambda: self.github.requester.requestJsonAndCheck("PUT", url, input=body))

    def set_pages_to_workflow(self) -> None:
        url = f"{self.repo.url}/pages"
        try:
            self._write("enable Pages", lambda: self.github.requester.requestJsonAndCheck(
                "POST", url, input={"build_type": "workflow"}))
        except GithubException as error:
            if error.status != 409:  # 409: Pages already enabled; switch its source instead
                raise
            self._write("set Pages source", lambda: self.github.requester.requestJsonAndCheck(
                "PUT", url, input={"build_type": "workflow"}))


def pull_info(data: dict) -> PullInfo:
    """Build a PullInfo from a pull request's JSON, as the REST API or an event payload gives it."""
    user = data.get("user") or {}
    head = data.get("head") or {}
    return PullInfo(number=data["number"], author=user.get("login") or "", author_type=user.get("type") or "",
                    head_sha=head.get("sha") or "", state=data.get("state") or "",
                    merged=bool(data.get("merged") or data.get("merged_at")),
                    created_at=data.get("created_at") or "", title=data.get("title") or "",
                    body=data.get("body") or "", head_ref=head.get("ref") or "")


def _iso(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
