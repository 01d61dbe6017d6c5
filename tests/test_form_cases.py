"""The submission form's shared table of cases, checked against the Python validator, and the
files the form plugin writes into a real Pelican build.

tests/test_form_browser.py runs the same table against the form's JavaScript.
"""

from __future__ import annotations

import json

import pytest
from stdnum.vn import mst

from catalogue_content import write_content
from form_support import FORM_CASES, case_document, file_name_for, problem_pairs
from portal import checks
from portal.messages import catalogue
from portal.provinces import FORMER_PROVINCES, PROVINCES, check_province
from portal.sitebuild import build_site
from portal.validate import validate_proposal_bytes


@pytest.mark.parametrize("case", FORM_CASES["tax_codes"], ids=lambda case: case["value"])
def test_tax_code_table_matches_stdnum(case):
    assert mst.is_valid(case["value"]) is case["valid"]


def test_tax_code_weights_match_stdnum():
    # The JavaScript computes 10 - (sum mod 11) with these weights; a remainder of 0 has no digit.
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    for first_nine in ("010010910", "030123456", "100000004", "100000008", "420123456"):
        remainder = sum(weight * int(digit) for weight, digit in zip(weights, first_nine)) % 11
        assert mst.calc_check_digit(first_nine) == str(10 - remainder)


@pytest.mark.parametrize("case", FORM_CASES["provinces"], ids=lambda case: f"{case['value']}-{case['allow_nationwide']}")
def test_province_table_matches_python(case):
    verdict = check_province(case["value"], allow_nationwide=case["allow_nationwide"])
    assert verdict.ok is case["ok"]
    assert verdict.code == case["code"]
    assert verdict.suggestion == case["suggestion"]


@pytest.mark.parametrize("case", FORM_CASES["documents"], ids=lambda case: case["name"])
def test_document_table_matches_validator(case):
    document = case_document(case)
    raw = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    result = validate_proposal_bytes(raw, file_name_for(document))
    found = problem_pairs((problem.path, problem.code) for problem in result.problems)
    assert found == problem_pairs(case["problems"])


def test_document_table_covers_every_rule_the_form_checks():
    codes = {code for case in FORM_CASES["documents"] for _, code in case["problems"]}
    expected = {
        "schema.required", "schema.additional", "schema.enum", "schema.const", "schema.pattern",
        "schema.format", "schema.min_length", "schema.empty", "schema.min_items", "schema.unique_items",
        "schema.range", "schema.contains", "schema.min_properties", "check.tax_code_checksum",
        "check.province_merged", "check.province_spelling", "check.province_unknown",
        "check.country_code", "check.date_invalid", "check.date_future",
    }
    assert expected <= codes


# --- the plugin's output ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("form-site")
    build_site(root / "output", write_content(root))
    return root / "output"


def test_form_data_carries_validator_sources(built_site):
    data = json.loads((built_site / "gui-de-xuat" / "du-lieu.json").read_text(encoding="utf-8"))
    assert data["provinces"] == list(PROVINCES)
    assert len(data["provinces"]) == 34
    assert data["former_provinces"] == FORMER_PROVINCES
    assert data["messages"] == catalogue()
    assert {row["code"] for row in data["countries"]} == set(checks.country_codes())
    assert data["countries"][0] == {"code": "VN", "name": "Việt Nam"}
    assert data["github_repository"] == "bo-khcn/danh-muc-san-pham"
    assert (built_site / "gui-de-xuat" / data["schema_url"]).resolve().is_file()


def test_form_page_structure(built_site):
    html = (built_site / "gui-de-xuat" / "index.html").read_text(encoding="utf-8")
    assert "<noscript>" in html
    assert "https://github.com/bo-khcn/danh-muc-san-pham/issues/new?template=de-xuat.yml" in html
    assert "https://github.com/bo-khcn/danh-muc-san-pham/blob/main/templates/proposal.yaml" in html
    assert 'role="status"' in html
    assert "theme/form/form.js" in html
    assert (built_site / "theme" / "form" / "form.js").is_file()
    assert (built_site / "theme" / "form" / "form.css").is_file()


def test_navigation_links_to_form(built_site):
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="./gui-de-xuat/">Gửi đề xuất</a>' in home or 'href="gui-de-xuat/">Gửi đề xuất</a>' in home
    form = (built_site / "gui-de-xuat" / "index.html").read_text(encoding="utf-8")
    assert 'aria-current="page">Gửi đề xuất</a>' in form


def test_repository_setting_reaches_form(tmp_path):
    build_site(tmp_path / "output", write_content(tmp_path),
               settings_overrides={"PORTAL_GITHUB_REPOSITORY": "so-khcn-mau/de-xuat"})
    data = json.loads((tmp_path / "output" / "gui-de-xuat" / "du-lieu.json").read_text(encoding="utf-8"))
    html = (tmp_path / "output" / "gui-de-xuat" / "index.html").read_text(encoding="utf-8")
    assert data["github_repository"] == "so-khcn-mau/de-xuat"
    assert "https://github.com/so-khcn-mau/de-xuat/issues/new" in html
