"""The submission form in headless Chromium: the shared table of cases, filling and producing a
proposal the Python validator accepts, messages beside fields, the draft, the GitHub link and
screenshots at 360 and 1280 px.

Every request to a host other than the loopback test server is aborted, so a click on a GitHub
link never leaves the machine.
"""

from __future__ import annotations

import urllib.parse

import pytest

from catalogue_content import write_content
from conftest import REPO_ROOT
from form_support import FORM_CASES, case_document, problem_pairs
from browser_support import loopback_only, require_chromium, serving
from portal.sitebuild import build_site
from portal.validate import validate_proposal_file

pytestmark = pytest.mark.browser

ARTIFACTS = REPO_ROOT / "tests" / "artifacts"
FORM_PATH = "gui-de-xuat/"
NEW_FILE_PAGE = "https://github.com/bo-khcn/danh-muc-san-pham/new/main"


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    require_chromium()
    root = tmp_path_factory.mktemp("form-browser-site")
    build_site(root / "output", write_content(root))
    with serving(root / "output") as address:
        yield address


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.route("**/*", loopback_only)
    yield context
    context.close()


@pytest.fixture
def form(context, site_url):
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" and "favicon" not in message.text else None)
    page.set_default_timeout(10000)
    page.goto(site_url + FORM_PATH)
    page.evaluate("PortalForm.ready.then(() => true)")
    yield page
    assert [error for error in errors if "404" not in error] == []


# --- helpers that act as a person would --------------------------------------------------------------


def field(page, label: str, scope=None):
    return (scope or page).get_by_label(label, exact=True)


def group(page, legend: str):
    # A fieldset's accessible name is its legend without the "*" mark, which is aria-hidden.
    return page.get_by_role("group", name=legend, exact=True)


def fill_product(page):
    """Fill the form for a product with two deployments and an award, using labels only."""
    page.get_by_label("Sản phẩm", exact=True).check()
    page.get_by_label("Chuyển đổi số", exact=True).check()
    name = group(page, "Tên sản phẩm, giải pháp")
    field(page, "Tiếng Việt", name).fill("Hệ thống quản lý văn bản và điều hành")
    field(page, "Tiếng Anh", name).fill("Document management system")
    summary = group(page, "Tóm tắt")
    field(page, "Tiếng Việt", summary).fill("Phần mềm quản lý văn bản đến, văn bản đi và hồ sơ công việc cho cơ quan nhà nước.")
    description = group(page, "Mô tả chi tiết")
    field(page, "Tiếng Việt", description).fill(
        "Hệ thống giúp cơ quan **số hóa** quy trình xử lý văn bản.\n\n- Ký số trên thiết bị di động\n- Liên thông văn bản: \"quốc gia\"")
    page.get_by_label("Hành chính công và quản lý nhà nước", exact=True).check()

    owner = group(page, "Tổ chức, doanh nghiệp, cá nhân chủ sở hữu")
    owner.get_by_label("Doanh nghiệp", exact=True).check()
    field(page, "Tên *", owner).fill("Công ty Cổ phần Phần mềm Mẫu")
    field(page, "Mã số thuế", owner).fill("0100109106")
    field(page, "Tỉnh, thành phố", owner).select_option("Hà Nội")

    contact = group(page, "Đầu mối liên hệ")
    field(page, "Tên đầu mối", contact).fill("Phòng Kinh doanh")
    field(page, "Thư điện tử", contact).fill("kinhdoanh@phanmemmau.example.vn")
    field(page, "Điện thoại", contact).fill("024 3123 4567")

    first = group(page, "Nơi triển khai 1")
    field(page, "Đơn vị sử dụng *", first).fill("Văn phòng Ủy ban nhân dân tỉnh")
    field(page, "Tỉnh, thành phố *", first).select_option("Thanh Hóa")
    field(page, "Bắt đầu từ *", first).fill("2024-03-15")
    page.get_by_role("button", name="Thêm nơi triển khai").click()
    second = group(page, "Nơi triển khai 2")
    field(page, "Đơn vị sử dụng *", second).fill("Sở Nội vụ")
    field(page, "Tỉnh, thành phố *", second).select_option("Toàn quốc")
    field(page, "Bắt đầu từ *", second).fill("2022")

    effectiveness = group(page, "Hiệu quả")
    field(page, "Tiếng Việt", effectiveness).fill("Rút ngắn thời gian xử lý văn bản từ 3 ngày xuống 1 ngày.")
    mastery = group(page, "Mức độ làm chủ công nghệ")
    field(page, "Mức độ *", mastery).select_option(label="Làm chủ hoàn toàn")

    page.get_by_role("button", name="Thêm giải thưởng").click()
    award = group(page, "Giải thưởng 1")
    field(page, "Tên giải thưởng *", award).fill("Giải thưởng Sao Khuê")
    field(page, "Năm *", award).fill("2023")

    for text in ("Thông tin trong hồ sơ là trung thực, chính xác", "Đã được triển khai thực tế tại Việt Nam",
                 "Đồng ý công bố các thông tin không phải dữ liệu cá nhân"):
        page.get_by_label(text, exact=True).check()


