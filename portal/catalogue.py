"""Which proposals the public catalogue shows, and how their dates read.

A proposal is published when the latest of its evaluation records (the one with the highest
sequence) says it was selected. A later record replaces an earlier decision; a revocation is a
change to the record itself, so a revoked product drops out of the catalogue.
"""

from __future__ import annotations

import re

SELECTED = "selected"

_DATE = re.compile(r"^(?P<year>[0-9]{4})(?:-(?P<month>[0-9]{2})(?:-(?P<day>[0-9]{2}))?)?")


def latest_record(records: list) -> dict | None:
    """Return the record with the highest sequence among dicts or loaded documents."""
    best = None
    for record in records or []:
        data = getattr(record, "data", record)
        if not isinstance(data, dict):
            continue
        sequence = data.get("sequence") if isinstance(data.get("sequence"), int) else 0
        if best is None or sequence >= best[0]:
            best = (sequence, data)
    return best[1] if best else None


def outcome(record: dict | None) -> str | None:
    if not isinstance(record, dict):
        return None
    decision = record.get("decision")
    return decision.get("outcome") if isinstance(decision, dict) else None


def is_published(record: dict | None) -> bool:
    """Tell whether a (latest) record puts its proposal in the public catalogue."""
    return outcome(record) == SELECTED


def format_date(value) -> str:
    """Format `2024-03-15` as 15/03/2024, `2021-05` as 05/2021 and `2021` as 2021.

    A timestamp such as `2024-03-15T09:30:00+07:00` shows its date part. Anything else is
    returned unchanged, so a page never fails on an odd date.
    """
    if value is None:
        return ""
    text = str(value)
    match = _DATE.match(text)
    if not match:
        return text
    if match["day"]:
        return f"{match['day']}/{match['month']}/{match['year']}"
    if match["month"]:
        return f"{match['month']}/{match['year']}"
    return match["year"]
