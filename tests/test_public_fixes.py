"""Defects of the public catalogue found in testing: the form's data on English pages, CSV formula
injection, the sitemap, Vietnamese field addresses and English pages' language marks.

Every test runs a real Pelican build into tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import xml.etree.ElementTree as ElementTree

import pytest
import yaml

from catalogue_content import write_content
from conftest import REPO_ROOT
from plugins.portal_catalogue.model import FIELD_SLUGS, ascii_slug
from plugins.portal_public import opendata
from portal import schemas
from portal.sitebuild import build_site

SITE = "https://danh-muc.example.gov.vn/san-pham-khcn"
EVIL_NAME = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A build with a public address, a formula as a product name and a nationwide deployment."""
    root = tmp_path_factory.mktemp("public-fixes")
    content = write_content(root)
    path = content / "proposals" / "truy-xuat-ca-phe.yaml"
    proposal = yaml.safe_load(path.read_text(encoding="utf-8"))
    proposal["name"] = {"vi": EVIL_NAME}
    proposal["owner"]["name"] = "@Công ty SUM(A1)"
    proposal["deployments"][0]["province"] = "Toàn quốc"
    path.write_text(yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copytree(REPO_ROOT / "content" / "pages", content / "pages")
    build_site(root / "output", content, settings_overrides={"SITEURL": SITE, "RELATIVE_URLS": False})
    return root / "output"


def _read(output, name):
    return (output / name).read_text(encoding="utf-8")


# --- 1. the submission form loads one data file and one schema at the site root -------------------


def test_form_data_at_site_root(tmp_path):
    output = tmp_path / "output"
    build_site(output, write_content(tmp_path))
    english = _read(output, "en/gui-de-xuat/index.html")
    address = re.search(r'data-form-data="([^"]+)"', english)[1]
    assert address == "../../gui-de-xuat/du-lieu.json"
    data = json.loads(_read(output, "gui-de-xuat/du-lieu.json"))
    # The schema address is relative to the data file, so it resolves to the root's luoc-do/.
    assert data["schema_url"] == "../luoc-do/proposal.schema.json"
    assert (output / "luoc-do" / "proposal.schema.json").is_file()
    assert not (output / "en" / "gui-de-xuat" / "du-lieu.json").exists()
    assert 'data-form-data="../gui-de-xuat/du-lieu.json"' in _read(output, "gui-de-xuat/index.html")


def test_english_form_page_texts(tmp_path):
    output = tmp_path / "output"
    build_site(output, write_content(tmp_path))
    english = _read(output, "en/gui-de-xuat/index.html")
    title = re.search(r"<title>([^<]*)</title>", english)[1]
    assert title.startswith("Submit a proposal · ")
    assert "Danh mục" not in title
    texts = json.loads(re.search(r'<script type="application/json" id="phieu-van-ban">(.*?)</script>', english, re.S)[1])
    assert texts["choose"] == "— Choose —"
    assert texts["errors_left"]["one"].startswith("The proposal still has {count} error.")
    assert texts["errors_left"]["other"].startswith("The proposal still has {count} errors.")
    assert '<div id="phieu-cac-muc" lang="vi">' in english
    vietnamese = _read(output, "gui-de-xuat/index.html")
    assert '<div id="phieu-cac-muc">' in vietnamese
    assert json.loads(re.search(r'id="phieu-van-ban">(.*?)</script>', vietnamese, re.S)[1])["choose"] == "— Chọn —"


# --- 2. CSV formula injection ------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cell_neutralises_formulas(value):
    assert opendata.csv_cell(value) == "'" + value


def test_csv_cell_keeps_ordinary_text():
    assert opendata.csv_cell("Truy xuất nguồn gốc") == "Truy xuất nguồn gốc"
    assert opendata.csv_cell("") == ""


def test_csv_escaped_json_unchanged(site):
    raw = (site / "du-lieu" / "san-pham.csv").read_bytes().decode("utf-8-sig")
    rows = {row["slug"]: row for row in csv.DictReader(io.StringIO(raw))}
    assert rows["truy-xuat-ca-phe"]["ten"] == "'" + EVIL_NAME
    assert rows["truy-xuat-ca-phe"]["to_chuc"] == "'@Công ty SUM(A1)"
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows.values() for value in row.values())
    entry = json.loads(_read(site, "du-lieu/san-pham/truy-xuat-ca-phe.json"))
    assert entry["name"]["vi"] == EVIL_NAME
    assert entry["owner"]["name"] == "@Công ty SUM(A1)"


# --- 3. sitemap, robots.txt, feed ----------------------------------------------------------------------


