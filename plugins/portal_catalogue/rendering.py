"""Jinja set-up shared by the Pelican build and by rendering one product page on its own.

Templates wrap every interface string for gettext, and their source text is Vietnamese. When the
theme has no compiled catalogue for the site's language, gettext's `NullTranslations` is
installed and templates render their source text. An English catalogue can later be added as
`theme/translations/en/LC_MESSAGES/messages.mo` without touching a template.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from pelican.utils import get_relative_path, path_to_url

from portal.catalogue import format_date

from .markup import MarkdownRenderer
from .model import default_organisation_slug, product_view

TRANSLATION_DOMAIN = "messages"
PRODUCT_TEMPLATE = "product.html"


def load_translations(settings: dict) -> gettext.NullTranslations:
    """Load the theme's catalogue for the site's language, or a catalogue that changes nothing."""
    localedir = Path(settings["THEME"]) / "translations"
    language = settings.get("DEFAULT_LANG", "vi")
    return gettext.translation(TRANSLATION_DOMAIN, localedir=localedir, languages=[language], fallback=True)


def configure_environment(env: Environment, settings: dict) -> None:
    """Install translations and the catalogue's filters into a Jinja environment."""
    if hasattr(env, "install_gettext_translations"):
        env.install_gettext_translations(load_translations(settings), newstyle=True)
    env.filters["vn_date"] = format_date
    env.filters["external_url"] = external_url


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
    product = product_view(proposal, record, renderer, slug)

    context = dict(settings)
    context["SITEURL"] = site_url_for(product_output_name(product), settings)
    context.update(product_context(product, settings))
    return env.get_template(PRODUCT_TEMPLATE).render(context)
