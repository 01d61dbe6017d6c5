"""Pelican generator for everything public around the catalogue pages.

It runs after `plugins.portal_catalogue` (which validates the content and stops the build on any
error) and reads the catalogue it built from the shared context. It writes open data, the Atom
feed, the sitemap, robots.txt, the 404 page, the search page and its index, the province pages,
the statistics page, tracking pages with badges, and a notice page at the address of every
revoked or withdrawn product.

The site is built once per interface language (see `portal.sitebuild`). Open data, the feed, the
sitemap, robots.txt, badges and the search index are language-neutral and written only by the
build of the default language, at the site root; the other languages' pages link to them there.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

from pelican.generators import Generator

from plugins.portal_catalogue.model import ascii_slug, pick_text
from plugins.portal_catalogue.rendering import LANGUAGES, language_prefix, load_translations, site_language
from plugins.portal_form.generator import FORM_URL
from portal import schemas
from portal.catalogue import format_date, latest_record
from portal.textfold import collation_key
from portal.validate import EVALUATIONS_DIR, PROPOSALS_DIR, RECORD_NAME
from portal.yamlread import load_file

from . import opendata, search, stats, tracking

log = logging.getLogger(__name__)

SEARCH_URL = "tim-kiem/"
STATISTICS_URL = "thong-ke/"
PROVINCE_INDEX_URL = "tinh-thanh/"
PROVINCE_URL = "tinh-thanh/{slug}/"
SCHEMA_URL = "schema/"
SNAPSHOT_SETTING = "PORTAL_OPEN_DOSSIERS"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class PublicGenerator(Generator):
    """Write open data, search, statistics, tracking and notices for the built catalogue."""

    def generate_context(self) -> None:
        # The catalogue generator runs first and leaves the documents it validated in the context.
        check = self.context.get("catalogue_content")
        if check is not None:
            self._use_validated(check)
        else:
            self._read_content(Path(self.path))
        for documents in self.records.values():
            documents.sort(key=lambda data: data.get("sequence") if isinstance(data.get("sequence"), int) else 0)

    def _use_validated(self, check) -> None:
        self.proposals = {slug: document.data for slug, document in check.proposals.items()
                          if isinstance(document.data, dict)}
        self.records: dict[str, list[dict]] = {}
        for slug, documents in check.records.items():
            # In file name order, as _read_content reads them, before the sort by sequence.
            for document in sorted(documents, key=lambda document: document.file):
                if isinstance(document.data, dict):
                    self.records.setdefault(slug, []).append(document.data)

    def _read_content(self, content: Path) -> None:
        self.proposals = {}
        for path in sorted((content / PROPOSALS_DIR).glob("*.yaml")):
            document = load_file(path)
            if isinstance(document.data, dict):
                self.proposals[path.stem] = document.data
        self.records: dict[str, list[dict]] = {}
        for path in sorted((content / EVALUATIONS_DIR).glob("*.yaml")):
            match = RECORD_NAME.match(path.name)
            document = load_file(path)
            if match and isinstance(document.data, dict):
                self.records.setdefault(match["slug"], []).append(document.data)

    def _write(self, writer, output_name: str, template_name: str, **values) -> None:
        writer.write_file(output_name, self.get_template(template_name), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], **values)

    def _write_bytes(self, relative: str, data: bytes | str) -> None:
        target = Path(self.output_path) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        target.write_bytes(data)

    @property
    def language(self) -> str:
        return site_language(self.settings)

    @property
    def is_default_language(self) -> bool:
        return not language_prefix(self.settings)

    def label(self, kind: str, code: str) -> str:
        return schemas.label(kind, code, self.language)

    @property
    def site_url(self) -> str:
        site = (self.settings.get("SITEURL") or "").rstrip("/")
        return site + "/"

    def generate_output(self, writer) -> None:
        catalogue = self.context["catalogue"]
        products = catalogue.products
        if self.is_default_language:
            entries = self._write_open_data(products)
            self._write_feeds(entries)
        self._write_search(writer, products)
        province_urls = self._write_provinces(writer, products)
        self._write_statistics(writer)
        tracking_urls = self._write_tracking(writer)
        self._write_removed(writer)
        self._write_not_found(writer)
        if not self.is_default_language:
            log.info("wrote the %s search, statistics and province pages", self.language)
            return
        urls = ["", "danh-muc/", "linh-vuc/", "to-chuc/", SEARCH_URL, STATISTICS_URL, PROVINCE_INDEX_URL, FORM_URL]
        urls += sorted(page.url for page in self.context.get("pages", []) if page.url)
        urls += [product["url"] for product in products]
        urls += [item.url for item in catalogue.fields] + [item.url for item in catalogue.organisations]
        urls += province_urls + tracking_urls
        urls += [f"{language}/{url}" for language in LANGUAGES[1:] for url in list(urls)]
        self._write_sitemap(urls)
        self._write_bytes("robots.txt", opendata.robots_txt(self.site_url))
        log.info("wrote open data, search index and statistics for %d products", len(products))

    def _write_sitemap(self, urls: list[str]) -> None:
        # A sitemap must list absolute addresses, so without a public address (a local build, or
        # a publication without PORTAL_SITEURL) none is written rather than a misleading one.
        if not self.site_url.startswith(("http://", "https://")):
            log.warning("SITEURL is not an absolute http(s) address (set PORTAL_SITEURL for "
                        "publication): sitemap.xml is not written")
            return
        self._write_bytes("sitemap.xml", opendata.sitemap([self.site_url + url for url in urls]))

    def _write_not_found(self, writer) -> None:
        # The server answers a missing address at any depth with this page, so its links cannot be
        # relative to where the file lies: they use SITEURL as configured, which is an absolute
        # address when published and "" (links from the server's root) otherwise.
        site = (self.settings.get("SITEURL") or "").rstrip("/")
        writer.write_file("404.html", self.get_template("404"), self.context, relative_urls=False,
                          SITEURL=site, page_name="404")

    # --- open data -------------------------------------------------------------------------------

    def _write_open_data(self, products: list[dict]) -> list[dict]:
        output = Path(self.output_path)
        entries = []
        for product in products:
            record = latest_record(self.records.get(product["slug"], [])) or {}
            entry = opendata.product_record(product, self.proposals[product["slug"]], record, self.site_url)
            entries.append(entry)
            opendata.write_json(output / opendata.PRODUCT_JSON_URL.format(slug=product["slug"]), entry)
        opendata.write_json(output / opendata.OPEN_DATA_URL / "san-pham.json",
                            {"count": len(entries), "products": entries})
        self._write_bytes(opendata.OPEN_DATA_URL + "san-pham.csv", opendata.catalogue_csv(entries))
        schema_dir = self.settings.get("CATALOGUE_SCHEMA_DIR")
        if schema_dir:
            for source in sorted(Path(schema_dir).glob("*.schema.json")):
                target = output / SCHEMA_URL / source.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
        return entries

    def _write_feeds(self, entries: list[dict]) -> None:
        self._write_bytes(opendata.FEED_URL, opendata.atom_feed(entries, self.site_url, self.settings["SITENAME"]))

    # --- search and provinces --------------------------------------------------------------------

    def _write_search(self, writer, products: list[dict]) -> None:
        provinces = sorted({p["owner"]["province"] for p in products if p["owner"]["province"]}, key=collation_key)
        years = sorted({p["decision"]["sort_date"][:4] for p in products if p["decision"]["sort_date"]}, reverse=True)
        labels = {kind: {code: self.label(kind, code) for code in schemas.codes(kind)}
                  for kind in ("fields", "kind", "domains")}
        if self.is_default_language:
            ordered = sorted(products, key=lambda p: collation_key(p["name"].value))
            search.build_index(ordered, self.proposals, Path(self.output_path))
        self._write(writer, SEARCH_URL + "index.html", "search", page_name="search",
                    filter_labels=labels, provinces=provinces, years=years)

    def _write_provinces(self, writer, products: list[dict]) -> list[str]:
        groups: dict[str, list[dict]] = {}
        for product in products:
            if product["owner"]["province"]:
                groups.setdefault(product["owner"]["province"], []).append(product)
        pages = [
            {"name": name, "url": PROVINCE_URL.format(slug=ascii_slug(name)), "products": groups[name]}
            for name in sorted(groups, key=collation_key)
        ]
        self._write(writer, PROVINCE_INDEX_URL + "index.html", "provinces", provinces=pages, page_name="provinces")
        for page in pages:
            self._write(writer, page["url"] + "index.html", "province", province=page, page_name="provinces")
        return [page["url"] for page in pages]

    # --- statistics and tracking -----------------------------------------------------------------

    def _snapshot_path(self) -> Path:
        configured = self.settings.get(SNAPSHOT_SETTING)
        return Path(configured) if configured else Path(self.path).parent / "data" / "open-dossiers.json"

    def _write_statistics(self, writer) -> None:
        records = {}
        for slug, documents in self.records.items():
            fields = (self.proposals.get(slug) or {}).get("fields") or []
            records[slug] = [dict(document, _fields=fields) for document in documents]
        self.snapshot = stats.load_snapshot(self._snapshot_path())
        labels = {code: self.label("fields", code) for code in schemas.codes("fields")}
        figures = stats.compute(records, self.snapshot, labels)
        _ = load_translations(self.settings).gettext
        figures.step_medians = [(_(name), value, count) for name, value, count in figures.step_medians]
        outcome_labels = {code: self.label("outcome", code) for code in stats.OUTCOME_ORDER}
        overview = [(_("Đã tiếp nhận hồ sơ"), figures.received), (_("Được tiếp nhận xử lý"), figures.accepted),
                    (_("Đang đánh giá"), figures.under_evaluation)]
        overview += [(outcome_labels[code], count) for code, count in figures.outcomes.items()]
        medians = [(name, value) for name, value, _count in figures.step_medians if value is not None]
        charts = {
            "overview": stats.bar_chart(_("Số hồ sơ theo tình trạng"), overview),
            "steps": stats.bar_chart(_("Số ngày làm việc trung vị của từng bước"), medians,
                                     unit=_(" ngày")) if medians else "",
            "fields": stats.bar_chart(_("Sản phẩm đã công bố theo lĩnh vực"),
                                      list(figures.by_field.items())) if figures.by_field else "",
            "months": stats.bar_chart(_("Hồ sơ nhận theo tháng"),
                                      [(m, v["received"]) for m, v in figures.by_month.items()]) if figures.by_month else "",
        }
        self._write(writer, STATISTICS_URL + "index.html", "statistics", page_name="statistics",
                    figures=figures, overview=overview, charts=charts)

    def _write_tracking(self, writer) -> list[str]:
        urls = []
        for item in self.snapshot or []:
            slug = item["slug"]
            if not SLUG.match(slug):
                log.warning("open-dossier snapshot: slug %r is not a file name, skipped", slug)
                continue
            url = tracking.TRACKING_URL.format(slug=slug)
            name = pick_text((self.proposals.get(slug) or {}).get("name"), self.language).value or slug
            self._write(writer, url + "index.html", "tracking", page_name="tracking", dossier=item,
                        dossier_name=name, deadline=format_date(item.get("deadline")),
                        badge_url=tracking.BADGE_URL.format(slug=slug))
            if self.is_default_language:
                self._write_bytes(tracking.BADGE_URL.format(slug=slug), tracking.open_badge(item))
            urls.append(url)
        if not self.is_default_language:
            return urls
        open_slugs = {item["slug"] for item in self.snapshot or []}
        for slug, documents in self.records.items():
            if slug not in open_slugs:
                outcome = (documents[-1].get("decision") or {}).get("outcome", "")
                self._write_bytes(tracking.BADGE_URL.format(slug=slug), tracking.outcome_badge(outcome))
        return urls

    def _write_removed(self, writer) -> None:
        for slug, documents in self.records.items():
            latest = documents[-1]
            decision = latest.get("decision") or {}
            outcome = decision.get("outcome")
            was_published = any((d.get("decision") or {}).get("outcome") == "selected" for d in documents[:-1])
            if outcome == "revoked" or (outcome == "withdrawn" and was_published):
                name = pick_text((self.proposals.get(slug) or {}).get("name"), self.language)
                self._write(writer, f"san-pham/{slug}/index.html", "notice", page_name="notice",
                            notice_name=name, outcome_label=self.label("outcome", outcome),
                            reason=decision.get("reason", ""), decision_date=format_date(decision.get("date")),
                            reference=decision.get("reference", ""))
                log.info("product %s is %s: wrote a notice page at its address", slug, outcome)
