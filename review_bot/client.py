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
import warnings
from dataclasses import dataclass, field
from typing import Callable

import requests
from github import Auth, Github, GithubException, UnknownObjectException

log = logging.getLogger(__name__)


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

    def call(self, description: str, function: Callable, write: bool = False):
        attempt = 0
        while True:
            try:
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


class GitHubClient:
    """The GitHub calls of the bot, on one repository."""

    def __init__(self, repository: str, token: str, base_url: str = "https://api.github.com",
                 policy: RetryPolicy | None = None, throttle: bool = True, timeout: int = 15):
        self.policy = policy or RetryPolicy()
        options = {} if throttle else {"seconds_between_requests": None, "seconds_between_writes": None}
        # PyGithub's own retries are off: RetryPolicy decides, logs and caps every wait.
        self.github = Github(auth=Auth.Token(token), base_url=base_url, retry=None, timeout=timeout, **options)
        self.repository = repository
        with warnings.catch_warnings():
            # PyGithub 2.10 deprecates the per-call `lazy`; it still saves one GET per run.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.repo = self.github.get_repo(repository, lazy=True)
        self._pulls: dict = {}
        self._comments: dict = {}

    # --- helpers -----------------------------------------------------------------------------

    def _read(self, description: str, function: Callable):
        return self.policy.call(description, function)

    def _write(self, description: str, function: Callable):
        return self.policy.call(description, function, write=True)

    def _pull(self, number: int):
        if number not in self._pulls:
            self._pulls[number] = self._read(f"get PR #{number}", lambda: self.repo.get_pull(number))
        return self._pulls[number]

    def forget(self, number: int) -> None:
        self._pulls.pop(number, None)

    # --- pull requests -----------------------------------------------------------------------

    def get_pull(self, number: int) -> PullInfo:
        self.forget(number)
        pull = self._pull(number)
        return PullInfo(number=pull.number, author=pull.user.login, author_type=pull.user.type,
                        head_sha=pull.head.sha, state=pull.state, merged=bool(pull.merged),
                        created_at=_iso(pull.created_at), title=pull.title or "")

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
        comments = self._read(f"list comments of PR #{number}", lambda: list(self._pull(number).get_issue_comments()))
        result = []
        for comment in comments:
            self._comments[comment.id] = comment
            result.append({"id": comment.id, "login": comment.user.login, "user_type": comment.user.type,
                           "created_at": _iso(comment.created_at), "updated_at": _iso(comment.updated_at),
                           "body": comment.body or ""})
        return result

    def create_comment(self, number: int, body: str) -> int:
        comment = self._write(f"comment on PR #{number}", lambda: self._pull(number).create_issue_comment(body))
        self._comments[comment.id] = comment
        return comment.id

    def edit_comment(self, comment_id: int, body: str) -> None:
        comment = self._comments[comment_id]
        self._write(f"edit comment {comment_id}", lambda: comment.edit(body))

    # --- labels and people -------------------------------------------------------------------

    def labels_of(self, number: int) -> list[str]:
        return self._read(f"list labels of PR #{number}", lambda: [l.name for l in self._pull(number).get_labels()])

    def add_labels(self, number: int, names: list[str]) -> None:
        self._write(f"add labels {names} to PR #{number}", lambda: self._pull(number).add_to_labels(*names))

    def remove_label(self, number: int, name: str) -> None:
        try:
            self._write(f"remove label {name!r} from PR #{number}", lambda: self._pull(number).remove_from_labels(name))
        except UnknownObjectException:
            log.info("PR #%s: label %r was already gone", number, name)

    def repository_labels(self) -> set[str]:
        return self._read("list repository labels", lambda: {l.name for l in self.repo.get_labels()})

    def create_label(self, name: str, colour: str, description: str) -> None:
        try:
            self._write(f"create label {name!r}", lambda: self.repo.create_label(name, colour, description))
        except GithubException as error:
            if error.status != 422:  # 422: it exists already
                raise

    def add_assignee(self, number: int, login: str) -> None:
        self._write(f"assign {login} to PR #{number}", lambda: self._pull(number).add_to_assignees(login))

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

    def write_file(self, path: str, text: str, message: str, branch: str) -> None:
        existing = self.read_file(path, branch)
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


def _iso(moment: datetime.datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
