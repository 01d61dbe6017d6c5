"""Real Pelican builds of the public catalogue, checked file by file.

Content is written into tmp_path from the fixtures in tests/fixtures/site/ and built with the
repository's pelicanconf.py through portal.sitebuild.build_site.
"""

from __future__ import annotations

import copy
import shutil
import threading
import unicodedata
import urllib.request
from pathlib import Path

import pytest
import yaml

from plugins.portal_catalogue import render_product_page
from portal.sitebuild import ContentError, build_site, make_server
from portal.yamlread import load_file

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "site"
CONTACT = yaml.safe_load((FIXTURES / "proposal.yaml").read_text(encoding="utf-8"))["contact"]


# --- content helpers ------------------------------------------------------------------------------


def proposal(slug: str, name: str | None = None, **changes) -> dict:
    data = yaml.safe_load((FIXTURES / "proposal.yaml").read_text(encoding="utf-8"))
    data["slug"] = slug
    data["name"] = {"vi": name or f"Sản phẩm {slug}"}
    data.update(copy.deepcopy(changes))
    return data


def record(slug: str, outcome: str = "selected", sequence: int = 1, date: str = "2025-01-20", **decision) -> dict:
    data = yaml.safe_load((FIXTURES / "record.yaml").read_text(encoding="utf-8"))
    data["slug"] = slug
    data["sequence"] = sequence
    data["decision"]["outcome"] = outcome
    data["decision"]["date"] = date
    if outcome != "selected":
        data["decision"]["reason"] = "Chưa đáp ứng tiêu chí đánh giá."
    data["decision"].update(decision)
    return data


def write_yaml(path: Path, data: dict) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return text


def make_content(root: Path, proposals: list[dict], records: list[dict]) -> Path:
    content = root / "content"
    shutil.copytree(REPO / "content" / "pages", content / "pages")
    (content / "proposals").mkdir(parents=True)
    (content / "evaluations").mkdir(parents=True)
    for data in proposals:
        write_yaml(content / "proposals" / f"{data['slug']}.yaml", data)
    for data in records:
        suffix = "" if data["sequence"] == 1 else f".{data['sequence']}"
        write_yaml(content / "evaluations" / f"{data['slug']}{suffix}.yaml", data)
    return content


PRODUCT_MARKER = '<article class="product">'


def product_slugs_built(output: Path) -> set[str]:
    # A revoked product keeps a notice page at its address, so only pages that render a product
    # article count as product pages.
    return {
        path.parent.name for path in (output / "san-pham").glob("*/index.html")
        if PRODUCT_MARKER in path.read_text(encoding="utf-8")
    }


def read(output: Path, relative: str) -> str:
    return (output / relative).read_text(encoding="utf-8")


# --- one rich site, built once for the read-only checks --------------------------------------------

MALICIOUS_DESCRIPTION = "\n\n".join([
    "Mô tả có mã độc.",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[y](JaVaScRiPt:alert(1))",
    "[z](&#106;avascript:alert(1))",
    '<a href="#" onclick="x()">bấm</a>',
    '<iframe src="https://example.vn/khung"></iframe>',
    "[d](data:text/html;base64,PHNjcmlwdD4=)",
    '<p style="color:red">kiểu</p>',
])


@pytest.fixture(scope="module")
def rich_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("rich")
    nfc_owner = "Công ty Cổ phần Hòa Bình Số"
    nfd_owner = unicodedata.normalize("NFD", nfc_owner)
    proposals = [
        proposal("truong-hoc-hoa-binh", "Trường học Hòa Bình"),
        proposal("truong-hoc-hoa-binh-2", "Trường Học Hoà Bình"),
        proposal("ma-doc", "Sản phẩm có <b>thẻ</b> trong tên", description={"vi": MALICIOUS_DESCRIPTION}),
        proposal("nong-nghiep", "Nông nghiệp thông minh", fields=["agriculture_resources_environment"],
                 owner={**proposal("x")["owner"], "name": nfc_owner}),
        proposal("nong-nghiep-2", "Truy xuất nguồn gốc nông sản", fields=["agriculture_resources_environment",
                                                                         "public_administration"],
                 owner={**proposal("x")["owner"], "name": nfd_owner}),
        proposal("ngay-thang", "Ngày tháng triển khai", deployments=[
            {"user": "Xã A", "province": "Huế", "since": "2024-03-15"},
            {"user": "Xã B", "province": "Huế", "since": "2021-05"},
            {"user": "Xã C", "province": "Huế", "since": "2021"},
        ]),
        proposal("khong-chon", "Sản phẩm không được chọn"),
        proposal("chua-co-quyet-dinh", "Sản phẩm chưa có quyết định"),
        proposal("bi-thu-hoi", "Sản phẩm bị thu hồi"),
        proposal("nop-lai", "Sản phẩm nộp lại"),
    ]
    records = [
        record("truong-hoc-hoa-binh"),
        record("truong-hoc-hoa-binh-2"),
        record("ma-doc"),
        record("nong-nghiep", date="2025-02-01"),
        record("nong-nghiep-2", date="2025-03-01"),
        record("ngay-thang"),
        record("khong-chon", "not_selected"),
        record("bi-thu-hoi", "revoked", by="can-bo-bo"),
        record("nop-lai", "not_selected"),
        record("nop-lai", "selected", sequence=2, date="2025-04-01"),
    ]
    content = make_content(root, proposals, records)
    output = root / "output"
    result = build_site(output, content)
    return {"root": root, "content": content, "output": output, "result": result}


