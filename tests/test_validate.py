"""Validation of proposals: the inputs from public bug reports, schema errors in Vietnamese,
and the checks a schema cannot express."""

from __future__ import annotations

import json
import unicodedata

import pytest

from portal import checks
from portal.validate import validate_content, validate_proposal_bytes, validate_proposal_file

from pathlib import Path

VALID_PROPOSAL = Path(__file__).parent / "fixtures" / "valid" / "he-thong-quan-ly-van-ban.yaml"


def replace_line(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture line not found: {old!r}"
    return text.replace(old, new, 1)


def problems_at(document, path):
    return [problem for problem in document.problems if problem.path == path]


def test_valid_fixture_has_no_problems():
    document = validate_proposal_file(VALID_PROPOSAL)
    assert document.problems == []
    assert document.data["deployments"][0]["since"] == "2024-03-15"


def test_unquoted_tax_code_names_written_digits(valid_text, write_proposal):
    text = replace_line(valid_text, 'tax_code: "0100109106"', "tax_code: 0100000007")
    text = replace_line(text, 'phone: "024 3123 4567"', "phone: 0900000001")
    document = validate_proposal_file(write_proposal(text))
    assert document.data["owner"]["tax_code"] == "0100000007"
    assert document.data["contact"]["phone"] == "0900000001"
    tax = problems_at(document, "owner.tax_code")
    assert [p.code for p in tax] == ["check.tax_code_checksum"]
    assert "0100000007" in tax[0].message
    assert "16777223" not in tax[0].as_text()
    assert tax[0].title == "Mã số thuế"
    assert tax[0].as_text().startswith(f"{document.file}:22:13: owner.tax_code (Mã số thuế): ")
    assert problems_at(document, "contact.phone") == []


def test_unquoted_organisation_tax_code_points_at_tax_code(valid_text, write_proposal):
    text = replace_line(valid_text, "type: enterprise", "type: organisation")
    text = replace_line(text, 'tax_code: "0100109106"', "tax_code: 4300222222")
    document = validate_proposal_file(write_proposal(text))
    paths = [problem.path for problem in document.problems]
    assert paths == ["owner.tax_code"]
    problem = document.problems[0]
    assert problem.code == "schema.type_quote"
    assert '"4300222222"' in problem.fix
    assert "owner.type" not in problem.as_text()


def test_wrong_field_in_chosen_owner_branch_reported(valid_text, write_proposal):
    text = replace_line(valid_text, "type: enterprise", "type: individual")
    document = validate_proposal_file(write_proposal(text))
    assert [p.path for p in document.problems] == ["owner.tax_code"]
    assert document.problems[0].code == "schema.additional"


def test_unknown_owner_type_lists_choices(valid_text, write_proposal):
    text = replace_line(valid_text, "type: enterprise", "type: company")
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in document.problems] == ["schema.enum"]
    assert "enterprise (Doanh nghiệp)" in document.problems[0].fix


def test_country_list_and_answers_never_booleans(valid_text, write_proposal):
    text = replace_line(valid_text, "seeking: [customers, partners]", "seeking: [NO, off]")
    document = validate_proposal_file(write_proposal(text))
    assert document.data["seeking"] == ["NO", "off"]
    assert all(p.code == "schema.enum" for p in problems_at(document, "seeking[0]") + problems_at(document, "seeking[1]"))
    assert len(problems_at(document, "seeking[0]")) == 1


def test_bare_date_stays_text(valid_text):
    document = validate_proposal_bytes(valid_text.encode(), "content/proposals/he-thong-quan-ly-van-ban.yaml")
    assert document.ok
    assert document.data["deployments"][0]["since"] == "2024-03-15"


def test_impossible_and_future_dates_refused(valid_text, write_proposal):
    text = replace_line(valid_text, "since: 2024-03-15", "since: 2024-02-30")
    text = replace_line(text, 'since: "2022"', 'since: "2999"')
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in problems_at(document, "deployments[0].since")] == ["check.date_invalid"]
    assert [p.code for p in problems_at(document, "deployments[1].since")] == ["check.date_future"]


