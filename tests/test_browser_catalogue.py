"""The built catalogue in headless Chromium: search box, folding table, filters, axe-core, screenshots."""

from __future__ import annotations

import json

import pytest

from catalogue_content import write_content
from conftest import FIXTURES, REPO_ROOT
from browser_support import require_chromium, serving
from portal.sitebuild import build_site

pytestmark = pytest.mark.browser

AXE = REPO_ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
FOLDING_CASES = json.loads((FIXTURES / "folding_cases.json").read_text(encoding="utf-8"))

PAGE_TYPES = {
    "home": "",
    "catalogue": "danh-muc/",
    "product": "san-pham/truy-xuat-ca-phe/",
    "fields": "linh-vuc/",
    "field": "linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/",
    "organisations": "to-chuc/",
    "provinces": "tinh-thanh/",
    "province": "tinh-thanh/dak-lak/",
    "search": "tim-kiem/",
    "statistics": "thong-ke/",
    "tracking": "theo-doi/ho-so-dang-xu-ly/",
    "notice": "san-pham/san-pham-thu-hoi/",
    "not-found": "404.html",
    "en-home": "en/",
    "en-product": "en/san-pham/truy-xuat-ca-phe/",
    "en-search": "en/tim-kiem/",
    "en-statistics": "en/thong-ke/",
}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("browser-site")
    build_site(root / "output", write_content(root))
    with serving(root / "output") as address:
        yield address


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def _search(page, site_url, query):
    page.goto(site_url + "tim-kiem/")
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent.length > 0")
    return page.locator("#ket-qua .card-title a").all_inner_texts()


def test_folding_table_in_browser(page, site_url):
    page.goto(site_url + "tim-kiem/")
    for case in FOLDING_CASES["fold"]:
        assert page.evaluate("text => PortalSearch.searchKey(text)", case["input"]) == case["key"], case
    for case in FOLDING_CASES["match"]:
        assert page.evaluate("c => PortalSearch.matches(c.query, c.text)", case) == case["matches"], case
    for case in FOLDING_CASES["rank"]:
        first = page.evaluate("c => PortalSearch.rank(c.query, c.texts.map(t => Array(11).fill(t)))[0][1]", case)
        assert first == case["first"], case
    for case in FOLDING_CASES["collation"]:
        assert page.evaluate("items => items.slice().sort(PortalSearch.compareNames)", case["input"]) == case["sorted"]


@pytest.mark.parametrize("query, expected", [
    ("ca phe", "Truy xuất nguồn gốc cà phê"),
    ("dien mat troi", "Giám sát Điện mặt trời áp mái"),
    ("Dak", "Sàn nông sản Đắk Lắk"),
    ("hòa", "Trường học Hoà Bình số"),
    ("thuỷ", "Quản lý thủy lợi"),
    ("c\u0061\u0300 phe\u0302", "Truy xuất nguồn gốc cà phê"),
])
def test_search_box_finds_folded_queries(page, site_url, query, expected):
    assert expected in _search(page, site_url, query)


def test_search_box_ranks_exact_marks_first(page, site_url):
    results = _search(page, site_url, "đường")
    assert results[0] == "Đường giao thông thông minh"
    assert "Dương liễu số" in results


def test_search_filters_and_name_order(page, site_url):
    page.goto(site_url + "tim-kiem/")
    page.select_option("#loc-tinh", "Đắk Lắk")
    page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent.length > 0")
    names = page.locator("#ket-qua .card-title a").all_inner_texts()
    assert sorted(names) == sorted(["Truy xuất nguồn gốc cà phê", "Sàn nông sản Đắk Lắk"])
    page.select_option("#loc-tinh", "")
    page.select_option("#sap-xep", "ten")
    page.wait_for_function("document.querySelectorAll('#ket-qua li').length === 8")
    names = page.locator("#ket-qua .card-title a").all_inner_texts()
    assert names.index("Dương liễu số") < names.index("Đường giao thông thông minh")
    assert "Cổng dịch vụ bị thu hồi" not in names


@pytest.mark.parametrize("name, path", list(PAGE_TYPES.items()))
def test_page_type_passes_axe_and_screenshots(browser, site_url, name, path):
    assert AXE.is_file(), "axe-core missing: run scripts/install-test-deps"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        response = page.goto(site_url + path)
        assert response is not None and response.status in (200, 404)
        assert page.locator("h1").count() == 1
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        if width == 1280:
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            violations = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)")
            assert violations == [], f"{name}: {violations}"
        else:
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} scrolls sideways at 360 px by {overflow} px"
        context.close()


def test_keyboard_reaches_search_box(page, site_url):
    page.goto(site_url + "tim-kiem/")
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    assert page.evaluate("document.activeElement.id") == "q"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_language_switch_opens_the_same_page_in_the_other_language(page, site_url):
    page.goto(site_url + "san-pham/truy-xuat-ca-phe/")
    page.click(".language-switch a")
    page.wait_for_load_state()
    assert page.url == site_url + "en/san-pham/truy-xuat-ca-phe/"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").get_attribute("lang") == "vi"
    page.click(".language-switch a")
    page.wait_for_load_state()
    assert page.url == site_url + "san-pham/truy-xuat-ca-phe/"
    assert page.evaluate("document.documentElement.lang") == "vi"


def test_english_search_page_finds_and_reports_in_english(page, site_url):
    page.goto(site_url + "en/tim-kiem/")
    page.fill("#q", "ca phe")
    page.wait_for_function("document.getElementById('trang-thai-tim-kiem').textContent.length > 0")
    # One result: the English plural rules pick the singular form.
    assert page.locator("#trang-thai-tim-kiem").inner_text() == "1 product or solution found."
    link = page.locator("#ket-qua .card-title a", has_text="Truy xuất nguồn gốc cà phê")
    assert link.get_attribute("lang") == "vi"
    assert link.get_attribute("href").endswith("/en/san-pham/truy-xuat-ca-phe/") or link.get_attribute("href") == "../san-pham/truy-xuat-ca-phe/"


def test_statistics_charts_are_legible_at_360_px(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto(site_url + "thong-ke/")
    charts = page.evaluate("""() => Array.from(document.querySelectorAll("svg.chart")).map(svg => {
        const box = svg.getBoundingClientRect();
        const scale = box.width / svg.viewBox.baseVal.width;
        return {scale, cut: Array.from(svg.querySelectorAll("text")).filter(text => {
            const r = text.getBoundingClientRect();
            return r.left < box.left - 1 || r.right > box.right + 1;
        }).map(text => text.textContent)};
    })""")
    context.close()
    assert len(charts) == 4
    for chart in charts:
        assert chart["scale"] * 14 >= 12, chart
        assert chart["cut"] == [], chart