def test_site_publishes_only_latest_selected_records(rich_site):
    expected = {"truong-hoc-hoa-binh", "truong-hoc-hoa-binh-2", "ma-doc", "nong-nghiep", "nong-nghiep-2",
                "ngay-thang", "nop-lai"}
    assert product_slugs_built(rich_site["output"]) == expected
    assert set(rich_site["result"].product_slugs) == expected
    for slug in ("khong-chon", "chua-co-quyet-dinh"):
        assert not (rich_site["output"] / "san-pham" / slug).exists()
    for slug in ("khong-chon", "chua-co-quyet-dinh", "bi-thu-hoi"):
        assert f"san-pham/{slug}/" not in read(rich_site["output"], "danh-muc/index.html")
        assert f"san-pham/{slug}/" not in read(rich_site["output"], "index.html")


def test_site_tone_placement_names_both_published(rich_site):
    output = rich_site["output"]
    assert "Trường học Hòa Bình" in read(output, "san-pham/truong-hoc-hoa-binh/index.html")
    assert "Trường Học Hoà Bình" in read(output, "san-pham/truong-hoc-hoa-binh-2/index.html")


def test_site_description_markup_is_sanitised(rich_site):
    page = read(rich_site["output"], "san-pham/ma-doc/index.html")
    lowered = page.lower()
    for forbidden in ("<script", "onerror", "onclick", "javascript:", "&#106;avascript", "alert(",
                      "<iframe", "data:text", "style=", "<img"):
        assert forbidden not in lowered, forbidden
    assert "Mô tả có mã độc." in page
    assert 'rel="nofollow noopener"' in page


def test_site_escapes_yaml_text_in_templates(rich_site):
    page = read(rich_site["output"], "san-pham/ma-doc/index.html")
    assert "&lt;b&gt;thẻ&lt;/b&gt;" in page
    assert "<b>thẻ</b>" not in page


def test_site_deployment_dates_use_vietnamese_format(rich_site):
    page = read(rich_site["output"], "san-pham/ngay-thang/index.html")
    assert "<td>15/03/2024</td>" in page
    assert "<td>05/2021</td>" in page
    assert "<td>2021</td>" in page
    assert "2024-03-15" not in page


def test_site_nfd_owner_name_is_one_organisation(rich_site):
    output = rich_site["output"]
    organisation_dirs = [path for path in (output / "to-chuc").iterdir() if path.is_dir()]
    pages = [read(output, f"to-chuc/{path.name}/index.html") for path in organisation_dirs]
    holders = [page for page in pages if "nong-nghiep/" in page or "nong-nghiep-2/" in page]
    assert len(holders) == 1
    assert "san-pham/nong-nghiep/" in holders[0]
    assert "san-pham/nong-nghiep-2/" in holders[0]
    assert len(organisation_dirs) == 2


def test_site_output_contains_no_contact_data(rich_site):
    values = [str(value) for value in CONTACT.values()]
    values.append(CONTACT["phone"].replace(" ", ""))
    checked = 0
    for path in rich_site["output"].rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        for value in values:
            assert value.encode("utf-8") not in data, f"{value} in {path}"
            assert unicodedata.normalize("NFD", value).encode("utf-8") not in data, f"{value} in {path}"
        checked += 1
    assert checked > 10


