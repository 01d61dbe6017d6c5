"""A rebuild that reuses the build cache writes exactly the site a clean build writes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from portal.sitebuild import build_site

sys.path.insert(0, str(REPO_ROOT))
from bench.generate import change_summary, generate  # noqa: E402

pytestmark = pytest.mark.slow


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

    build_site(tmp_path / "clean", content)
    _assert_same_tree(tmp_path / "site", tmp_path / "clean")
    assert "Bản cập nhật." in (tmp_path / "site" / "san-pham" / "san-pham-00004" / "index.html").read_text(encoding="utf-8")


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