def test_old_province_spelling_suggests_new(valid_text, write_proposal):
    text = replace_line(valid_text, "province: Thanh Hóa", "province: Thanh Hoá")
    text = replace_line(text, "province: Huế", "province: Thừa Thiên Huế")
    document = validate_proposal_file(write_proposal(text))
    first = problems_at(document, "deployments[0].province")
    second = problems_at(document, "deployments[1].province")
    assert first[0].code == "check.province_spelling"
    assert '"Thanh Hóa"' in first[0].fix
    assert second[0].code == "check.province_merged"
    assert '"Huế"' in second[0].fix


def test_unknown_province_refused(valid_text, write_proposal):
    text = replace_line(valid_text, "province: Hà Nội", "province: Gotham")
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in problems_at(document, "owner.province")] == ["check.province_unknown"]


def test_contact_name_of_invisible_characters_is_empty(valid_text, write_proposal):
    text = replace_line(valid_text, "name: Phòng Kinh doanh", 'name: "\\u200b\\u200d"')
    document = validate_proposal_file(write_proposal(text))
    problem = problems_at(document, "contact.name")
    assert [p.code for p in problem] == ["text.empty_invisible"]
    assert problem[0].title == "Tên đầu mối"


def test_bom_at_start_of_title_removed(valid_text, write_proposal):
    text = replace_line(valid_text, "vi: Hệ thống quản lý văn bản và điều hành", 'vi: "\\ufeffHệ thống quản lý văn bản"')
    document = validate_proposal_file(write_proposal(text))
    assert document.data["name"]["vi"] == "Hệ thống quản lý văn bản"
    assert document.ok


def test_nfd_owner_name_equals_nfc(valid_text, write_proposal):
    nfd = unicodedata.normalize("NFD", "Công ty Cổ phần Phần mềm Mẫu")
    assert nfd != "Công ty Cổ phần Phần mềm Mẫu"
    text = replace_line(valid_text, "name: Công ty Cổ phần Phần mềm Mẫu", f"name: {nfd}")
    document = validate_proposal_file(write_proposal(text))
    assert document.data["owner"]["name"] == "Công ty Cổ phần Phần mềm Mẫu"


def test_email_format_really_checked(valid_text, write_proposal):
    text = replace_line(valid_text, "email: kinhdoanh@phanmemmau.example.vn", "email: a@b")
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in problems_at(document, "contact.email")] == ["schema.format"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", "ftp://a.vn/x", "//a.vn"])
def test_links_must_be_http(valid_text, write_proposal, url):
    text = replace_line(valid_text, "url: https://phanmemmau.example.vn/gioi-thieu", f'url: "{url}"')
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in problems_at(document, "links[0].url")] == ["schema.pattern"]
    assert "http" in problems_at(document, "links[0].url")[0].fix


def test_missing_required_key_names_title(valid_text, write_proposal):
    text = replace_line(valid_text, "commitments: [accurate_information, deployed_in_vietnam, agree_to_publication]\n", "")
    document = validate_proposal_file(write_proposal(text))
    problem = problems_at(document, "commitments")[0]
    assert problem.code == "schema.required"
    assert "Cam kết" in problem.message


def test_misspelt_key_suggests_correct_one(valid_text, write_proposal):
    text = replace_line(valid_text, "seeking:", "seekng:")
    document = validate_proposal_file(write_proposal(text))
    problem = problems_at(document, "seekng")[0]
    assert problem.code == "schema.additional"
    assert '"seeking"' in problem.fix


def test_vietnamese_text_required_for_vn_owner(valid_text, write_proposal):
    text = replace_line(valid_text, "  vi: Hệ thống quản lý văn bản và điều hành\n", "")
    document = validate_proposal_file(write_proposal(text))
    assert [p.code for p in problems_at(document, "name.vi")] == ["schema.required"]