def produce(page) -> str:
    page.get_by_role("button", name="Kiểm tra và tạo tệp hồ sơ").click()
    page.wait_for_selector("#ket-qua:not([hidden])")
    return page.input_value("#noi-dung-yaml")


# --- the shared table -----------------------------------------------------------------------------------


def test_shared_table_same_verdicts_in_browser(form):
    for case in FORM_CASES["tax_codes"]:
        assert form.evaluate("value => PortalForm.taxCodeValid(value)", case["value"]) is case["valid"], case
    for case in FORM_CASES["provinces"]:
        verdict = form.evaluate("c => PortalForm.checkProvince(c.value, c.allow_nationwide)", case)
        assert [verdict["ok"], verdict["code"], verdict["suggestion"]] == [case["ok"], case["code"], case["suggestion"]], case
    for case in FORM_CASES["documents"]:
        problems = form.evaluate("doc => PortalForm.problems(doc)", case_document(case))
        found = problem_pairs((problem["path"], problem["code"]) for problem in problems)
        assert found == problem_pairs(case["problems"]), case["name"]


def test_browser_messages_match_catalogue(form):
    case = next(case for case in FORM_CASES["documents"] if case["name"] == "tax code check digit wrong")
    problems = form.evaluate("doc => PortalForm.problems(doc)", case_document(case))
    from portal.messages import render_message

    message, fix = render_message("check.tax_code_checksum", value="0100109107")
    assert problems == [{"path": "owner.tax_code", "code": "check.tax_code_checksum", "message": message, "fix": fix}]


# --- filling the form -----------------------------------------------------------------------------------


def test_filled_form_gives_valid_unchanged_yaml(form, tmp_path):
    fill_product(form)
    yaml_text = produce(form)
    collected = form.evaluate("PortalForm.collect()")

    assert yaml_text.startswith("# yaml-language-server: $schema=../../schema/proposal.schema.json\n")
    assert collected["slug"] == "he-thong-quan-ly-van-ban-va-dieu-hanh"
    with form.expect_download() as download_info:
        form.get_by_role("link", name="Tải tệp YAML").click()
    download = download_info.value
    assert download.suggested_filename == "he-thong-quan-ly-van-ban-va-dieu-hanh.yaml"
    target = tmp_path / "content" / "proposals" / download.suggested_filename
    target.parent.mkdir(parents=True)
    download.save_as(target)
    assert target.read_text(encoding="utf-8") == yaml_text

    document = validate_proposal_file(target)
    assert [problem.as_text() for problem in document.problems] == []
    assert document.data == collected
    assert len(document.data["deployments"]) == 2
    assert document.data["deployments"][1]["province"] == "Toàn quốc"
    assert document.data["owner"]["tax_code"] == "0100109106"
    assert document.data["awards"] == [{"name": "Giải thưởng Sao Khuê", "year": "2023"}]


def test_github_link_carries_file(form):
    fill_product(form)
    yaml_text = produce(form)
    href = form.get_by_role("link", name="Mở trên GitHub").get_attribute("href")
    address, _, query = href.partition("?")
    assert address == NEW_FILE_PAGE
    parameters = urllib.parse.parse_qs(query, keep_blank_values=True)
    assert parameters["filename"] == ["content/proposals/he-thong-quan-ly-van-ban-va-dieu-hanh.yaml"]
    assert parameters["value"] == [yaml_text]
    assert len(href) <= 8000


def test_long_proposal_goes_through_clipboard(form, context, site_url):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    fill_product(form)
    description = group(form, "Mô tả chi tiết")
    field(form, "Tiếng Việt", description).fill("Hệ thống quản lý văn bản điện tử. " * 200)
    yaml_text = produce(form)
    link = form.get_by_role("link", name="Mở trên GitHub")
    href = link.get_attribute("href")
    assert href == NEW_FILE_PAGE + "?filename=" + urllib.parse.quote("content/proposals/he-thong-quan-ly-van-ban-va-dieu-hanh.yaml", safe="")
    assert form.locator("#mo-github-dai").is_visible()
    link.click()
    form.wait_for_function("document.getElementById('trang-thai-phieu').dataset.message.startsWith('Đã chép')")
    assert form.evaluate("navigator.clipboard.readText()") == yaml_text


