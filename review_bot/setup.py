"""Prepare a new portal repository through the API: labels, branch protection, Pages, checks."""

from __future__ import annotations

import logging

from .bot import all_labels, label_style
from .client import GitHubClient
from .config import CONFIG_PATH, ROSTER_PATH, ConfigError, parse_config, parse_roster

log = logging.getLogger(__name__)

REQUIRED_FILES = [
    ROSTER_PATH,
    CONFIG_PATH,
    ".github/CODEOWNERS",
    ".github/workflows/validate.yml",
    ".github/workflows/review-bot.yml",
    ".github/workflows/publish.yml",
    ".github/workflows/deadlines.yml",
]


def set_up(client: GitHubClient, branch: str = "main") -> list[str]:
    """Create missing labels, protect `branch`, set Pages to Actions; return problems found."""
    problems = []
    for path in REQUIRED_FILES:
        if client.read_file(path, branch) is None:
            problems.append(f"Thiếu tệp {path} trên nhánh {branch}; sao chép từ kho mẫu rồi chạy lại.")
    for path, parser in ((CONFIG_PATH, parse_config), (ROSTER_PATH, parse_roster)):
        found = client.read_file(path, branch)
        if found is not None:
            try:
                parser(found[0].decode("utf-8"))
            except ConfigError as error:
                problems.append(str(error))

    existing = client.repository_labels()
    for name in all_labels():
        if name not in existing:
            colour, description = label_style(name)
            client.create_label(name, colour, description)
            log.info("Created label %r", name)
    client.protect_branch(branch)
    log.info("Protected %s: pull requests need a code owner's review", branch)
    client.set_pages_to_workflow()
    log.info("Pages now builds from GitHub Actions")
    return problems
