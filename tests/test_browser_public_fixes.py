"""The shipped catalogue in headless Chromium: no page scrolls sideways at 360 px in either
language, and the English submission form loads its schema and shows English page texts.

Every request to a host other than the loopback test server is aborted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from browser_support import loopback_only, require_chromium, serving
from portal.sitebuild import build_site

pytestmark = pytest.mark.browser

NARROW = 360


@pytest.fixture(scope="module")
def shipped_site(tmp_path_factory):
    """Build the repository's own content and serve it on the loopback interface."""
    require_chromium()
    output = tmp_path_factory.mktemp("shipped-site") / "output"
    build_site(output)
    with serving(output) as address:
        yield output, address


def _page_addresses(output: Path) -> list[str]:
    """Every page of the shipped site: each product page and one page of every other type."""
    pages = ["", "danh-muc/", "linh-vuc/", "to-chuc/", "tinh-thanh/", "tim-kiem/", "thong-ke/",
             "quy-trinh/", "gui-de-xuat/", "huong-dan-gui-de-xuat/", "404.html"]
    pages += [f"san-pham/{path.name}/" for path in sorted((output / "san-pham").iterdir()) if path.is_dir()]
    for folder in ("linh-vuc", "to-chuc", "tinh-thanh", "theo-doi"):
        found = sorted(path for path in (output / folder).glob("*/index.html"))
        if found:
            pages.append(f"{folder}/{found[0].parent.name}/")
    if (output / "danh-muc" / "trang-2").is_dir():
        pages.append("danh-muc/trang-2/")
    return pages + ["en/" + page for page in pages if page != "404.html"]


def test_no_sideways_scroll_at_360(shipped_site, browser):
    output, site_url = shipped_site
    context = browser.new_context(viewport={"width": NARROW, "height": 740})
    context.route("**/*", loopback_only)
    page = context.new_page()
    too_wide = {}
    for address in _page_addresses(output):
        page.goto(site_url + address)
        if address.endswith("gui-de-xuat/") and "huong-dan" not in address:
            page.evaluate("PortalForm.ready.then(() => true)")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > NARROW:
            too_wide[address] = width
    context.close()
    assert too_wide == {}


def test_table_scroll_box_cue(shipped_site, browser):
    _output, site_url = shipped_site
    context = browser.new_context(viewport={"width": NARROW, "height": 740})
    context.route("**/*", loopback_only)
    page = context.new_page()
    page.goto(site_url + "san-pham/dhis2/")
    box = page.locator(".table-scroll").first
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("role") == "region"
    style = box.evaluate("node => getComputedStyle(node).backgroundImage")
    assert "gradient" in style
    assert box.evaluate("node => getComputedStyle(node).overflowX") == "auto"
    context.close()


def test_english_form_loads_fields(shipped_site, browser):
    _output, site_url = shipped_site
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", loopback_only)
    page = context.new_page()
    failures = []
    page.on("response", lambda response: failures.append(response.url) if response.status >= 400 else None)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(10000)
    page.goto(site_url + "en/gui-de-xuat/")
    page.evaluate("PortalForm.ready.then(() => true)")
    assert failures == []
    assert errors == []
    assert page.locator("#phieu-de-xuat").is_visible()
    # The fields come from the schema's Vietnamese titles.
    assert page.get_by_label("Sản phẩm", exact=True).count() == 1
    assert page.locator("#phieu-cac-muc").get_attribute("lang") == "vi"
    assert page.title().startswith("Submit a proposal · ")
    assert "Danh mục" not in page.title()
    page.get_by_role("button", name="Check and create the proposal file").click()
    status = page.locator("#trang-thai-phieu")
    status.wait_for(state="attached")
    page.wait_for_function("document.getElementById('trang-thai-phieu').textContent.length > 0")
    assert status.text_content().startswith("The proposal still has")
    assert page.locator(".button-add").first.text_content().startswith("Add")
    context.close()