def test_slug_must_equal_file_name(valid_text, write_proposal):
    document = validate_proposal_file(write_proposal(valid_text, slug="ten-khac"))
    assert [p.code for p in problems_at(document, "slug")] == ["check.slug_file"]


def test_file_name_must_be_kebab_case(valid_text, tmp_path):
    path = tmp_path / "Hệ_Thống.yaml"
    path.write_text(valid_text, encoding="utf-8")
    document = validate_proposal_file(path)
    assert "check.file_name" in [p.code for p in document.problems]


def test_similar_titles_flagged_across_proposals(valid_text, write_proposal, tmp_path):
    first = replace_line(valid_text, "  en: Document management and operations system\n", "")
    first = replace_line(first, "vi: Hệ thống quản lý văn bản và điều hành", "vi: Trường học Hòa Bình")
    second = replace_line(first, "vi: Trường học Hòa Bình", "vi: Trường Học Hoà Bình")
    second = replace_line(second, "slug: he-thong-quan-ly-van-ban", "slug: truong-hoc-hoa-binh-2")
    write_proposal(first)
    write_proposal(second, slug="truong-hoc-hoa-binh-2")
    check = validate_content(tmp_path / "content")
    similar = [p for p in check.problems if p.code == "check.name_similar"]
    assert len(similar) == 1
    assert similar[0].severity == "warning"
    assert "Trường Học Hoà Bình" in similar[0].message


def test_distinct_tones_not_flagged(valid_text, write_proposal, tmp_path):
    first = replace_line(valid_text, "  en: Document management and operations system\n", "")
    first = replace_line(first, "vi: Hệ thống quản lý văn bản và điều hành", "vi: Phần mềm Hòa")
    second = replace_line(first, "vi: Phần mềm Hòa", "vi: Phần mềm Hóa")
    second = replace_line(second, "slug: he-thong-quan-ly-van-ban", "slug: phan-mem-hoa")
    write_proposal(first)
    write_proposal(second, slug="phan-mem-hoa")
    check = validate_content(tmp_path / "content")
    assert [p for p in check.problems if p.code == "check.name_similar"] == []


def attachment_text(valid_text: str, file_name: str) -> str:
    return valid_text + f"attachments:\n  - title: Tài liệu giới thiệu\n    file: {file_name}\n"


