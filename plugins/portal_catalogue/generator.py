"""The Pelican generator that turns validated proposals and records into the catalogue's pages.

`generate_context` validates the whole content folder first and stops the build with every
problem listed when anything is invalid, so a broken file never silently drops a product.
`generate_output` writes the home page, the paginated catalogue, one page per published
product, field and organisation, the public attachments and the schemas.
"""

from __future__ import annotations

import logging
import math
import shutil
from pathlib import Path

from pelican.generators import Generator

from portal.problems import Problem
from portal.sitebuild import ContentError, prevalidated
from portal.validate import PROPOSALS_DIR, validate_content

from .markup import MarkdownRenderer
from .model import (
    CATALOGUE_PAGE_URL,
    CATALOGUE_URL,
    FIELD_INDEX_URL,
    ORGANISATION_INDEX_URL,
    Catalogue,
    build_catalogue,
)
from .rendering import PRODUCT_TEMPLATE, language_prefix, product_context, product_output_name, site_language

log = logging.getLogger(__name__)

SCHEMA_URL = "luoc-do/"
DEFAULT_PER_PAGE = 20
DEFAULT_NEWEST = 6


class CatalogueGenerator(Generator):
    """Build the public catalogue from `content/proposals/` and `content/evaluations/`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = Catalogue()
        self.renderer = MarkdownRenderer()

    # --- reading ---------------------------------------------------------------------------------

    def generate_context(self) -> None:
        content_dir = Path(self.path)
        # CATALOGUE_CACHE_DIR (".cache/" in pelicanconf.py) keeps validation results and rendered
        # Markdown between builds. An empty value or None turns the cache off.
        cache_dir = self.settings.get("CATALOGUE_CACHE_DIR") or None
        # build_site validates once before the per-language builds start; a Pelican run started
        # some other way validates here.
        check = prevalidated(content_dir)
        if check is None:
            check = validate_content(content_dir, cache_dir=cache_dir)
            for problem in check.problems:
                if not problem.is_error:
                    log.warning("%s", problem.as_text())
            if not check.ok:
                raise ContentError(check.errors)

        language = site_language(self.settings)
        # One file per language: the language builds run side by side and render different texts.
        markdown_cache = Path(cache_dir) / f"markdown-{language}.pickle" if cache_dir else None
        if markdown_cache is not None:
            self.renderer.load_cache(markdown_cache)
        self.catalogue = build_catalogue(check.proposals, check.records, self.renderer, language)
        if markdown_cache is not None:
            self.renderer.save_cache(markdown_cache)
        self.context["catalogue"] = self.catalogue
        # The validated documents, for plugins.portal_public, so it does not read every file again.
        self.context["catalogue_content"] = check
        log.info("catalogue: %d published of %d proposals, %d organisations",
                 len(self.catalogue.products), len(check.proposals), len(self.catalogue.organisations))

    # --- writing ---------------------------------------------------------------------------------

    def _write(self, writer, output_name: str, template_name: str, **values) -> None:
        writer.write_file(
            output_name,
            self.get_template(template_name),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            **values,
        )

    def generate_output(self, writer) -> None:
        self._write_home(writer)
        self._write_catalogue_pages(writer)
        self._write_products(writer)
        self._write_fields(writer)
        self._write_organisations(writer)
        # Attachments and schemas are language-neutral: only the default language's build copies
        # them, and pages in other languages link to them at the site root.
        if not language_prefix(self.settings):
            self._copy_attachments()
            self._copy_schemas()

    def _write_home(self, writer) -> None:
        newest = self.catalogue.newest[: self.settings.get("CATALOGUE_NEWEST", DEFAULT_NEWEST)]
        self._write(writer, "index.html", "home", newest=newest, page_name="home")

    def _write_catalogue_pages(self, writer) -> None:
        per_page = self.settings.get("CATALOGUE_PER_PAGE", DEFAULT_PER_PAGE)
        products = self.catalogue.products
        count = max(1, math.ceil(len(products) / per_page))
        links = [{"number": number, "url": catalogue_page_url(number)} for number in range(1, count + 1)]

        for number in range(1, count + 1):
            pagination = {
                "number": number,
                "count": count,
                "total": len(products),
                "pages": links,
                "previous_url": catalogue_page_url(number - 1) if number > 1 else "",
                "next_url": catalogue_page_url(number + 1) if number < count else "",
            }
            chunk = products[(number - 1) * per_page: number * per_page]
            self._write(writer, catalogue_page_url(number) + "index.html", "catalogue",
                        page_products=chunk, pagination=pagination, page_name="catalogue")

    def _write_products(self, writer) -> None:
        for product in self.catalogue.products:
            self._write(writer, product_output_name(product), PRODUCT_TEMPLATE.removesuffix(".html"),
                        page_name="product", **product_context(product, self.settings))

    def _write_fields(self, writer) -> None:
        self._write(writer, FIELD_INDEX_URL + "index.html", "fields", page_name="fields")
        for field_page in self.catalogue.fields:
            self._write(writer, field_page.url + "index.html", "field", field=field_page, page_name="fields")

    def _write_organisations(self, writer) -> None:
        self._write(writer, ORGANISATION_INDEX_URL + "index.html", "organisations", page_name="organisations")
        for organisation in self.catalogue.organisations:
            self._write(writer, organisation.url + "index.html", "organisation",
                        organisation=organisation, page_name="organisations")

    def _copy_attachments(self) -> None:
        proposals_dir = Path(self.path) / PROPOSALS_DIR
        for product in self.catalogue.products:
            for attachment in product["attachments"]:
                source = proposals_dir / product["slug"] / attachment["file"]
                # A symbolic link could point anywhere on the build machine, so only regular
                # files inside the proposal's own folder are published.
                if source.is_symlink() or not source.is_file() or source.resolve().parent != (proposals_dir / product["slug"]).resolve():
                    raise ContentError([_attachment_problem(source, self.path, attachment["file"])])
                target = Path(self.output_path) / attachment["url"]
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                log.info("copied attachment %s of %s", attachment["file"], product["slug"])

    def _copy_schemas(self) -> None:
        schema_dir = self.settings.get("CATALOGUE_SCHEMA_DIR")
        if not schema_dir:
            return
        target_dir = Path(self.output_path) / SCHEMA_URL
        target_dir.mkdir(parents=True, exist_ok=True)
        for source in sorted(Path(schema_dir).glob("*.schema.json")):
            shutil.copyfile(source, target_dir / source.name)


def catalogue_page_url(number: int) -> str:
    return CATALOGUE_URL if number == 1 else CATALOGUE_PAGE_URL.format(number=number)


def _attachment_problem(source: Path, content_dir: str, file_name: str) -> Problem:
    try:
        display = str(source.relative_to(Path(content_dir).parent))
    except ValueError:
        display = str(source)
    message = (f"Tệp đính kèm {file_name} không phải là tệp thông thường trong thư mục của đề xuất "
               "(có thể là liên kết tượng trưng), nên không được công bố.")
    fix = f"Thay bằng chính tệp đó, đặt trong thư mục {source.parent.name}/ của đề xuất."
    return Problem(display, 1, 1, "attachments", message, fix, title="Tài liệu đính kèm",
                   code="site.attachment_not_regular")
