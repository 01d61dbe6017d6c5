"""A rebuild that reuses the build cache writes exactly the site a clean build writes."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from plugins.portal_catalogue.markup import rendering_fingerprint
from portal.sitebuild import build_site

sys.path.insert(0, str(REPO_ROOT))
from bench.generate import change_summary, generate  # noqa: E402

pytestmark = pytest.mark.slow

NO_CACHE = {"CATALOGUE_CACHE_DIR": None}


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def _assert_same_tree(actual: Path, expected: Path) -> None:
    actual_files, expected_files = _tree(actual), _tree(expected)
    assert sorted(actual_files) == sorted(expected_files)
    different = [name for name in expected_files if actual_files[name] != expected_files[name]]
    assert different == []


def test_rebuild_after_change_equals_clean_build(tmp_path):
    content = tmp_path / "content"
    generate(20, content, seed=11)
    cache = {"CATALOGUE_CACHE_DIR": str(tmp_path / "cache")}
    build_site(tmp_path / "site", content, settings_overrides=cache)

    changed = content / "proposals" / "san-pham-00004.yaml"
    change_summary(changed, "Bản cập nhật.")
    build_site(tmp_path / "site", content, settings_overrides=cache)

    build_site(tmp_path / "clean", content, settings_overrides=NO_CACHE)
    _assert_same_tree(tmp_path / "site", tmp_path / "clean")
    assert "Bản cập nhật." in (tmp_path / "site" / "san-pham" / "san-pham-00004" / "index.html").read_text(encoding="utf-8")
    assert sorted(path.name for path in (tmp_path / "cache").iterdir()) == [
        "markdown-en.pickle", "markdown-vi.pickle", "validation-proposal.pickle", "validation-record.pickle"]


def test_damaged_cache_is_ignored(tmp_path):
    """A cache file that cannot be read, or holds something else, costs time but never the build."""
    content = tmp_path / "content"
    generate(6, content, seed=3)
    cache_dir = tmp_path / "cache"
    build_site(tmp_path / "site", content, settings_overrides={"CATALOGUE_CACHE_DIR": str(cache_dir)})
    names = sorted(cache_dir.iterdir())
    for number, path in enumerate(names):
        path.write_bytes(b"\x80\x05not a pickle" if number % 2 else pickle.dumps({"html": ["x"], "fingerprint": 1}))
    build_site(tmp_path / "site", content, settings_overrides={"CATALOGUE_CACHE_DIR": str(cache_dir)})
    build_site(tmp_path / "clean", content, settings_overrides=NO_CACHE)
    _assert_same_tree(tmp_path / "site", tmp_path / "clean")


def test_unwritable_cache_is_ignored(tmp_path):
    content = tmp_path / "content"
    generate(3, content, seed=4)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    build_site(tmp_path / "site", content, settings_overrides={"CATALOGUE_CACHE_DIR": str(blocker / "cache")})
    build_site(tmp_path / "clean", content, settings_overrides=NO_CACHE)
    _assert_same_tree(tmp_path / "site", tmp_path / "clean")


def test_stale_markdown_cache_not_reused(tmp_path):
    """Cached HTML written by other rendering code (another fingerprint) must not reach a page."""
    content = tmp_path / "content"
    generate(4, content, seed=8)
    cache_dir = tmp_path / "cache"
    settings = {"CATALOGUE_CACHE_DIR": str(cache_dir)}
    build_site(tmp_path / "site", content, settings_overrides=settings)
    for language in ("vi", "en"):
        path = cache_dir / f"markdown-{language}.pickle"
        saved = pickle.loads(path.read_bytes())
        assert saved["fingerprint"] == rendering_fingerprint()
        assert saved["html"]
        stale = {"fingerprint": "other rendering code", "html": {text: "<p>CŨ</p>" for text in saved["html"]}}
        path.write_bytes(pickle.dumps(stale))
    build_site(tmp_path / "site", content, settings_overrides=settings)
    pages = [path.read_text(encoding="utf-8") for path in (tmp_path / "site").rglob("*.html")]
    assert not any("CŨ" in page for page in pages)


def test_content_is_validated_once_per_build(tmp_path, monkeypatch):
    """The parent validates; the language builds (one of them a forked process) reuse its result."""
    import plugins.portal_catalogue.generator as catalogue_generator
    import portal.validate

    content = tmp_path / "content"
    generate(3, content, seed=2)
    calls = tmp_path / "calls.txt"
    original = portal.validate.validate_content

    def counting(*args, **kwargs):
        with open(calls, "a", encoding="utf-8") as handle:
            handle.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(portal.validate, "validate_content", counting)
    monkeypatch.setattr(catalogue_generator, "validate_content", counting)
    build_site(tmp_path / "site", content, settings_overrides=NO_CACHE)
    assert len(calls.read_text(encoding="utf-8").split()) == 1
    assert (tmp_path / "site" / "en" / "san-pham" / "san-pham-00001" / "index.html").is_file()


def test_template_change_reaches_cached_build(tmp_path):
    """A theme change must reach every page even though the content and its cache are unchanged."""
    content = tmp_path / "content"
    generate(5, content, seed=5)
    cache = {"CATALOGUE_CACHE_DIR": str(tmp_path / "cache")}
    build_site(tmp_path / "site", content, settings_overrides=cache)

    overrides = tmp_path / "templates"
    overrides.mkdir()
    product = (REPO_ROOT / "theme" / "templates" / "product.html").read_text(encoding="utf-8")
    (overrides / "product.html").write_text(product.replace("{% block content %}", "{% block content %}<p>MẪU-MỚI</p>", 1),
                                            encoding="utf-8")
    build_site(tmp_path / "site", content, settings_overrides={**cache, "THEME_TEMPLATES_OVERRIDES": [str(overrides)]})
    page = (tmp_path / "site" / "san-pham" / "san-pham-00001" / "index.html").read_text(encoding="utf-8")
    assert "MẪU-MỚI" in page