def test_site_field_pages_list_their_products(rich_site):
    output = rich_site["output"]
    agriculture = read(output, "linh-vuc/nong-nghiep-tai-nguyen-va-moi-truong/index.html")
    administration = read(output, "linh-vuc/hanh-chinh-cong-va-quan-ly-nha-nuoc/index.html")
    assert "san-pham/nong-nghiep/" in agriculture
    assert "san-pham/nong-nghiep-2/" in agriculture
    assert "san-pham/truong-hoc-hoa-binh/" not in agriculture
    assert "san-pham/nong-nghiep-2/" in administration
    assert "san-pham/truong-hoc-hoa-binh/" in administration
    assert "san-pham/nong-nghiep/\"" not in administration


def test_site_organisation_page_lists_its_products(rich_site):
    output = rich_site["output"]
    page = read(output, "to-chuc/cong-ty-co-phan-phan-mem-mau/index.html")
    for slug in ("truong-hoc-hoa-binh", "truong-hoc-hoa-binh-2", "ma-doc", "ngay-thang", "nop-lai"):
        assert f"san-pham/{slug}/" in page
    assert "san-pham/nong-nghiep/" not in page


def test_site_home_shows_figures_and_newest(rich_site):
    page = read(rich_site["output"], "index.html")
    assert '<span class="figure-value">7</span>' in page
    assert '<span class="figure-value">2</span>' in page
    newest_first = page.index("san-pham/nop-lai/")
    assert newest_first < page.index("san-pham/nong-nghiep-2/") < page.index("san-pham/nong-nghiep/")


def test_site_static_pages_exist_in_vietnamese(rich_site):
    procedure = read(rich_site["output"], "quy-trinh/index.html")
    how_to = read(rich_site["output"], "huong-dan-gui-de-xuat/index.html")
    assert '<html lang="vi">' in procedure
    for step in range(1, 6):
        assert f"Bước {step}." in procedure
    assert "luoc-do/proposal.schema.json" in how_to
    assert (rich_site["output"] / "luoc-do" / "proposal.schema.json").is_file()


def test_render_product_page_matches_built_page(rich_site):
    from pelican.settings import read_settings

    settings = read_settings(str(REPO / "pelicanconf.py"))
    data = load_file(rich_site["content"] / "proposals" / "ngay-thang.yaml").data
    latest = load_file(rich_site["content"] / "evaluations" / "ngay-thang.yaml").data
    html = render_product_page(data, latest, settings)
    assert html == read(rich_site["output"], "san-pham/ngay-thang/index.html")


def test_serve_returns_built_pages(rich_site):
    server = make_server(rich_site["output"], "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/san-pham/ngay-thang/") as response:
            body = response.read().decode("utf-8")
            status = response.status
    finally:
        server.shutdown()
        server.server_close()
    assert status == 200
    assert "Ngày tháng triển khai" in body


# --- builds with their own content ----------------------------------------------------------------


