"""Render submitters' Markdown to HTML that is safe to put on the public site.

Python-Markdown passes raw HTML through, so every fragment is cleaned with nh3 afterwards. Only
the tags and attributes listed here survive. Links keep only http, https and mailto targets, and
nh3 decodes entities and ignores letter case before it compares the scheme. Every link gets
`rel="nofollow noopener"`. Scripts, styles, iframes, images, event handlers and `data:`
URLs never reach the page.
"""

from __future__ import annotations

import threading
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h3", "h4",
    "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

# The product page uses h1 for the product and h2 for its sections, so a submitter's "# Title"
# becomes h3 and deeper levels follow, down to h6.
HEADING_OFFSET = 2


class _ShiftHeadings(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                level = min(int(element.tag[1]) + HEADING_OFFSET, 6)
                element.tag = f"h{level}"


class _ShiftHeadingsExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Markdown's API name
        md.treeprocessors.register(_ShiftHeadings(md), "portal_shift_headings", 5)


class MarkdownRenderer:
    """One reusable Python-Markdown converter followed by the nh3 sanitiser.

    Creating a `Markdown()` object costs more than converting a short text, so one instance is
    kept and `reset()` before each conversion. A lock keeps that safe if threads share it.
    """

    def __init__(self) -> None:
        self._markdown = markdown.Markdown(
            extensions=["tables", "sane_lists", _ShiftHeadingsExtension()],
            output_format="html",
        )
        self._lock = threading.Lock()

    def render(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        with self._lock:
            self._markdown.reset()
            html = self._markdown.convert(text)
        return Markup(sanitise_html(html))


def sanitise_html(html: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of an HTML fragment."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
