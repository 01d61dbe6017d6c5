"""A proposal's attachment folder read through the GitHub API, for `portal.checks`.

The folder listing at the pull request's head commit gives every file's size, so a file above
the limit is rejected without being downloaded. The type check needs the first bytes: the
contents API has no byte ranges, so the blob is downloaded, which the size limit caps at
`portal.checks.MAX_ATTACHMENT_BYTES`.
"""

from __future__ import annotations

import logging

from portal.checks import ATTACHMENT_HEAD_BYTES

from .client import GitHubClient

log = logging.getLogger(__name__)


class ApiAttachments:
    def __init__(self, client: GitHubClient, slug: str, ref: str):
        self.client = client
        self.ref = ref
        self.folder = f"content/proposals/{slug}"
        self.display_folder = self.folder + "/"
        self._entries: dict[str, dict] | None = None

    def files(self) -> dict[str, int]:
        if self._entries is None:
            listing = self.client.list_directory(self.folder, self.ref) or []
            self._entries = {entry["name"]: entry for entry in listing if entry["type"] == "file"}
        return {name: entry["size"] for name, entry in self._entries.items()}

    def head(self, name: str) -> bytes:
        entry = self._entries[name]
        log.info("Reading the first bytes of %s/%s (%d bytes) at %s", self.folder, name, entry["size"], self.ref[:12])
        return self.client.read_blob(entry["sha"])[:ATTACHMENT_HEAD_BYTES]
