"""The English interface built under /en/, language links, name order and the 404 page's links."""

from __future__ import annotations

import posixpath
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from catalogue_content import PRODUCTS, write_content
from conftest import REPO_ROOT
from plugins.portal_public import stats
from portal.sitebuild import build_site
from portal.textfold import collation_key

# Every page type, by its path inside a language folder.
PAGE_TYPES = {
    "home": "index.html",
    "catalogue": "danh-muc/index.html",
    "catalogue page 2": "danh-muc/trang-2/index.html",
    "product": "san-pham/truy-xuat-ca-phe/index.html",
    "fields": "linh-vuc/index.html",
    "field": "linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/index.html",
    "organisations": "to-chuc/index.html",
    "provinces": "tinh-thanh/index.html",
    "province": "tinh-thanh/dak-lak/index.html",
    "search": "tim-kiem/index.html",
    "statistics": "thong-ke/index.html",
    "tracking": "theo-doi/ho-so-dang-xu-ly/index.html",
    "notice": "san-pham/san-pham-thu-hoi/index.html",
    "procedure": "quy-trinh/index.html",
    "how to submit": "huong-dan-gui-de-xuat/index.html",
    "not found": "404.html",
}

# Vietnamese interface strings that an English page must not show outside an element marked
# lang="vi" (texts that submitters or staff wrote in Vietnamese carry that mark).
VIETNAMESE_INTERFACE = (
    "Trang chủ", "Danh mục", "Lĩnh vực", "Tổ chức", "Tỉnh, thành phố", "Tìm kiếm", "Thống kê",
    "Quy trình", "Gửi đề xuất", "Bỏ qua, đến nội dung chính", "Điều hướng chính", "Bộ Khoa học",
    "sản phẩm, giải pháp", "Mô tả chi tiết", "Hiệu quả", "Quyết định công bố", "Không tìm thấy",
    "Số hồ sơ", "Trang sau", "Lọc kết quả", "Tất cả", "Hạn xử lý", "Lý do", "Bước",
    "Số ngày làm việc", "Hồ sơ nhận theo tháng", "Đang tìm", "Lược đồ",
)


