"""The fast acceptance check, the validation cache and the process pool give jsonschema's verdicts."""

from __future__ import annotations

import copy
import shutil
import sys

import pytest

from conftest import REPO_ROOT, VALID_PROPOSAL
from portal import fastcheck, schemas, validation_cache
from portal.validate import validate_content
from portal.yamlread import load_file

sys.path.insert(0, str(REPO_ROOT))
from bench.generate import generate  # noqa: E402

REPLACEMENTS = (None, 0, -5, 11, 2.5, True, "", " ", "x" * 5000, "2024-13-45", "javascript:alert(1)", [], {},
                ["a", "a"], [{}], {"vi": ""}, {"xx": "y"})


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _set(document, path, value):
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value


def _delete(document, path):
    target = document
    for part in path[:-1]:
        target = target[part]
    del target[path[-1]]


def _mutations(document):
    """Yield copies of `document` with one value replaced, one key removed or one key added."""
    for path in list(_paths(document)):
        if not path:
            continue
        for replacement in REPLACEMENTS:
            changed = copy.deepcopy(document)
            _set(changed, path, copy.deepcopy(replacement))
            yield changed
        changed = copy.deepcopy(document)
        _delete(changed, path)
        yield changed
        parent = path[:-1]
        changed = copy.deepcopy(document)
        target = changed
        for part in parent:
            target = target[part]
        if isinstance(target, dict):
            target["khoa_la"] = "giá trị"
            yield changed


def _samples():
    """Yield (schema name, valid document): the valid fixture and one generated proposal and record."""
    import random

    from bench.generate import make_proposal

    yield schemas.PROPOSAL, load_file(VALID_PROPOSAL).data
    proposal, record = make_proposal(1, random.Random(5))
    yield schemas.PROPOSAL, proposal
    yield schemas.EVALUATION, record


@pytest.mark.parametrize("schema_name, document", list(_samples()), ids=["fixture", "generated", "record"])
def test_fast_check_never_accepts_what_jsonschema_rejects(schema_name, document):
    assert fastcheck.accepts(schema_name, document), "the fast path is not in use for a valid document"
    validator = schemas.validator(schema_name)
    checked = 0
    for mutated in _mutations(document):
        if fastcheck.accepts(schema_name, mutated):
            assert validator.is_valid(mutated), mutated
        checked += 1
    assert checked > 100


def test_fast_check_rejects_keywords_beside_ref():
    schema = {"$defs": {"text": {"type": "string"}}, "properties": {"name": {"$ref": "#/$defs/text", "maxLength": 3}}}
    assert fastcheck.unsupported_keywords(schema) == ["#/properties/name: keywords beside $ref"]


def test_fast_check_rejects_newer_keywords():
    schema = {"type": "array", "prefixItems": [{"type": "string"}]}
    assert fastcheck.unsupported_keywords(schema) == ["#/prefixItems"]


def test_fast_check_leaves_documents_unchanged():
    document = load_file(VALID_PROPOSAL).data
    before = copy.deepcopy(document)
    fastcheck.accepts(schemas.PROPOSAL, document)
    assert document == before


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    generate(12, folder, seed=3)
    return folder


def _summary(check):
    return ([p.as_text() for p in check.problems], {slug: doc.data for slug, doc in check.proposals.items()})


def test_cache_reuses_unchanged_results(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = validate_content(content, cache_dir=cache)

    def fail(job):
        raise AssertionError(f"{job} was validated again although it is unchanged")

    monkeypatch.setattr(validation_cache, "_validate_one", fail)
    second = validate_content(content, cache_dir=cache)
    assert _summary(second) == _summary(first)


def test_cache_rechecks_changed_file(content, tmp_path):
    cache = tmp_path / "cache"
    assert validate_content(content, cache_dir=cache).ok
    path = content / "proposals" / "san-pham-00003.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"province": "', '"province": "Tỉnh Không Có ', 1), encoding="utf-8")
    check = validate_content(content, cache_dir=cache)
    assert not check.ok
    assert any("san-pham-00003.yaml" in problem.file for problem in check.errors)


def test_cache_misses_after_code_change(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    validate_content(content, cache_dir=cache)
    calls = []
    original = validation_cache._validate_one
    monkeypatch.setattr(validation_cache, "_validate_one", lambda job: calls.append(job) or original(job))
    monkeypatch.setattr(validation_cache, "code_fingerprint", lambda: "another version of the checks")
    validate_content(content, cache_dir=cache)
    assert len(calls) == 24


def test_cache_misses_after_attachment_change(content, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    validate_content(content, cache_dir=cache)
    folder = content / "proposals" / "san-pham-00005"
    folder.mkdir()
    (folder / "khong-khai-bao.pdf").write_bytes(b"%PDF-1.4\n")
    check = validate_content(content, cache_dir=cache)
    assert any("san-pham-00005" in problem.file for problem in check.problems)


def test_pool_matches_serial_results(content, monkeypatch):
    serial = validate_content(content)
    monkeypatch.setattr(validation_cache, "POOL_THRESHOLD", 2)
    pooled = validate_content(content)
    assert _summary(pooled) == _summary(serial)


def test_unreadable_cache_is_ignored(content, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / "validation-proposal.pickle").write_bytes(b"not a pickle")
    assert validate_content(content, cache_dir=cache).ok
    shutil.rmtree(cache)
