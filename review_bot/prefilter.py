"""Decide from the event payload alone whether an event can change anything.

Most comments on a pull request carry no command. The payload already carries the comment's text,
author and action, so such an event ends here, before the bot reads its settings or makes any
GitHub request. This module imports only the command parser, which keeps that path fast.
"""

from __future__ import annotations

from . import commands


def skip_reason(event_name: str, payload: dict, bot_login: str | None = None) -> str | None:
    """Return why the event needs no work (for the log), or None when the bot must handle it."""
    if event_name != "issue_comment":
        return None
    comment = payload.get("comment") or {}
    issue = payload.get("issue") or {}
    where = f"comment {comment.get('id')} on #{issue.get('number')}"
    action = payload.get("action")
    if action != "created":
        return f"{where} was {action}; edited or deleted comments never run commands"
    if not issue.get("pull_request"):
        return f"{where} is on an issue, not a pull request"
    user = comment.get("user") or {}
    login = str(user.get("login") or "")
    if user.get("type") == "Bot" or (bot_login and login.lower() == bot_login.lower()):
        return f"{where} was written by a bot ({login})"
    if not commands.parse(comment.get("body") or ""):
        return f"{where} holds no command"
    return None