def test_invalid_proposal_fails_build_with_location(tmp_path):
    bad = proposal("sai-loai", kind="gadget")
    content = make_content(tmp_path, [proposal("hop-le"), bad], [record("hop-le"), record("sai-loai")])
    text = (content / "proposals" / "sai-loai.yaml").read_text(encoding="utf-8")
    line = text.splitlines().index("kind: gadget") + 1
    output = tmp_path / "output"
    output.mkdir()
    (output / "old.html").write_text("bản cũ", encoding="utf-8")

    with pytest.raises(ContentError) as caught:
        build_site(output, content)

    message = str(caught.value)
    assert f"content/proposals/sai-loai.yaml:{line}:7: kind" in message
    assert "Không thể dựng trang danh mục" in message
    assert any(problem.file == "content/proposals/sai-loai.yaml" for problem in caught.value.problems)
    assert sorted(path.name for path in output.iterdir()) == ["old.html"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content", "output"]


def test_invalid_record_fails_build(tmp_path):
    broken = record("hop-le")
    broken["decision"]["outcome"] = "maybe"
    content = make_content(tmp_path, [proposal("hop-le")], [broken])
    with pytest.raises(ContentError) as caught:
        build_site(tmp_path / "output", content)
    assert "content/evaluations/hop-le.yaml:" in str(caught.value)
    assert not (tmp_path / "output").exists()


def test_catalogue_pagination_pages_exist(tmp_path):
    slugs = [f"san-pham-{number:02d}" for number in range(1, 6)]
    content = make_content(tmp_path, [proposal(slug) for slug in slugs], [record(slug) for slug in slugs])
    output = tmp_path / "output"
    build_site(output, content, settings_overrides={"CATALOGUE_PER_PAGE": 2})

    pages = ["danh-muc/index.html", "danh-muc/trang-2/index.html", "danh-muc/trang-3/index.html"]
    listed = []
    for relative in pages:
        page = read(output, relative)
        listed.extend(slug for slug in slugs if f"san-pham/{slug}/" in page)
        assert 'aria-label="Phân trang"' in page
    assert listed == slugs
    assert not (output / "danh-muc" / "trang-4").exists()
    assert 'href="../../danh-muc/trang-3/" rel="next"' in read(output, "danh-muc/trang-2/index.html")


def test_organisation_slugs_differing_in_marks_do_not_collide(tmp_path):
    owner = proposal("x")["owner"]
    first = proposal("ca-phe-1", owner={**owner, "name": "Cà phê Việt"})
    second = proposal("ca-phe-2", owner={**owner, "name": "Cá phê Việt"})
    content = make_content(tmp_path, [first, second], [record("ca-phe-1", date="2025-01-01"),
                                                      record("ca-phe-2", date="2025-02-01")])
    output = tmp_path / "output"
    result = build_site(output, content)

    assert len(result.organisation_slugs) == 2
    assert "ca-phe-viet" in result.organisation_slugs
    other = next(slug for slug in result.organisation_slugs if slug != "ca-phe-viet")
    assert "Cà phê Việt" in read(output, "to-chuc/ca-phe-viet/index.html")
    assert "Cá phê Việt" in read(output, f"to-chuc/{other}/index.html")


def test_only_public_attachments_are_published(tmp_path):
    attachments = [
        {"title": "Tài liệu giới thiệu", "file": "gioi-thieu.png", "kind": "brochure", "public": True},
        {"title": "Hợp đồng mật", "file": "hop-dong.png", "kind": "contract", "public": False},
    ]
    content = make_content(tmp_path, [proposal("co-dinh-kem", attachments=attachments)], [record("co-dinh-kem")])
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    (content / "proposals" / "co-dinh-kem").mkdir()
    (content / "proposals" / "co-dinh-kem" / "gioi-thieu.png").write_bytes(png)
    (content / "proposals" / "co-dinh-kem" / "hop-dong.png").write_bytes(png)
    output = tmp_path / "output"
    build_site(output, content)

    page = read(output, "san-pham/co-dinh-kem/index.html")
    assert (output / "san-pham" / "co-dinh-kem" / "tep" / "gioi-thieu.png").read_bytes() == png
    assert 'href="../../san-pham/co-dinh-kem/tep/gioi-thieu.png"' in page
    assert not list(output.rglob("hop-dong.png"))
    assert "Hợp đồng mật" not in page


@pytest.mark.slow
def test_shipped_content_builds_one_page_per_selected_proposal(tmp_path):
    latest: dict[str, tuple[int, str]] = {}
    for path in sorted((REPO / "content" / "evaluations").glob("*.yaml")):
        data = load_file(path).data
        sequence, outcome = data["sequence"], data["decision"]["outcome"]
        if data["slug"] not in latest or sequence > latest[data["slug"]][0]:
            latest[data["slug"]] = (sequence, outcome)
    selected = {slug for slug, (_, outcome) in latest.items() if outcome == "selected"}

    output = tmp_path / "output"
    result = build_site(output)

    assert product_slugs_built(output) == selected
    assert result.product_count == len(selected)


def test_interface_strings_use_the_po_catalogue_compiled_at_build_time(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale="en")
    catalog.add("Trang chủ", "Home (test)")
    catalog.add("Mô tả chi tiết", "Description (test)")
    po_path = tmp_path / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    po_path.parent.mkdir(parents=True)
    with open(po_path, "wb") as handle:
        write_po(handle, catalog)
    content = make_content(tmp_path, [proposal("mau")], [record("mau")])
    output = tmp_path / "output"
    build_site(output, content, settings_overrides={"PORTAL_TRANSLATIONS_DIR": str(tmp_path / "translations")})

    english = read(output, "en/san-pham/mau/index.html")
    assert ">Home (test)</a>" in english
    assert ">Description (test)</h2>" in english
    assert ">Trang chủ</a>" not in english
    vietnamese = read(output, "san-pham/mau/index.html")
    assert ">Mô tả chi tiết</h2>" in vietnamese
    assert not list(output.rglob("*.mo"))
