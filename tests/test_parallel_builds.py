"""Per-language builds in parallel processes: every build runs and every failure reaches the caller."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal.parallel import run_builds
from portal.problems import Problem
from portal.sitebuild import ContentError


def _write_marker(settings: dict) -> None:
    if settings.get("fail_with_problem"):
        raise ContentError([Problem("content/proposals/a.yaml", 3, 1, "name", "Thiếu tên.", "Thêm tên.")])
    if settings.get("fail"):
        raise RuntimeError(f"build {settings['DEFAULT_LANG']} failed")
    Path(settings["OUTPUT_PATH"], "done.txt").write_text(settings["DEFAULT_LANG"], encoding="utf-8")


def _runs(tmp_path: Path, **extra) -> list[dict]:
    runs = []
    for language in ("vi", "en"):
        folder = tmp_path / language
        folder.mkdir()
        runs.append({"DEFAULT_LANG": language, "OUTPUT_PATH": str(folder), **extra.get(language, {})})
    return runs


def test_parallel_builds_run_every_language(tmp_path):
    run_builds(_runs(tmp_path), _write_marker)
    assert (tmp_path / "vi" / "done.txt").read_text(encoding="utf-8") == "vi"
    assert (tmp_path / "en" / "done.txt").read_text(encoding="utf-8") == "en"


def test_child_content_error_keeps_problems(tmp_path):
    with pytest.raises(ContentError) as raised:
        run_builds(_runs(tmp_path, en={"fail_with_problem": True}), _write_marker)
    assert [problem.path for problem in raised.value.problems] == ["name"]
    assert "Thiếu tên." in str(raised.value)
    assert (tmp_path / "vi" / "done.txt").is_file()


def test_child_failure_reaches_parent(tmp_path):
    with pytest.raises(RuntimeError, match="build en failed"):
        run_builds(_runs(tmp_path, en={"fail": True}), _write_marker)


def test_parent_failure_raised_after_children(tmp_path):
    with pytest.raises(RuntimeError, match="build vi failed"):
        run_builds(_runs(tmp_path, vi={"fail": True}), _write_marker)


def test_emptying_output_runs_sequentially(tmp_path):
    order = []
    runs = _runs(tmp_path)
    for settings in runs:
        settings["DELETE_OUTPUT_DIRECTORY"] = True
    run_builds(runs, lambda settings: order.append(settings["DEFAULT_LANG"]))
    assert order == ["vi", "en"]
