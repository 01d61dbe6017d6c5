"""Quoting text from submitters back into comments without letting it act as Markdown."""

from __future__ import annotations

import re

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def neutralise(text: str, limit: int = 300) -> str:
    """Return one line of `text` safe to embed in Markdown: no mentions, links, HTML or markup."""
    line = " ".join(str(text).split())
    if len(line) > limit:
        line = line[: limit - 1] + "…"
    line = line.replace("&", "&amp;").replace("<", "&lt;")
    line = _MARKDOWN.sub(r"\\\1", line)
    # A word joiner after "@" stops GitHub from turning it into a mention or team ping.
    return line.replace("@", "@\u2060")


def mention(login: str) -> str:
    return f"@{login}"


def code_login(login: str | None) -> str:
    """Show a login without notifying its owner."""
    return f"`{login}`" if login else "chưa có"