def test_required_field_message_beside_field(form):
    fill_product(form)
    summary = group(form, "Tóm tắt")
    field(form, "Tiếng Việt", summary).fill("")
    form.get_by_role("button", name="Kiểm tra và tạo tệp hồ sơ").click()

    assert form.locator("#ket-qua").is_hidden()
    error = summary.locator(".field-error").first
    assert error.is_visible()
    assert error.inner_text() == "Thiếu mục bắt buộc summary (Tóm tắt)."
    assert form.evaluate("document.activeElement.closest('fieldset').querySelector('legend').textContent") == "Tóm tắt *"
    assert "Hồ sơ còn 1 lỗi" in form.locator("#trang-thai-phieu").inner_text()


def test_tax_code_message_while_typing(form):
    owner = group(form, "Tổ chức, doanh nghiệp, cá nhân chủ sở hữu")
    owner.get_by_label("Doanh nghiệp", exact=True).check()
    tax_code = field(form, "Mã số thuế", owner)
    tax_code.fill("0100109107")
    tax_code.blur()
    error_id = tax_code.get_attribute("aria-describedby").split()[-1]
    error = form.locator(f"#{error_id}")
    assert tax_code.get_attribute("aria-invalid") == "true"
    assert error.inner_text().startswith("Mã số thuế 0100109107 có chữ số kiểm tra không đúng.")
    tax_code.fill("0100109106")
    assert tax_code.get_attribute("aria-invalid") is None
    assert error.is_hidden()


def test_owner_branch_follows_type(form):
    owner = group(form, "Tổ chức, doanh nghiệp, cá nhân chủ sở hữu")
    owner.get_by_label("Doanh nghiệp", exact=True).check()
    assert field(form, "Mã số thuế", owner).count() == 1
    field(form, "Tên *", owner).fill("Nguyễn Văn A")
    owner.get_by_label("Cá nhân", exact=True).check()
    assert field(form, "Mã số thuế", owner).count() == 0
    assert field(form, "Tên *", owner).input_value() == "Nguyễn Văn A"


def test_privacy_notice_beside_contact(form):
    contact = group(form, "Đầu mối liên hệ")
    notice = contact.locator(".privacy-notice")
    assert notice.is_visible()
    assert "không bao giờ được công bố" in notice.inner_text()
    assert contact.locator("[aria-required='true']").count() == 0


def test_draft_restored_after_reload(form):
    fill_product(form)
    form.reload()
    form.evaluate("PortalForm.ready.then(() => true)")
    name = group(form, "Tên sản phẩm, giải pháp")
    assert field(form, "Tiếng Việt", name).input_value() == "Hệ thống quản lý văn bản và điều hành"
    assert field(form, "Đơn vị sử dụng *", group(form, "Nơi triển khai 2")).input_value() == "Sở Nội vụ"
    assert "Đã khôi phục bản nháp" in form.locator("#trang-thai-phieu").inner_text()

    form.get_by_role("button", name="Xóa bản nháp").click()
    assert field(form, "Tiếng Việt", name).input_value() == ""
    form.reload()
    form.evaluate("PortalForm.ready.then(() => true)")
    assert field(form, "Tiếng Việt", group(form, "Tên sản phẩm, giải pháp")).input_value() == ""


def test_yaml_keeps_tricky_text(form, tmp_path):
    document = case_document(FORM_CASES["documents"][0])
    document["description"] = {"vi": "  Dòng thụt lề\n\tcó tab\n\n\n", "en": "Quote \" backslash \\ # not a comment: yes"}
    document["summary"] = {"vi": "no: 0100 true 2024-05-01 ~ null 'x' \u2028 hết"}
    yaml_text = form.evaluate("doc => PortalForm.toYaml(doc)", document)
    target = tmp_path / "content" / "proposals" / f"{document['slug']}.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(yaml_text, encoding="utf-8")
    from portal.yamlread import load_file

    assert load_file(target).data == document


# --- screenshots ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [360, 1280])
def test_form_screenshots(browser, site_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("**/*", loopback_only)
    page = context.new_page()
    page.goto(site_url + FORM_PATH)
    page.evaluate("PortalForm.ready.then(() => true)")
    fill_product(page)
    group(page, "Tóm tắt").get_by_label("Tiếng Việt", exact=True).fill("Quá ngắn.")
    page.get_by_role("button", name="Kiểm tra và tạo tệp hồ sơ").click()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"form-{width}-error.png"))
    group(page, "Tóm tắt").get_by_label("Tiếng Việt", exact=True).fill(
        "Phần mềm quản lý văn bản đến, văn bản đi và hồ sơ công việc cho cơ quan nhà nước.")
    produce(page)
    page.screenshot(path=str(ARTIFACTS / f"form-{width}.png"))
    context.close()
    assert scroll_width <= width
    assert (ARTIFACTS / f"form-{width}.png").stat().st_size > 0