class _Reader(HTMLParser):
    """Collect the text and the labelling attributes of a page, leaving out lang="vi" elements."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.texts: list[str] = []
        self.alternates: dict[str, str] = {}
        self.html_lang = None
        self.vietnamese_texts: list[str] = []

    @property
    def in_vietnamese(self) -> bool:
        return any(self.stack)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        if tag == "link" and attributes.get("rel") == "alternate" and attributes.get("hreflang"):
            self.alternates[attributes["hreflang"]] = attributes["href"]
        vietnamese = attributes.get("lang") == "vi"
        if not (self.in_vietnamese or vietnamese):
            self.texts += [attributes[name] for name in ("aria-label", "alt", "title", "content") if attributes.get(name)]
        if tag not in self.VOID:
            self.stack.append(vietnamese)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        (self.vietnamese_texts if self.in_vietnamese else self.texts).append(data)


def read_page(path: Path) -> _Reader:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    content = write_content(root)
    shutil.copytree(REPO_ROOT / "content" / "pages", content / "pages")
    build_site(root / "output", content, settings_overrides={"CATALOGUE_PER_PAGE": 3})
    return root / "output"


@pytest.mark.parametrize("name, path", list(PAGE_TYPES.items()))
def test_every_page_type_exists_in_both_languages(output, name, path):
    assert read_page(output / path).html_lang == "vi", name
    assert read_page(output / "en" / path).html_lang == "en", name


@pytest.mark.parametrize("name, path", list(PAGE_TYPES.items()))
def test_english_pages_show_no_vietnamese_interface_string(output, name, path):
    text = " ".join(read_page(output / "en" / path).texts)
    found = [string for string in VIETNAMESE_INTERFACE if string in text]
    assert found == [], f"{name}: {found}"
    assert "Home" in text or name == "not found" and "Page not found" in text


@pytest.mark.parametrize("name, path", [item for item in PAGE_TYPES.items() if item[0] != "not found"])
def test_hreflang_links_of_the_two_languages_point_at_each_other(output, name, path):
    def resolve(page: str, href: str) -> str:
        folder = posixpath.dirname(page)
        target = posixpath.join(folder, href)
        return posixpath.normpath(target + "index.html" if href.endswith("/") else target)

    vietnamese = read_page(output / path).alternates
    english_path = "en/" + path
    english = read_page(output / english_path).alternates
    assert set(vietnamese) == set(english) == {"vi", "en", "x-default"}, name
    assert resolve(path, vietnamese["en"]) == english_path
    assert resolve(english_path, english["vi"]) == posixpath.normpath(path)
    assert resolve(path, vietnamese["vi"]) == posixpath.normpath(path)
    assert resolve(english_path, english["x-default"]) == posixpath.normpath(path)


def test_language_switch_links_to_the_same_page_in_the_other_language(output):
    page = (output / "en" / "linh-vuc" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../../linh-vuc/" hreflang="vi" lang="vi">Tiếng Việt</a>' in page
    page = (output / "linh-vuc" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../en/linh-vuc/" hreflang="en" lang="en">English</a>' in page


def test_text_given_only_in_vietnamese_is_marked_on_english_pages(output):
    page = (output / "en" / "san-pham" / "truy-xuat-ca-phe" / "index.html").read_text(encoding="utf-8")
    assert '<h1 lang="vi">Truy xuất nguồn gốc cà phê</h1>' in page
    assert re.search(r'<p class="lead" lang="vi">Giải pháp truy xuất', page)
    reader = read_page(output / "en" / "san-pham" / "truy-xuat-ca-phe" / "index.html")
    assert "Truy xuất nguồn gốc cà phê" in " ".join(reader.vietnamese_texts)
    # On the Vietnamese page the same text is in the page's language and needs no mark.
    page = (output / "san-pham" / "truy-xuat-ca-phe" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Truy xuất nguồn gốc cà phê</h1>" in page


def test_english_text_of_a_product_is_shown_on_english_pages(tmp_path):
    content = write_content(tmp_path)
    path = content / "proposals" / "truy-xuat-ca-phe.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name:\n  vi: Truy xuất nguồn gốc cà phê",
                                 "name:\n  vi: Truy xuất nguồn gốc cà phê\n  en: Coffee traceability"), encoding="utf-8")
    build_site(tmp_path / "output", content)
    english = (tmp_path / "output" / "en" / "san-pham" / "truy-xuat-ca-phe" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Coffee traceability</h1>" in english
    vietnamese = (tmp_path / "output" / "san-pham" / "truy-xuat-ca-phe" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Truy xuất nguồn gốc cà phê</h1>" in vietnamese


def test_open_data_and_search_index_exist_once_at_the_root(output):
    assert (output / "du-lieu" / "san-pham.json").is_file()
    assert (output / "tim-kiem" / "chi-muc" / "meta.json").is_file()
    for folder in ("du-lieu", "feeds", "schema", "luoc-do", "tim-kiem/chi-muc"):
        assert not (output / "en" / folder).exists(), folder
    assert not (output / "en" / "sitemap.xml").exists()
    search_page = (output / "en" / "tim-kiem" / "index.html").read_text(encoding="utf-8")
    assert 'data-index="../../tim-kiem/chi-muc/"' in search_page
    assert '"other": "{count} products and solutions found."' in search_page
    assert '"one": "{count} product or solution found."' in search_page


def test_chart_titles_and_steps_follow_the_page_language(output):
    english = (output / "en" / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Dossiers by status"' in english
    assert '<th scope="row">Intake and screening</th>' in english
    vietnamese = (output / "thong-ke" / "index.html").read_text(encoding="utf-8")
    assert 'aria-label="Số hồ sơ theo tình trạng"' in vietnamese


def test_main_menu_links_search_statistics_and_provinces(output):
    for prefix, labels in (("", ("Tìm kiếm", "Thống kê", "Tỉnh, thành phố")), ("en/", ("Search", "Statistics", "Provinces and cities"))):
        page = (output / prefix / "danh-muc" / "index.html").read_text(encoding="utf-8")
        menu = page[page.index('<nav class="site-nav"'):page.index("</nav>")]
        for target, label in zip(("tim-kiem/", "thong-ke/", "tinh-thanh/"), labels):
            assert f'<a href="../{target}">{label}</a>' in menu


def test_not_found_page_links_work_at_any_depth(output):
    for path in ("404.html", "en/404.html"):
        page = (output / path).read_text(encoding="utf-8")
        addresses = re.findall(r'(?:href|src)="([^"]*)"', page)
        assert addresses
        for address in addresses:
            assert address.startswith(("/", "#", "https://", "http://")), f"{path}: {address}"
    english = (output / "en" / "404.html").read_text(encoding="utf-8")
    assert 'href="/en/danh-muc/"' in english
    assert 'href="/theme/css/site.css"' in english


def test_not_found_page_uses_the_published_address(tmp_path):
    content = write_content(tmp_path)
    build_site(tmp_path / "output", content, settings_overrides={"SITEURL": "https://example.gov.vn/danh-muc", "RELATIVE_URLS": False})
    page = (tmp_path / "output" / "404.html").read_text(encoding="utf-8")
    assert 'href="https://example.gov.vn/danh-muc/danh-muc/"' in page
    assert 'href="https://example.gov.vn/danh-muc/theme/css/site.css"' in page


def _listed(page: str, marker: str) -> list[str]:
    return re.findall(marker, page)


def test_names_follow_vietnamese_alphabetical_order(output):
    published = sorted((name for _, name, *_rest, outcomes in PRODUCTS if outcomes[-1] == "selected"), key=collation_key)
    catalogue = "".join((output / path).read_text(encoding="utf-8")
                        for path in ("danh-muc/index.html", "danh-muc/trang-2/index.html", "danh-muc/trang-3/index.html"))
    shown = _listed(catalogue, r'<h2 class="card-title"><a href="[^"]*">([^<]*)</a>')
    assert shown == published
    assert shown.index("Dương liễu số") < shown.index("Đường giao thông thông minh")

    organisations = (output / "to-chuc" / "index.html").read_text(encoding="utf-8")
    names = _listed(organisations, r'<li><a href="[^"]*to-chuc/[^"]*">([^<]*)</a>')
    assert len(names) >= 2
    assert names == sorted(names, key=collation_key)
    assert names.index("Công ty Dương liễu số") < names.index("Công ty Đường giao thông thông minh")

    provinces = (output / "tinh-thanh" / "index.html").read_text(encoding="utf-8")
    names = _listed(provinces, r'<li><a href="[^"]*tinh-thanh/[^"]*">([^<]*)</a>')
    assert len(names) >= 2
    assert names == sorted(names, key=collation_key)

    fields = (output / "linh-vuc" / "index.html").read_text(encoding="utf-8")
    labels = _listed(fields, r'<li><a href="[^"]*linh-vuc/[^"]*">([^<]*)</a>')
    assert len(labels) >= 5
    assert labels == sorted(labels, key=collation_key)


def test_chart_labels_are_never_cut():
    long_label = "Giáo dục, y tế, văn hóa, xã hội và các dịch vụ công trực tuyến cấp tỉnh"
    svg = stats.bar_chart("Thử", [(long_label, 3), ("Ngắn", 1)])
    texts = re.findall(r'<text x="0"[^>]*>([^<]*)</text>', svg)
    assert " ".join(texts[:-1]) == long_label
    assert all(len(line) <= stats.LABEL_LINE_LENGTH for line in texts)
    assert 'viewBox="0 0 360 ' in svg