def test_attachment_present_and_pdf_accepted(valid_text, write_proposal):
    path = write_proposal(attachment_text(valid_text, "gioi-thieu.pdf"))
    folder = path.parent / path.stem
    folder.mkdir()
    (folder / "gioi-thieu.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert validate_proposal_file(path).problems == []


def test_attachment_missing_reported(valid_text, write_proposal):
    document = validate_proposal_file(write_proposal(attachment_text(valid_text, "khong-co.pdf")))
    assert [p.code for p in document.problems] == ["check.attachment_missing"]


def test_attachment_type_by_content_not_extension(valid_text, write_proposal):
    path = write_proposal(attachment_text(valid_text, "gia-mao.pdf"))
    folder = path.parent / path.stem
    folder.mkdir()
    (folder / "gia-mao.pdf").write_bytes(b"MZ\x90\x00" + b"\x00" * 60)
    document = validate_proposal_file(path)
    assert [p.code for p in document.problems] == ["check.attachment_type"]
    assert "EXE" in document.problems[0].message


def test_huge_attachment_refused_by_size_unread(valid_text, write_proposal, monkeypatch):
    path = write_proposal(attachment_text(valid_text, "video.pdf"))
    folder = path.parent / path.stem
    folder.mkdir()
    with open(folder / "video.pdf", "wb") as handle:
        handle.truncate(60 * 1024 * 1024)

    def refuse_open(*args, **kwargs):
        raise AssertionError("the oversized attachment was opened")

    monkeypatch.setattr(checks, "open", refuse_open, raising=False)
    document = validate_proposal_file(path)
    assert [p.code for p in document.problems] == ["check.attachment_too_large"]
    assert "20,0 MB" in document.problems[0].message
    assert "60,0 MB" in document.problems[0].message


def test_undeclared_file_in_attachment_folder_warned(valid_text, write_proposal):
    path = write_proposal(valid_text)
    folder = path.parent / path.stem
    folder.mkdir()
    (folder / "thua.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 8)
    document = validate_proposal_file(path)
    assert [(p.code, p.severity) for p in document.problems] == [("check.attachment_outside", "warning")]


def test_problem_renders_as_json_and_annotation(valid_text, write_proposal):
    text = replace_line(valid_text, 'tax_code: "0100109106"', 'tax_code: "0100109107"')
    document = validate_proposal_file(write_proposal(text))
    problem = document.problems[0]
    data = json.loads(json.dumps(problem.as_dict(), ensure_ascii=False))
    assert data["path"] == "owner.tax_code"
    assert data["line"] == 22
    annotation = problem.as_github_annotation()
    assert annotation.startswith("::error file=")
    assert ",line=22,col=13," in annotation


def test_record_without_proposal_and_proposal_without_record(tmp_path, valid_text, write_proposal):
    write_proposal(valid_text)
    evaluations = tmp_path / "content" / "evaluations"
    evaluations.mkdir()
    (evaluations / "khong-ton-tai.yaml").write_text(
        "schema_version: 1\nslug: khong-ton-tai\nsequence: 1\n"
        "decision: {outcome: selected, date: '2024-01-02', basis: Quyết định thử}\n"
        "history:\n  - {date: '2024-01-02T09:00:00+07:00', action: published}\n", encoding="utf-8")
    check = validate_content(tmp_path / "content")
    found = {p.code: p.severity for p in check.problems}
    assert found["check.record_without_proposal"] == "error"
    assert found["check.proposal_without_record"] == "warning"
    assert not check.ok


def test_record_file_name_must_match_sequence(tmp_path):
    evaluations = tmp_path / "content" / "evaluations"
    evaluations.mkdir(parents=True)
    (evaluations / "san-pham.yaml").write_text(
        "schema_version: 1\nslug: san-pham\nsequence: 2\n"
        "decision: {outcome: not_selected, date: '2024-01-02', basis: Báo cáo đánh giá, reason: Chưa đạt}\n"
        "history:\n  - {date: '2024-01-02T09:00:00+07:00', action: not_selected}\n", encoding="utf-8")
    check = validate_content(tmp_path / "content")
    assert "check.record_file" in [p.code for p in check.problems]


def test_quoted_schema_version_explained(valid_text, write_proposal):
    text = replace_line(valid_text, "schema_version: 1", 'schema_version: "1"')
    document = validate_proposal_file(write_proposal(text))
    problem = problems_at(document, "schema_version")[0]
    assert problem.code == "schema.const_quoted"
    assert "Bỏ dấu ngoặc kép" in problem.fix


def test_symlinked_attachment_refused(valid_text, write_proposal, tmp_path):
    path = write_proposal(attachment_text(valid_text, "gioi-thieu.pdf"))
    folder = path.parent / path.stem
    folder.mkdir()
    outside = tmp_path / "outside.pdf"
    outside.write_bytes(b"%PDF-1.7\n")
    (folder / "gioi-thieu.pdf").symlink_to(outside)
    document = validate_proposal_file(path)
    assert [p.code for p in document.problems] == ["check.attachment_symlink"]


def test_directory_in_proposals_reported(valid_text, write_proposal, tmp_path):
    write_proposal(valid_text)
    (tmp_path / "content" / "proposals" / "thu-muc.yaml").mkdir()
    check = validate_content(tmp_path / "content")
    assert "file.not_regular" in [p.code for p in check.problems]
    assert not check.ok
