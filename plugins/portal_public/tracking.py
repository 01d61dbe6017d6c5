"""Public tracking of dossiers: a status page per open proposal and an SVG badge per slug.

Open dossiers come from the review bot's snapshot, which carries the stage, the days in the stage
and the deadline but no personal data. Decided dossiers get a badge with their latest outcome.
"""

from __future__ import annotations

from html import escape

TRACKING_URL = "theo-doi/{slug}/"
BADGE_URL = "theo-doi/{slug}/trang-thai.svg"

OUTCOME_BADGES = {
    "selected": ("Đã công bố", "#1e6b34"),
    "not_selected": ("Không được lựa chọn", "#5c5c5c"),
    "refused": ("Từ chối tiếp nhận", "#5c5c5c"),
    "withdrawn": ("Đã rút", "#5c5c5c"),
    "revoked": ("Đã thu hồi", "#8a1c1c"),
}
OPEN_COLOUR = "#0b5394"
OVERDUE_COLOUR = "#8a1c1c"


def _text_width(text: str) -> int:
    # An estimate for a 11 px sans-serif font: about 7 px per character.
    return 7 * len(text) + 12


def badge_svg(label: str, value: str, colour: str) -> str:
    """Draw a two-part status badge; the text is also in its <title> for screen readers."""
    left, right = _text_width(label), _text_width(value)
    width = left + right
    title = escape(f"{label}: {value}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        f'<rect width="{left}" height="20" fill="#333333"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#ffffff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="6" y="14">{escape(label)}</text>'
        f'<text x="{left + 6}" y="14">{escape(value)}</text></g></svg>\n'
    )


def open_badge(item: dict) -> str:
    value = str(item.get("stage_label") or f"Bước {item.get('stage', '?')}")
    colour = OVERDUE_COLOUR if item.get("overdue") is True else OPEN_COLOUR
    if item.get("overdue") is True:
        value += " · quá hạn"
    return badge_svg("Hồ sơ", value, colour)


def outcome_badge(outcome: str) -> str:
    value, colour = OUTCOME_BADGES.get(outcome, (outcome, "#5c5c5c"))
    return badge_svg("Hồ sơ", value, colour)
