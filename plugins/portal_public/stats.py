"""Figures of the statistics page, drawn at build time as SVG bar charts with no script.

Decided dossiers come from the evaluation records (the latest record of each resubmission
counts once). Dossiers still open come from the snapshot that the review bot's scheduled workflow
writes (`data/open-dossiers.json`); without the snapshot the open figures are zero and the page
says the snapshot is missing.
"""

from __future__ import annotations

import json
import logging
import statistics
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from portal.workdays import Calendar, local_date, parse_timestamp

log = logging.getLogger(__name__)



def N_(message: str) -> str:
    """Mark a string for the gettext catalogue; it is translated where it is shown."""
    return message


# Each step of the procedure as (Vietnamese name, history action that starts it, actions that end it).
STEPS = (
    (N_("Tiếp nhận, rà soát"), "submitted", ("accepted", "refused")),
    (N_("Điều phối"), "accepted", ("assigned",)),
    (N_("Đánh giá"), "assigned", ("report",)),
    (N_("Chờ công bố"), "report", ("published",)),
)

OUTCOME_ORDER = ("selected", "not_selected", "refused", "withdrawn", "revoked")


@dataclass
class Statistics:
    received: int = 0
    accepted: int = 0
    under_evaluation: int = 0
    outcomes: dict = field(default_factory=dict)
    step_medians: list = field(default_factory=list)
    by_field: dict = field(default_factory=dict)
    by_month: dict = field(default_factory=dict)
    snapshot_found: bool = False


def load_snapshot(path: Path) -> list[dict] | None:
    """Read the open-dossier snapshot; return None when it is missing or unreadable."""
    if not path.is_file():
        log.info("no open-dossier snapshot at %s: open figures are zero", path)
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        log.warning("open-dossier snapshot %s is unreadable, ignored: %s", path, error)
        return None
    if not isinstance(data, list):
        log.warning("open-dossier snapshot %s is not a list, ignored", path)
        return None
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("slug"), str)]


def _history_dates(record: dict) -> dict[str, list]:
    dates: dict[str, list] = {}
    for event in record.get("history") or []:
        if not isinstance(event, dict):
            continue
        try:
            moment = parse_timestamp(str(event.get("date")))
        except ValueError:
            continue
        dates.setdefault(event.get("action"), []).append(local_date(moment))
    return dates


def compute(records: dict[str, list[dict]], snapshot: list[dict] | None, field_labels: dict,
            calendar: Calendar | None = None) -> Statistics:
    """Compute the figures from every record (slug -> records by sequence) and the snapshot."""
    calendar = calendar or Calendar()
    result = Statistics(snapshot_found=snapshot is not None)
    durations: dict[str, list[int]] = {name: [] for name, _, _ in STEPS}
    result.outcomes = {code: 0 for code in OUTCOME_ORDER}

    for slug, documents in records.items():
        for record in documents:
            result.received += 1
            history = _history_dates(record)
            if "accepted" in history or "imported" in history:
                result.accepted += 1
            for name, start, ends in STEPS:
                end_dates = [day for action in ends for day in history.get(action, [])]
                if history.get(start) and end_dates:
                    durations[name].append(calendar.working_days_between(min(history[start]), min(end_dates)))
            first = min((day for days in history.values() for day in days), default=None)
            if first:
                month = first.strftime("%Y-%m")
                result.by_month.setdefault(month, {"received": 0, "published": 0})["received"] += 1
        latest = documents[-1]
        outcome = (latest.get("decision") or {}).get("outcome")
        if outcome in result.outcomes:
            result.outcomes[outcome] += 1
        if outcome == "selected":
            published = str((latest.get("decision") or {}).get("published") or (latest.get("decision") or {}).get("date") or "")
            if published[:7]:
                result.by_month.setdefault(published[:7], {"received": 0, "published": 0})["published"] += 1
            for code in latest.get("_fields", []):
                result.by_field[code] = result.by_field.get(code, 0) + 1

    for item in snapshot or []:
        result.received += 1
        stage = item.get("stage")
        if isinstance(stage, int) and stage >= 3:
            result.accepted += 1
            result.under_evaluation += 1

    result.step_medians = [
        (name, statistics.median(values) if values else None, len(values)) for name, values in durations.items()
    ]
    result.by_field = {field_labels.get(code, code): count for code, count in sorted(result.by_field.items())}
    result.by_month = dict(sorted(result.by_month.items()))
    return result


# Longest label line, in characters, that fits the chart's width at its font size.
LABEL_LINE_LENGTH = 42


def _label_lines(label: str) -> list[str]:
    """Split a label into lines of at most LABEL_LINE_LENGTH characters, at spaces when possible."""
    lines, line = [], ""
    for word in str(label).split():
        while len(word) > LABEL_LINE_LENGTH:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:LABEL_LINE_LENGTH])
            word = word[LABEL_LINE_LENGTH:]
        candidate = f"{line} {word}".strip()
        if len(candidate) > LABEL_LINE_LENGTH and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    if line or not lines:
        lines.append(line)
    return lines


def bar_chart(title: str, rows: list[tuple[str, float]], width: int = 360, unit: str = "") -> str:
    """Draw a horizontal bar chart as inline SVG; the same numbers are in a table on the page.

    Each label stands on its own lines above its bar, so the chart is drawn close to its natural
    size on a 360 px screen and no label is cut, however long it is.
    """
    font, line_height, bar_height, gap, value_room = 14, 18, 16, 12, 64
    layout, top = [], gap
    for label, value in rows:
        lines = _label_lines(label)
        layout.append((lines, value, top))
        top += len(lines) * line_height + 4 + bar_height + gap
    height = max(top, gap * 2)
    largest = max((value for _, value in rows), default=0) or 1
    scale = (width - value_room) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width * 4 // 3}px;height:auto" role="img" aria-label="{escape(title)}">'
        f'<title>{escape(title)}</title>'
    ]
    for lines, value, row_top in layout:
        for number, line in enumerate(lines):
            parts.append(f'<text x="0" y="{row_top + (number + 1) * line_height - 4}" font-size="{font}" '
                         f'fill="#1b1b1b">{escape(line)}</text>')
        bar_top = row_top + len(lines) * line_height + 4
        length = max(0.0, value * scale)
        parts.append(
            f'<rect x="0" y="{bar_top}" width="{length:.1f}" height="{bar_height}" fill="#0b5394"></rect>'
            f'<text x="{length + 6:.1f}" y="{bar_top + bar_height - 3}" font-size="{font}" fill="#1b1b1b">'
            f'{escape(f"{value:g}{unit}")}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
