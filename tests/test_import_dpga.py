"""The registry importer: every nomination accounted for, valid output, shipped content in step."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO_ROOT, registry_dir
from portal.cli import main as portal_main
from portal.importer import dpga, import_registry
from portal.importer.countries import country_code, is_vietnam
from portal.importer.mapping import Nomination, fields_of, summary_from_description
from portal.importer.yamlwrite import PROPOSAL_HEADER, RECORD_HEADER, dump_yaml, write_atomically
from portal.validate import validate_proposal_file, validate_record_file
from portal.yamlread import load_file

# The products whose screening names Việt Nam as a development or deployment country.
VIETNAM_PRODUCTS = {
    "apache-fineract", "commcare", "commcare-android", "commcare-cloud", "dhis2", "fedora-linux",
    "kobotoolbox", "kolibri", "met-norway-weather-api", "mifos-android", "mifos-community-app",
    "mifos-mobile", "mifos-web-app", "odk", "open-foris-collect", "openfn-integration-toolkit",
    "openmrs", "openspp", "opentelerehab", "storyweaver", "uwazi", "vrapeutic", "x-road",
}
UNDER_REVIEW = {"commcare-android", "commcare-cloud"}

# Problems an imported proposal may legitimately have: no deployment in Việt Nam, and no owner
# country where the registry has no screening answers for the nomination.
EXPECTED_PROBLEMS = {("schema.min_items", "deployments"), ("schema.required", "owner.country")}


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def registry() -> Path:
    return registry_dir()


@pytest.fixture(scope="module")
def full_import(registry, tmp_path_factory):
    output = tmp_path_factory.mktemp("full")
    return import_registry(registry, output)


@pytest.fixture(scope="module")
def shipped_import(registry, tmp_path_factory):
    output = tmp_path_factory.mktemp("shipped")
    return import_registry(registry, output, vietnam_only=True, approved_only=True)


def _written_files(report) -> list[Path]:
    files = []
    for result in report.results:
        files.extend(path for path in (result.proposal, result.record) if path is not None)
    return files


def _write_nominee(source: Path, stem: str, data: dict, screening: dict | None = None) -> None:
    (source / "nominees").mkdir(parents=True, exist_ok=True)
    (source / "nominees" / f"{stem}.json").write_text(json.dumps(data), encoding="utf-8")
    if screening is not None:
        (source / "digitalpublicgoods").mkdir(parents=True, exist_ok=True)
        (source / "digitalpublicgoods" / f"{stem}.json").write_text(json.dumps(screening), encoding="utf-8")


def _nominee(name: str, **extra) -> dict:
    data = {
        "name": name,
        "description": f"{name} is a tool that helps clinics keep their records in order.",
        "website": "https://example.org/",
        "license": [{"spdx": "MIT", "licenseURL": "https://example.org/LICENSE"}],
        "SDGs": [{"SDGNumber": 3, "evidenceText": "Used by clinics."}],
        "sectors": ["Health"],
        "type": ["software"],
        "repositories": [{"name": "main", "url": "https://example.org/code"}],
        "organizations": [{"name": "Example Health Ltd", "website": "https://example.org",
                           "org_type": "owner", "contact_name": "Nguyễn Văn An",
                           "contact_email": "an.nguyen@example.org"}],
        "stage": "DPG",
    }
    data.update(extra)
    return data


# --- the whole registry -------------------------------------------------------------------------


@pytest.mark.slow
def test_full_import_accounts_for_every_nomination(full_import, registry):
    nominees = {path.stem for path in (registry / "nominees").glob("*.json")}
    excluded = {path.stem for path in (registry / "excluded-nominees").glob("*.json")}
    reported = {(result.folder, result.source_id) for result in full_import.results}

    assert len(nominees) == 228
    assert {stem for folder, stem in reported if folder == "nominees"} == nominees
    assert {stem for folder, stem in reported if folder == "excluded-nominees"} == excluded
    assert full_import.read == len(nominees) + len(excluded)
    assert full_import.read == len(full_import.results)


@pytest.mark.slow
def test_full_import_counts_add_up(full_import, registry):
    written = [result for result in full_import.results if result.status == dpga.WRITTEN]
    skipped = full_import.skipped
    approved = sum(1 for path in (registry / "nominees").glob("*.json")
                   if json.loads(path.read_text(encoding="utf-8"))["stage"] == "DPG")

    assert len(written) + len(skipped) == full_import.read
    assert full_import.proposals_written == 228
    assert full_import.records_written == approved
    assert all(result.skip_code == dpga.EXCLUDED for result in skipped)
    assert all(result.reason for result in skipped)


@pytest.mark.slow
def test_full_import_renames_bad_slug(full_import):
    result = next(result for result in full_import.results if result.source_id == "nmf.earth")

    assert result.slug == "nmf-earth"
    assert result.proposal.name == "nmf-earth.yaml"
    assert any("nmf-earth" in note for note in result.notes)


@pytest.mark.slow
def test_imported_proposals_fail_only_for_expected_reasons(full_import):
    unexpected = []
    for result in full_import.results:
        if result.proposal is None:
            continue
        document = validate_proposal_file(result.proposal)
        for problem in document.problems:
            assert problem.message, problem
            assert problem.line >= 1, problem
            if (problem.code, problem.path) not in EXPECTED_PROBLEMS:
                unexpected.append(problem.as_text())
        if result.names_vietnam:
            assert document.ok, [problem.as_text() for problem in document.problems]

    assert unexpected == []


@pytest.mark.slow
def test_imported_proposals_without_vietnam_are_invalid(full_import):
    for result in full_import.results:
        if result.proposal is None or result.names_vietnam:
            continue
        document = validate_proposal_file(result.proposal)
        codes = {(problem.code, problem.path) for problem in document.problems}
        assert ("schema.min_items", "deployments") in codes, result.source_id


@pytest.mark.slow
def test_imported_records_validate(full_import):
    records = [result.record for result in full_import.results if result.record is not None]

    assert records
    for path in records:
        document = validate_record_file(path)
        assert document.ok, [problem.as_text() for problem in document.problems]


@pytest.mark.slow
def test_vietnam_products_found_in_registry(full_import):
    vietnam = {result.slug for result in full_import.results if result.names_vietnam}
    approved = {result.slug for result in full_import.results if result.names_vietnam and result.record}

    assert vietnam == VIETNAM_PRODUCTS
    assert len(approved) == 21
    assert vietnam - approved == UNDER_REVIEW


@pytest.mark.slow
def test_records_hold_no_contact_data(full_import):
    contacts = set()
    for result in full_import.results:
        if result.proposal is not None:
            contact = load_file(result.proposal).data.get("contact") or {}
            contacts.update(value for value in contact.values() if isinstance(value, str))

    assert contacts
    for result in full_import.results:
        if result.record is None:
            continue
        text = result.record.read_text(encoding="utf-8")
        for value in contacts:
            assert value not in text, f"{value!r} in {result.record.name}"


@pytest.mark.slow
def test_written_files_read_back_unchanged(full_import):
    files = _written_files(full_import)

    assert len(files) > 228
    for path in files:
        document = load_file(path)
        header = RECORD_HEADER if path.parent.name == "evaluations" else PROPOSAL_HEADER
        assert document.problems == [], path.name
        assert document.data["slug"] == path.stem
        # Dumping what was read gives the same bytes only if no value changed type on the way.
        assert dump_yaml(document.data, header) == path.read_text(encoding="utf-8"), path.name


@pytest.mark.slow
def test_written_dates_stay_text(full_import):
    for result in full_import.results:
        if result.record is None:
            continue
        record = load_file(result.record).data
        proposal = load_file(result.proposal).data
        assert isinstance(record["decision"]["date"], str)
        for deployment in proposal["deployments"]:
            assert isinstance(deployment["since"], str)


# --- the shipped content ------------------------------------------------------------------------


@pytest.mark.slow
def test_shipped_content_matches_fresh_import(shipped_import):
    imported = _written_files(shipped_import)
    shipped = {
        path for folder in ("proposals", "evaluations")
        for path in (REPO_ROOT / "content" / folder).glob("*.yaml")
        if (load_file(path).data.get("source") or {}).get("registry") == "Digital Public Goods Alliance"
    }

    assert len(imported) == 42
    assert {path.parent.name + "/" + path.name for path in imported} == {
        path.parent.name + "/" + path.name for path in shipped}
    for path in imported:
        shipped_path = REPO_ROOT / "content" / path.parent.name / path.name
        assert shipped_path.read_bytes() == path.read_bytes(), shipped_path.name


@pytest.mark.slow
def test_review_fixtures_match_fresh_import(registry, tmp_path):
    report = import_registry(registry, tmp_path, vietnam_only=True)

    for slug in sorted(UNDER_REVIEW):
        fixture = FIXTURES / "proposals" / f"{slug}.yaml"
        result = next(result for result in report.results if result.slug == slug)
        assert result.record is None
        assert fixture.read_bytes() == result.proposal.read_bytes(), slug


# --- small registries built in the test ---------------------------------------------------------


def test_import_skips_unreadable_nomination(tmp_path):
    source = tmp_path / "source"
    _write_nominee(source, "good-tool", _nominee("Good Tool"))
    (source / "nominees" / "broken.json").write_text("{not json", encoding="utf-8")

    report = import_registry(source, tmp_path / "out")
    broken = next(result for result in report.results if result.source_id == "broken")

    assert report.read == 2
    assert report.proposals_written == 1
    assert broken.skip_code == dpga.UNREADABLE
    assert "JSON" in broken.reason
    assert not (tmp_path / "out" / "proposals" / "broken.yaml").exists()


def test_import_keeps_contact_out_of_record(tmp_path):
    source = tmp_path / "source"
    _write_nominee(source, "good-tool", _nominee("Good Tool"),
                   {"locations": {"developmentCountries": ["USA"], "deploymentCountries": ["VietNam"]}})

    report = import_registry(source, tmp_path / "out")
    result = report.results[0]
    proposal = load_file(result.proposal).data
    record_text = result.record.read_text(encoding="utf-8")

    assert proposal["contact"] == {"name": "Nguyễn Văn An", "email": "an.nguyen@example.org"}
    assert "Nguyễn Văn An" not in record_text
    assert "an.nguyen@example.org" not in record_text


def test_import_maps_owner_and_deployment(tmp_path):
    source = tmp_path / "source"
    _write_nominee(source, "good-tool", _nominee("Good Tool"),
                   {"locations": {"developmentCountries": ["USA"], "deploymentCountries": ["VietNam"]}})

    report = import_registry(source, tmp_path / "out")
    proposal = load_file(report.results[0].proposal).data

    assert proposal["owner"]["type"] == "enterprise"
    assert proposal["owner"]["country"] == "US"
    assert "tax_code" not in proposal["owner"]
    assert proposal["deployments"][0]["province"] == "Toàn quốc"
    assert proposal["fields"] == ["education_health_culture_society"]
    assert proposal["kind"] == "product"


def test_import_keeps_retypable_text_as_text(tmp_path):
    source = tmp_path / "source"
    _write_nominee(source, "no", _nominee("NO", description="0100000007 is the tax code, written 2024-05-01."))

    report = import_registry(source, tmp_path / "out")
    proposal = load_file(report.results[0].proposal).data

    assert proposal["name"]["en"] == "NO"
    assert proposal["slug"] == "no"
    assert proposal["description"]["en"].startswith("0100000007 ")


def test_import_drops_non_web_links(tmp_path):
    source = tmp_path / "source"
    data = _nominee("Good Tool", website="ftp://example.org/tool",
                    repositories=[{"name": "main", "url": "javascript:alert(1)"}])
    _write_nominee(source, "good-tool", data)

    report = import_registry(source, tmp_path / "out")
    result = report.results[0]
    text = result.proposal.read_text(encoding="utf-8")

    assert "javascript:" not in text
    assert "ftp://" not in text
    assert len([note for note in result.notes if note.startswith("Bỏ liên kết")]) == 2


def test_import_filters_report_reason(tmp_path):
    source = tmp_path / "source"
    _write_nominee(source, "far-away", _nominee("Far Away"),
                   {"locations": {"developmentCountries": ["Kenya"], "deploymentCountries": ["Kenya"]}})
    _write_nominee(source, "pending", _nominee("Pending", stage="nominee"),
                   {"locations": {"developmentCountries": ["Vietnam"], "deploymentCountries": []}})

    report = import_registry(source, tmp_path / "out", vietnam_only=True, approved_only=True)
    reasons = {result.source_id: result.skip_code for result in report.results}

    assert reasons == {"far-away": dpga.NOT_VIETNAM, "pending": dpga.NOT_APPROVED}
    assert report.proposals_written == 0
    assert not (tmp_path / "out" / "proposals").exists()


def test_import_rejects_folder_without_nominees(tmp_path):
    with pytest.raises(dpga.SourceError, match="nominees"):
        import_registry(tmp_path, tmp_path / "out")


def test_cli_import_prints_vietnamese_summary(tmp_path, capsys):
    source = tmp_path / "source"
    _write_nominee(source, "good-tool", _nominee("Good Tool"))

    status = portal_main(["import-dpga", str(source), "--output", str(tmp_path / "out")])
    output = capsys.readouterr().out

    assert status == 0
    assert "Đã đọc 1 đề cử" in output
    assert "Đã ghi 1 đề xuất" in output
    assert (tmp_path / "out" / "proposals" / "good-tool.yaml").is_file()


def test_cli_import_missing_folder_exits_2(tmp_path, capsys):
    status = portal_main(["import-dpga", str(tmp_path / "missing"), "--output", str(tmp_path / "out")])
    error = capsys.readouterr().err

    assert status == 2
    assert "Không tìm thấy thư mục" in error


# --- helpers ------------------------------------------------------------------------------------


def test_write_atomically_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "proposals" / "a.yaml"
    write_atomically(target, b"first\n")
    write_atomically(target, b"second\n")

    assert target.read_bytes() == b"second\n"
    assert [path.name for path in target.parent.iterdir()] == ["a.yaml"]


def test_write_atomically_failure_keeps_old_file(tmp_path):
    folder = tmp_path / "proposals"
    folder.mkdir()
    (folder / "a.yaml").mkdir()  # os.replace cannot put a file over a directory

    with pytest.raises(OSError):
        write_atomically(folder / "a.yaml", b"new\n")
    assert sorted(path.name for path in folder.iterdir()) == ["a.yaml"]


@pytest.mark.parametrize("name, code", [
    ("VietNam", "VN"), ("Vietnam", "VN"), ("USA", "US"), ("UK", "GB"),
    ("United States of America", "US"), ("Czechia (Czech Republic)", "CZ"),
    ("Côte d'Ivoire", "CI"), ("Congo (Congo-Brazzaville)", "CG"), ("Palestine State", "PS"),
    ("Saint Vincent and The Grenadines", "VC"), ("Norway", "NO"),
])
def test_country_code_from_registry_spelling(name, code):
    assert country_code(name) == code


def test_country_code_unknown_is_none():
    assert country_code("Atlantis") is None
    assert country_code("") is None


def test_is_vietnam_spellings():
    assert is_vietnam("VietNam")
    assert is_vietnam("Việt Nam")
    assert not is_vietnam("Vientiane")


def test_fields_at_most_four_strongest_first():
    data = _nominee("Wide", sectors=["Health"], SDGs=[{"SDGNumber": n} for n in (1, 2, 3, 7, 9, 16)])
    fields = fields_of(Nomination("wide", "wide", data, None, []))

    assert len(fields) == 4
    assert fields[0] == "education_health_culture_society"


def test_fields_default_to_information():
    data = _nominee("Plain", sectors=[], SDGs=[{"SDGNumber": 17}])

    assert fields_of(Nomination("plain", "plain", data, None, [])) == ["information_communications"]


def test_summary_keeps_first_sentences_within_limits():
    long_sentence = "Word " * 200
    summary = summary_from_description(long_sentence + ". Second.", "Name")

    assert 20 <= len(summary) <= 600
    assert summary.endswith("…")
    assert summary_from_description("Short one. Another short one.", "Name") == "Short one. Another short one."
