"""Render submitters' Markdown to HTML that is safe to put on the public site.

Python-Markdown passes raw HTML through, so every fragment is cleaned with nh3 afterwards. Only
the tags and attributes listed here survive. Links keep only http, https and mailto targets, and
nh3 decodes entities and ignores letter case before it compares the scheme. Every link gets
`rel="nofollow noopener"`. Scripts, styles, iframes, images, event handlers and `data:`
URLs never reach the page.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import pickle
import threading
import xml.etree.ElementTree as etree
from pathlib import Path

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from portal.fingerprint import add_library_versions

log = logging.getLogger(__name__)

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
        # Sanitised HTML keyed by source text. `_known` is read from a cache file, and `_used`
        # collects what this run rendered, which `save_cache` writes.
        self._known: dict[str, str] = {}
        self._used: dict[str, str] = {}

    def render(self, text: str | None) -> Markup:
        if not text:
            return Markup("")
        html = self._used.get(text)
        if html is None:
            html = self._known.get(text)
        if html is None:
            with self._lock:
                self._markdown.reset()
                html = sanitise_html(self._markdown.convert(text))
        self._used[text] = html
        return Markup(html)

    # --- the persistent cache ---------------------------------------------------------------------

    def load_cache(self, path: str | os.PathLike) -> None:
        """Reuse the HTML saved by an earlier build with the same rendering code and libraries.

        A missing, unreadable or outdated file is ignored: every text is then converted again.
        """
        try:
            with open(path, "rb") as handle:
                saved = pickle.load(handle)
        except FileNotFoundError:
            return
        except Exception as error:  # noqa: BLE001 - a damaged cache must never stop a build
            log.warning("ignoring unreadable Markdown cache %s (every text is converted again): %s", path, error)
            return
        if not (isinstance(saved, dict) and saved.get("fingerprint") == rendering_fingerprint()
                and isinstance(saved.get("html"), dict)):
            return
        self._known = {text: html for text, html in saved["html"].items()
                       if isinstance(text, str) and isinstance(html, str)}

    def save_cache(self, path: str | os.PathLike) -> None:
        """Write the HTML of the texts rendered since the cache was loaded; failure is only logged."""
        path = Path(path)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump({"fingerprint": rendering_fingerprint(), "html": self._used}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        except OSError as error:
            log.warning("could not write the Markdown cache %s: %s", path, error)
            try:
                temporary.unlink()
            except OSError:
                pass


@functools.lru_cache(maxsize=1)
def rendering_fingerprint() -> str:
    """Hash this module's source and the versions of the libraries that produce the HTML."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    add_library_versions(digest, ("Markdown", "nh3", "MarkupSafe"))
    return digest.hexdigest()


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
