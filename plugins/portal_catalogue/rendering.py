"""Jinja set-up shared by the Pelican build and by rendering one product page on its own.

Templates and the plugins wrap every interface string for gettext, and their source text is
Vietnamese. The English catalogue is kept as `translations/en/LC_MESSAGES/messages.po` and
compiled with Babel in memory when a build starts, so no `.mo` file is kept in the repository.
For Vietnamese, or a language without a catalogue, gettext's `NullTranslations` is installed and
templates render their source text.

The site is built once per language: Vietnamese at the site root, English under `en/`
(`LANGUAGE_PREFIX`). Pages keep the same path in both languages, so the language switch and the
hreflang links only add or drop the prefix.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
import os
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import Environment, FileSystemLoader, pass_context
from pelican.utils import get_relative_path, path_to_url

from portal import REPO_ROOT
from portal.catalogue import format_date

from .markup import MarkdownRenderer
from .model import default_organisation_slug, product_view

log = logging.getLogger(__name__)

TRANSLATION_DOMAIN = "messages"
TRANSLATIONS_DIR = REPO_ROOT / "translations"
SOURCE_LANGUAGE = "vi"
# Languages of the interface, the default first. Each other language is built under "<code>/".
LANGUAGES = ("vi", "en")
PRODUCT_TEMPLATE = "product.html"


def site_language(settings: dict) -> str:
    return settings.get("DEFAULT_LANG") or SOURCE_LANGUAGE


@functools.cache
def _compiled_catalogue(po_path: str, modified: float) -> bytes:
    with open(po_path, "rb") as source:
        catalogue = read_po(source)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    log.info("compiled %s (%d messages)", po_path, len(catalogue))
    return buffer.getvalue()


def load_translations(settings: dict | str) -> gettext.NullTranslations:
    """Compile and load the catalogue for the site's language, or one that changes nothing.

    `settings` is a Pelican settings dict or a language code.
    """
    language = settings if isinstance(settings, str) else site_language(settings)
    folder = TRANSLATIONS_DIR if isinstance(settings, str) else Path(settings.get("PORTAL_TRANSLATIONS_DIR") or TRANSLATIONS_DIR)
    po_path = folder / language / "LC_MESSAGES" / f"{TRANSLATION_DOMAIN}.po"
    if language == SOURCE_LANGUAGE or not po_path.is_file():
        return gettext.NullTranslations()
    data = _compiled_catalogue(str(po_path), po_path.stat().st_mtime)
    return gettext.GNUTranslations(io.BytesIO(data))


def language_prefix(settings: dict) -> str:
    """Return the folder of the site's language under the site root: "" for Vietnamese, "en/" for English."""
    language = site_language(settings)
    return "" if language == LANGUAGES[0] else f"{language}/"


def configure_environment(env: Environment, settings: dict) -> None:
    """Install translations, the catalogue's filters and the language helpers into a Jinja environment."""
    if hasattr(env, "install_gettext_translations"):
        env.install_gettext_translations(load_translations(settings), newstyle=True)
    env.filters["vn_date"] = format_date
    env.filters["external_url"] = external_url
    env.globals["root_url"] = root_url
    env.globals["language_links"] = language_links
    env.globals["LANGUAGE_PREFIX"] = language_prefix(settings)
    env.globals["SITE_LANGUAGES"] = LANGUAGES


@pass_context
def root_url(context) -> str:
    """Return the address of the site root (where the Vietnamese pages, open data and static files are).

    For the Vietnamese pages it is SITEURL. For another language SITEURL points at its folder
    ("en"), so the root is one level up: relative links gain "/..", absolute ones lose "/en".
    """
    site = context.get("SITEURL", "")
    prefix = context.get("LANGUAGE_PREFIX", "").rstrip("/")
    if not prefix:
        return site
    if site.endswith("/" + prefix):
        return site[: -len(prefix) - 1]
    if site in ("", "."):
        return ".."
    return site + "/.."


def page_path(output_file: str) -> str:
    """Return the address of a page inside its language folder: "danh-muc/index.html" -> "danh-muc/"."""
    name = str(output_file or "").replace(os.sep, "/")
    # The not-found page stands in for any address, so its other language is that language's home.
    if name in ("index.html", "404.html"):
        return ""
    if name.endswith("/index.html"):
        return name[: -len("index.html")]
    return name


@pass_context
def language_links(context) -> list[dict]:
    """Return the page in every interface language: code, address and whether it is the current one."""
    root = root_url(context)
    path = page_path(context.get("output_file", ""))
    current = context.get("DEFAULT_LANG") or SOURCE_LANGUAGE
    links = []
    for code in LANGUAGES:
        prefix = "" if code == LANGUAGES[0] else f"{code}/"
        links.append({"code": code, "url": f"{root}/{prefix}{path}", "current": code == current})
    return links


def external_url(value) -> str:
    """Return the address when it is an http or https URL, otherwise an empty string.

    The schemas already accept only http(s) addresses. This filter keeps a template from linking
    to anything else if a value ever slips past them.
    """
    text = str(value or "").strip()
    if text.lower().startswith(("http://", "https://")):
        return text
    return ""


def build_environment(settings: dict) -> Environment:
    """Create a Jinja environment like the one Pelican's generators use, for the theme's templates."""
    templates = [os.path.expanduser(path) for path in settings.get("THEME_TEMPLATES_OVERRIDES", [])]
    templates.append(os.path.join(settings["THEME"], "templates"))
    env = Environment(loader=FileSystemLoader(templates), **settings["JINJA_ENVIRONMENT"])
    env.filters.update(settings.get("JINJA_FILTERS", {}))
    env.globals.update(settings.get("JINJA_GLOBALS", {}))
    configure_environment(env, settings)
    return env


def site_url_for(output_name: str, settings: dict) -> str:
    """Return the SITEURL a page at `output_name` links with, relative when RELATIVE_URLS is on."""
    if settings.get("RELATIVE_URLS"):
        return path_to_url(get_relative_path(output_name))
    return settings.get("SITEURL", "")


def product_output_name(product: dict) -> str:
    return product["url"] + "index.html"


def product_context(product: dict, settings: dict) -> dict:
    return {"product": product, "page_title": product["name"].value}


def render_product_page(proposal: dict, record: dict, settings: dict, organisation_slug: str | None = None,
                        env: Environment | None = None, renderer: MarkdownRenderer | None = None) -> str:
    """Render the HTML page of one published product from its proposal and latest record.

    `settings` is a Pelican settings dict (as `pelican.settings.read_settings` returns it).
    Without `organisation_slug` the owner link uses the organisation's plain slug, which is what
    a full build gives unless two organisation names fold to the same ASCII slug.
    """
    env = env or build_environment(settings)
    renderer = renderer or MarkdownRenderer()
    slug = organisation_slug or default_organisation_slug(proposal.get("owner") or {})
    product = product_view(proposal, record, renderer, slug, site_language(settings))

    context = dict(settings)
    context["SITEURL"] = site_url_for(product_output_name(product), settings)
    context["output_file"] = product_output_name(product)
    context.update(product_context(product, settings))
    return env.get_template(PRODUCT_TEMPLATE).render(context)
