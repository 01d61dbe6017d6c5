"""Pelican generator for the submission form page and its data file.

The data file (and the schema it names) is written once, at the site root: the form page of
every language loads the same files.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from babel import Locale
from pelican.generators import Generator

from plugins.portal_catalogue.generator import SCHEMA_URL
from plugins.portal_catalogue.rendering import language_prefix
from portal import schemas, validate
from portal.checks import country_codes
from portal.messages import catalogue
from portal.provinces import FORMER_PROVINCES, NATIONWIDE, PROVINCES, official_names
from portal.textfold import collation_key

log = logging.getLogger(__name__)

FORM_URL = "gui-de-xuat/"
FORM_DATA_URL = FORM_URL + "du-lieu.json"
REPOSITORY_SETTING = "PORTAL_GITHUB_REPOSITORY"
DEFAULT_REPOSITORY = "bo-khcn/danh-muc-san-pham"
# Browsers and GitHub accept longer addresses, but proxies and GitHub's "new file" page are not
# reliable past about 8,000 characters, so a longer file goes through the clipboard instead.
MAX_URL_LENGTH = 8000


def _countries() -> list[dict]:
    """Return the ISO 3166-1 codes the validator accepts, with Vietnamese names, Việt Nam first."""
    names = Locale("vi").territories
    rows = [{"code": code, "name": names.get(code, code)} for code in country_codes()]
    rows.sort(key=lambda row: (row["code"] != "VN", collation_key(row["name"])))
    return rows


def form_data(repository: str) -> dict:
    """Collect everything the form loads besides the schema itself.

    The texts and rules come from the same Python objects the validator uses, so the browser and
    the command line cannot drift apart.
    """
    return {
        "schema_url": "../" + SCHEMA_URL + schemas.PROPOSAL + ".schema.json",
        "schema_comment": "# yaml-language-server: $schema=../../schema/proposal.schema.json",
        "github_repository": repository,
        "github_branch": "main",
        "proposals_dir": "content/proposals",
        "max_url_length": MAX_URL_LENGTH,
        "provinces": list(PROVINCES),
        "official_provinces": list(official_names()),
        "former_provinces": FORMER_PROVINCES,
        "nationwide": NATIONWIDE,
        "countries": _countries(),
        "email_pattern": schemas._EMAIL.pattern,
        "type_names": validate._TYPE_NAMES,
        "format_names": validate._FORMAT_NAMES,
        "messages": catalogue(),
    }


class SubmitFormGenerator(Generator):
    """Write the submission form page and `du-lieu.json` beside it."""

    def generate_context(self) -> None:
        self.repository = self.settings.get(REPOSITORY_SETTING) or DEFAULT_REPOSITORY

    def generate_output(self, writer) -> None:
        writer.write_file(FORM_URL + "index.html", self.get_template("submit_form"), self.context,
                          relative_urls=self.settings["RELATIVE_URLS"], page_name="gui-de-xuat",
                          github_repository=self.repository)
        if language_prefix(self.settings):
            return
        target = Path(self.output_path) / FORM_DATA_URL
        target.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(form_data(self.repository), ensure_ascii=False, indent=1)
        target.write_text(text + "\n", encoding="utf-8")
        log.info("wrote the submission form for repository %s into %s", self.repository, FORM_URL)
