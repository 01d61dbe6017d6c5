"""The message catalogue: every user-facing validation message, in Vietnamese and English.

The catalogue is a JSON file so the web form can load the very same texts as the command line
and the review bot.
"""

from __future__ import annotations

import functools
import json
import string

from . import DATA_DIR

DEFAULT_LANGUAGE = "vi"


@functools.cache
def catalogue() -> dict:
    with open(DATA_DIR / "messages.json", encoding="utf-8") as handle:
        data = json.load(handle)
    data.pop("_comment", None)
    return data


def placeholders(code: str) -> set[str]:
    """Return the placeholder names used by one message in every language."""
    names: set[str] = set()
    for texts in catalogue()[code].values():
        for template in texts.values():
            names.update(name for _, name, _, _ in string.Formatter().parse(template) if name)
    return names


def render_message(code: str, language: str = DEFAULT_LANGUAGE, **params) -> tuple[str, str]:
    """Return the (message, fix) pair for `code` with its placeholders filled in.

    A placeholder the caller did not give renders as an empty string, so a missing detail never
    turns a user's mistake into a crash.
    """
    entry = catalogue()[code][language]
    values = {name: "" for name in placeholders(code)}
    values.update({key: str(value) for key, value in params.items()})
    return entry["message"].format(**values), entry["fix"].format(**values)
