"""The issue-form intake's narrow GitHub interface, implemented over the bot's `GitHubClient`.

Each method is safe to repeat: an existing branch is kept, a file with the same content is not
rewritten, an open pull request from the branch is reused, and a comment is posted once per key.
"""

from __future__ import annotations

import logging

from .client import GitHubClient

log = logging.getLogger(__name__)


class IntakeAdapter:
    def __init__(self, client: GitHubClient, base_branch: str):
        self.client = client
        self.base_branch = base_branch
        self._labels: dict[int, set] = {}

    def current_issue(self, number: int) -> dict:
        info = self.client.get_issue(number)
        self._labels[number] = set(info.labels)
        return {"state": info.state, "body": info.body, "labels": info.labels, "author": info.author,
                "is_pull": info.is_pull}

    def default_branch(self) -> tuple[str, str]:
        sha = self.client.branch_sha(self.base_branch)
        if sha is None:
            raise RuntimeError(f"base branch {self.base_branch} not found")
        return self.base_branch, sha

    def ensure_branch(self, name: str, sha: str) -> None:
        if self.client.branch_sha(name) is None:
            self.client.create_branch(name, sha)
            log.info("Created branch %s at %s", name, sha[:12])

    def write_file(self, branch: str, path: str, text: str, message: str) -> None:
        self.client.write_file(path, text, message, branch)

    def find_pull(self, head_branch: str) -> int | None:
        return self.client.find_pull(head_branch)

    def open_pull(self, title: str, body: str, head: str, base: str) -> int:
        return self.client.create_pull(title, body, head, base)

    def comment(self, number: int, body: str, key: str) -> None:
        if self.client.find_comment(number, key) is not None:
            log.info("#%s: comment %s was posted before; not posting it again", number, key)
            return
        self.client.create_comment(number, body, key=key)

    def set_label(self, number: int, label: str, present: bool) -> None:
        labels = self._labels.get(number)
        if present and (labels is None or label not in labels):
            self.client.add_issue_labels(number, [label])
        elif not present and (labels is None or label in labels):
            self.client.remove_issue_label(number, label)
        if labels is not None:
            (labels.add if present else labels.discard)(label)

    def close_issue(self, number: int) -> None:
        self.client.close_issue(number)