def _locations(output):
    sitemap = ElementTree.parse(output / "sitemap.xml").getroot()
    return [element.text for element in sitemap.iter(f"{{{opendata.SITEMAP}}}loc")]


def test_sitemap_lists_every_page(site):
    locations = _locations(site)
    assert all(location.startswith(SITE + "/") for location in locations)
    for prefix in ("", "en/"):
        for page in ("", "quy-trinh/", "gui-de-xuat/", "huong-dan-gui-de-xuat/", "danh-muc/",
                     "san-pham/truy-xuat-ca-phe/", "linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/"):
            assert f"{SITE}/{prefix}{page}" in locations
    assert f"{SITE}/san-pham/san-pham-thu-hoi/" not in locations
    # Every built page (apart from notices of removed products and the 404 page) is listed.
    built = {str(path.relative_to(site).parent) + "/" for path in site.rglob("index.html")}
    built = {"" if path == "./" else path for path in built}
    listed = {location[len(SITE) + 1:] for location in locations}
    removed = {"san-pham/san-pham-thu-hoi/", "san-pham/san-pham-da-rut/"}
    removed |= {"en/" + path for path in removed}
    assert built - removed - listed == set()


def test_robots_and_feed_absolute(site):
    assert f"Sitemap: {SITE}/sitemap.xml" in _read(site, "robots.txt")
    feed = _read(site, "feeds/atom.xml")
    assert f'href="{SITE}/san-pham/truy-xuat-ca-phe/"' in feed


def test_no_sitemap_without_siteurl(tmp_path):
    # The build logs a warning then (in the build's worker process, so it is not captured here).
    output = tmp_path / "output"
    build_site(output, write_content(tmp_path))
    assert not (output / "sitemap.xml").exists()
    assert "Sitemap:" not in _read(output, "robots.txt")


def test_publish_workflow_sets_siteurl():
    workflow = yaml.safe_load((REPO_ROOT / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["build"]["steps"]
    configure = next(step for step in steps if str(step.get("uses", "")).startswith("actions/configure-pages@"))
    build = next(step for step in steps if "portal build" in str(step.get("run", "")))
    assert build["env"]["PORTAL_SITEURL"] == "${{ steps.%s.outputs.base_url }}" % configure["id"]
    assert "${{" not in build["run"]


# --- 5. English pages: fixed choices translated, record text marked Vietnamese -------------------------


def test_english_product_language_marks(site):
    english = _read(site, "en/san-pham/truy-xuat-ca-phe/index.html")
    assert "Toàn quốc" not in english
    assert "<td>Nationwide</td>" in english
    assert '<td lang="vi">Văn phòng Ủy ban nhân dân tỉnh</td>' in english
    assert '<li lang="vi"><a href="https://phanmemmau.example.vn/gioi-thieu" rel="nofollow noopener">Trang giới thiệu</a></li>' in english
    assert '<dd lang="vi">Báo cáo đánh giá của Hội đồng.</dd>' in english
    assert re.search(r'<a href="[^"]*to-chuc/[^"]*" lang="vi">@Công ty SUM\(A1\)</a>', english)
    vietnamese = _read(site, "san-pham/truy-xuat-ca-phe/index.html")
    assert "<td>Toàn quốc</td>" in vietnamese
    assert 'lang="vi"' not in vietnamese.split("<main", 1)[1]


def test_foreign_owner_name_unmarked(tmp_path):
    content = write_content(tmp_path)
    path = content / "proposals" / "truy-xuat-ca-phe.yaml"
    proposal = yaml.safe_load(path.read_text(encoding="utf-8"))
    proposal["owner"] = {"type": "organisation", "name": "University of Oslo", "country": "NO"}
    path.write_text(yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build_site(tmp_path / "output", content)
    english = _read(tmp_path / "output", "en/san-pham/truy-xuat-ca-phe/index.html")
    assert re.search(r'<a href="[^"]*to-chuc/[^"]*">University of Oslo</a>', english)


# --- 7. Vietnamese field addresses ------------------------------------------------------------------------


def test_field_slugs_vietnamese_ascii():
    codes = schemas.codes("fields")
    assert set(FIELD_SLUGS) == set(codes)
    assert len(set(FIELD_SLUGS.values())) == len(codes)
    for code in codes:
        assert FIELD_SLUGS[code] == ascii_slug(schemas.label("fields", code, "vi")), code


def test_field_pages_vietnamese_address(site):
    for prefix in ("", "en/"):
        assert (site / f"{prefix}linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/index.html").is_file()
        assert not (site / f"{prefix}linh-vuc/agriculture-resources-environment").exists()
    product = _read(site, "en/san-pham/truy-xuat-ca-phe/index.html")
    assert "/en/linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/" in product
