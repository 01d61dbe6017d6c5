"""The public side of the catalogue: open data, XML, search index, statistics, tracking, notices."""

from __future__ import annotations

import csv
import gzip
import io
import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import yaml

from catalogue_content import OPEN_DOSSIERS, PRODUCTS, write_content
from conftest import FIXTURES, REPO_ROOT
from plugins.portal_public import opendata, search
from portal.sitebuild import build_site
from portal.textfold import collation_key, search_key

FOLDING_CASES = json.loads((FIXTURES / "folding_cases.json").read_text(encoding="utf-8"))
PUBLISHED = {slug for slug, *_, outcomes in PRODUCTS if outcomes[-1] == "selected"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("site")
    content = write_content(root)
    build_site(root / "output", content)
    return root


@pytest.fixture(scope="module")
def output(built) -> Path:
    return built / "output"


def _contact_values(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _contact_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _contact_values(item)]
    return [str(value)] if value not in (None, "") else []


def _all_contact_values(folders: list[Path]) -> set[str]:
    values = set()
    for folder in folders:
        for path in folder.rglob("*.yaml"):
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8"))
            except yaml.YAMLError:
                continue
            if isinstance(data, dict) and "contact" in data:
                values.update(_contact_values(data["contact"]))
    return values


def test_output_contains_no_contact_value(built, output):
    values = _all_contact_values([built / "content", REPO_ROOT / "content", FIXTURES])
    assert len(values) >= 3 * len(PRODUCTS)
    # The proposal schema shows an organisational contact as an example, and one fixture reuses
    # it; that example is public by design, so values quoted in the schemas are not searched for.
    schema_text = "".join(path.read_text(encoding="utf-8") for path in (REPO_ROOT / "schema").glob("*.json"))
    values = {value for value in values if value not in schema_text}
    for path in output.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        texts = [data]
        if path.suffix == ".json":
            texts.append(json.dumps(json.loads(data), ensure_ascii=True).encode())
        for value in values:
            for text in texts:
                assert value.encode("utf-8") not in text, f"{value!r} found in {path.relative_to(output)}"


def test_every_xml_file_parses(output):
    files = list(output.rglob("*.xml")) + list(output.rglob("*.svg"))
    assert "atom.xml" in {path.name for path in files}
    for path in files:
        ElementTree.parse(path)


def test_atom_feed_survives_control_characters():
    entry = {"name": {"vi": "Tên\x07 có\x1b ký tự điều khiển"}, "summary": {"vi": "Tóm tắt\x00 lạ\ufffe"},
             "url": "/san-pham/a/", "decision": {"published": "2024-05-01"}}
    feed = ElementTree.fromstring(opendata.atom_feed([entry], "/", "Danh mục\x0b"))
    titles = [element.text for element in feed.iter(f"{{{opendata.ATOM}}}title")]
    assert "Tên có ký tự điều khiển" in titles


def test_atom_feed_lists_published_products(output):
    feed = ElementTree.parse(output / "feeds" / "atom.xml").getroot()
    entries = feed.findall(f"{{{opendata.ATOM}}}entry")
    assert len(entries) == len(PUBLISHED)
    assert feed.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "vi"


def test_catalogue_csv_has_bom_and_diacritics(output):
    raw = (output / "du-lieu" / "san-pham.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert {row["slug"] for row in rows} == PUBLISHED
    assert "Truy xuất nguồn gốc cà phê" in {row["ten"] for row in rows}


def test_catalogue_json_and_product_json(output):
    catalogue = json.loads((output / "du-lieu" / "san-pham.json").read_text(encoding="utf-8"))
    assert catalogue["count"] == len(PUBLISHED)
    assert {entry["slug"] for entry in catalogue["products"]} == PUBLISHED
    for slug in PUBLISHED:
        entry = json.loads((output / "du-lieu" / "san-pham" / f"{slug}.json").read_text(encoding="utf-8"))
        assert entry["decision"]["outcome"] == "selected"
        assert "contact" not in entry
        assert "tax_code" not in entry["owner"]


def test_schemas_served_at_stable_address(output):
    for name in ("proposal.schema.json", "evaluation.schema.json"):
        served = json.loads((output / "schema" / name).read_text(encoding="utf-8"))
        assert served == json.loads((REPO_ROOT / "schema" / name).read_text(encoding="utf-8"))


def test_sitemap_robots_and_404(output):
    # Without a public address no sitemap is written (tests/test_public_fixes.py checks one with it).
    assert not (output / "sitemap.xml").exists()
    assert "User-agent: *" in (output / "robots.txt").read_text(encoding="utf-8")
    assert "Không tìm thấy trang" in (output / "404.html").read_text(encoding="utf-8")


def test_folding_table_in_python():
    for case in FOLDING_CASES["fold"]:
        assert search_key(case["input"]) == case["key"], case
    for case in FOLDING_CASES["match"]:
        found = set(search.tokens(case["query"])) <= set(search.tokens(case["text"]))
        assert found == case["matches"], case
    for case in FOLDING_CASES["rank"]:
        entries = [[text] * 11 for text in case["texts"]]
        assert search.rank(case["query"], entries)[0][search.NAME] == case["first"], case
    for case in FOLDING_CASES["collation"]:
        assert sorted(case["input"], key=collation_key) == case["sorted"], case


@pytest.mark.parametrize("query, expected", [
    ("ca phe", "truy-xuat-ca-phe"),
    ("dien mat troi", "dien-mat-troi"),
    ("Dak", "nong-san-dak-lak"),
    ("hòa", "truong-hoc-hoa-binh"),
    ("thuỷ", "quan-ly-thuy-loi"),
])
def test_search_index_finds_folded_queries(output, query, expected):
    slugs = [entry[search.SLUG] for entry in search.find(output / search.INDEX_URL, query)]
    assert expected in slugs


def test_search_ranks_exact_marks_first(output):
    results = search.find(output / search.INDEX_URL, "đường")
    assert results[0][search.SLUG] == "duong-giao-thong"
    assert "duong-lieu" in [entry[search.SLUG] for entry in results]


def test_removed_products_leave_search_and_listings(output):
    names = {entry[search.NAME] for entry in search.find(output / search.INDEX_URL, "cong dich vu")}
    assert "Cổng dịch vụ bị thu hồi" not in names
    assert "san-pham-thu-hoi" not in (output / "danh-muc" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug, outcome", [("san-pham-thu-hoi", "Thu hồi"), ("san-pham-da-rut", "Đã rút")])
def test_removed_product_keeps_address_with_notice(output, slug, outcome):
    page = (output / "san-pham" / slug / "index.html").read_text(encoding="utf-8")
    assert outcome in page
    assert "Sản phẩm không còn đáp ứng tiêu chí công bố." in page


def test_province_pages_list_products(output):
    page = (output / "tinh-thanh" / "dak-lak" / "index.html").read_text(encoding="utf-8")
    assert "Truy xuất nguồn gốc cà phê" in page
    assert "Sàn nông sản Đắk Lắk" in page
    assert "tinh-thanh/dak-lak/" in (output / "tinh-thanh" / "index.html").read_text(encoding="utf-8")


def test_statistics_page_has_charts_and_tables(output):
    page = (output / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 4
    assert "<table>" in page
    assert "<script" not in page
    # 12 records and one open dossier were received; the open one is under evaluation.
    assert "<th scope=\"row\">Đã tiếp nhận hồ sơ</th><td>13</td>" in page
    assert "<th scope=\"row\">Đang đánh giá</th><td>1</td>" in page
    assert "<th scope=\"row\">Được lựa chọn</th><td>8</td>" in page


def test_build_works_without_snapshot(tmp_path):
    content = write_content(tmp_path, with_snapshot=False)
    build_site(tmp_path / "output", content)
    page = (tmp_path / "output" / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert "Số hồ sơ đang được xem xét chưa được cập nhật" in page
    assert not (tmp_path / "output" / "theo-doi" / "ho-so-dang-xu-ly").exists()


def test_tracking_page_and_badge(output):
    dossier = OPEN_DOSSIERS[0]
    page = (output / "theo-doi" / dossier["slug"] / "index.html").read_text(encoding="utf-8")
    assert dossier["stage_label"] in page
    assert "01/07/2025" in page
    badge = ElementTree.parse(output / "theo-doi" / dossier["slug"] / "trang-thai.svg").getroot()
    assert dossier["stage_label"] in "".join(badge.itertext())
    published = ElementTree.parse(output / "theo-doi" / "truy-xuat-ca-phe" / "trang-thai.svg").getroot()
    assert "Đã công bố" in "".join(published.itertext())


def test_product_page_under_20_kb_compressed(output):
    html = (output / "san-pham" / "truy-xuat-ca-phe" / "index.html").read_bytes()
    css = b"".join(path.read_bytes() for path in (output / "theme" / "css").glob("*.css"))
    assert b"<script" not in html
    assert len(gzip.compress(html)) + len(gzip.compress(css)) < 20 * 1024
