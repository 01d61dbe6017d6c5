"""The Markdown renderer of the catalogue: submitters' text in, safe HTML out."""

from __future__ import annotations

import pytest

from plugins.portal_catalogue.markup import MarkdownRenderer
from plugins.portal_catalogue.model import ascii_slug, public_proposal

ATTACKS = [
    ("<img src=x onerror=alert(1)>", ("onerror", "<img", "alert(")),
    ("<script>alert(1)</script>", ("<script", "alert(")),
    ("[x](javascript:alert(1))", ("javascript:", "alert(")),
    ("[y](JaVaScRiPt:alert(1))", ("javascript:", "alert(")),
    ("[z](&#106;avascript:alert(1))", ("avascript:", "alert(")),
    ('<a href="java&#x09;script:alert(1)">t</a>', ("script:", "alert(")),
    ('<a href=" javascript:alert(1)">t</a>', ("javascript:", "alert(")),
    ('<a href="#" onclick="x()">a</a>', ("onclick",)),
    ('<iframe src="https://example.vn"></iframe>', ("<iframe",)),
    ("[d](data:text/html;base64,PHNjcmlwdD4=)", ("data:",)),
    ('<p style="background:url(x)">s</p>', ("style=",)),
    ("<svg onload=alert(1)></svg>", ("<svg", "onload")),
    ("<!-- <script>alert(1)</script> -->", ("<script", "<!--")),
]


@pytest.fixture(scope="module")
def renderer():
    return MarkdownRenderer()


@pytest.mark.parametrize("source,forbidden", ATTACKS, ids=[source for source, _ in ATTACKS])
def test_markdown_attack_is_removed(renderer, source, forbidden):
    html = str(renderer.render(source)).lower()
    for fragment in forbidden:
        assert fragment not in html


def test_markdown_links_get_nofollow_noopener(renderer):
    html = str(renderer.render("[Trang chủ](https://example.vn/a?b=1&c=2)"))
    assert 'href="https://example.vn/a?b=1&amp;c=2"' in html
    assert 'rel="nofollow noopener"' in html


def test_markdown_headings_start_below_section_headings(renderer):
    html = str(renderer.render("# Tiêu đề\n\n## Mục\n\n###### Sâu"))
    assert "<h3>Tiêu đề</h3>" in html
    assert "<h4>Mục</h4>" in html
    assert "<h6>Sâu</h6>" in html
    assert "<h1" not in html
    assert "<h2" not in html


def test_markdown_renderer_forgets_references_between_texts(renderer):
    first = str(renderer.render("[trang][ref]\n\n[ref]: https://example.vn/mot"))
    second = str(renderer.render("[trang][ref]"))
    assert 'href="https://example.vn/mot"' in first
    assert "href" not in second


def test_markdown_keeps_tables_and_lists(renderer):
    html = str(renderer.render("| A | B |\n|---|---|\n| 1 | 2 |\n\n- một\n- hai"))
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "<li>một</li>" in html


def test_public_proposal_drops_contact_and_private_attachments():
    data = {
        "slug": "mau",
        "owner": {"type": "enterprise", "name": "Công ty Mẫu", "address": "Số 1 phố Mẫu", "tax_code": "0100109106"},
        "contact": {"email": "rieng@example.vn"},
        "attachments": [
            {"title": "Công khai", "file": "a.pdf", "public": True},
            {"title": "Riêng", "file": "b.pdf", "public": False},
            {"title": "Không ghi", "file": "c.pdf"},
        ],
        "unknown_future_key": "bí mật",
    }
    public = public_proposal(data)
    assert "contact" not in public
    assert "unknown_future_key" not in public
    assert public["owner"] == {"type": "enterprise", "name": "Công ty Mẫu"}
    assert [item["file"] for item in public["attachments"]] == ["a.pdf"]


@pytest.mark.parametrize("name,slug", [
    ("Công ty Cổ phần Đất Việt", "cong-ty-co-phan-dat-viet"),
    ("Trường Học  Hoà Bình!", "truong-hoc-hoa-binh"),
    ("  --  ", ""),
])
def test_ascii_slug_folds_vietnamese(name, slug):
    assert ascii_slug(name) == slug
