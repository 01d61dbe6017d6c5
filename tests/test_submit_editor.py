"""Editor support and the pre-commit hook: schema lines, the proposal template, the hook file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib

import yaml

from conftest import REPO_ROOT
from portal.validate import validate_proposal_file

HOOKS_FILE = REPO_ROOT / ".pre-commit-hooks.yaml"
TEMPLATES = sorted((REPO_ROOT / "templates").glob("*.yaml"))


def test_templates_exist():
    assert TEMPLATES, "templates/ has no .yaml template"


def test_templates_start_with_schema_line():
    for template in TEMPLATES:
        first_line = template.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# yaml-language-server: $schema="), template.name


def test_template_schema_line_resolves_in_proposals_folder():
    # Templates are meant to be copied into content/proposals/, so the path is relative to it.
    for template in TEMPLATES:
        first_line = template.read_text(encoding="utf-8").splitlines()[0]
        schema_path = first_line.split("$schema=", 1)[1]
        assert (REPO_ROOT / "content" / "proposals" / schema_path).resolve().is_file(), template.name


def test_proposal_template_validates(tmp_path):
    template = REPO_ROOT / "templates" / "proposal.yaml"
    slug = yaml.safe_load(template.read_text(encoding="utf-8"))["slug"]
    target = tmp_path / "content" / "proposals" / f"{slug}.yaml"
    target.parent.mkdir(parents=True)
    shutil.copyfile(template, target)

    document = validate_proposal_file(target)
    assert document.problems == []


def test_hook_file_defines_validate_proposals():
    hooks = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert isinstance(hooks, list)
    ids = [hook["id"] for hook in hooks]
    assert ids == ["validate-proposals"]
    hook = hooks[0]
    for key in ("id", "name", "entry", "language"):
        assert isinstance(hook.get(key), str) and hook[key], key
    assert hook["language"] == "python"


def test_hook_entry_is_installed_script():
    hook = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))[0]
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    program, subcommand = hook["entry"].split()[:2]
    assert program in project["project"]["scripts"]
    assert project["project"]["scripts"][program] == "portal.cli:main"
    assert subcommand == "validate"


def test_hook_files_pattern_selects_content():
    pattern = re.compile(yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))[0]["files"])
    assert pattern.search("content/proposals/he-thong.yaml")
    assert pattern.search("content/evaluations/he-thong.yaml")
    assert pattern.search("content/evaluations/he-thong.2.yaml")
    assert not pattern.search("content/proposals/he-thong/brochure.pdf")
    assert not pattern.search("content/pages/quy-trinh.md")
    assert not pattern.search("templates/proposal.yaml")


def test_hook_entry_rejects_invalid_file(tmp_path):
    hook = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))[0]
    template = REPO_ROOT / "templates" / "proposal.yaml"
    target = tmp_path / "content" / "proposals" / "phan-mem-mau-de-xuat.yaml"
    target.parent.mkdir(parents=True)
    target.write_text(template.read_text(encoding="utf-8").replace("province: Hà Nội\n  website",
                                                                   "province: Hà Tây\n  website"),
                      encoding="utf-8")

    arguments = hook["entry"].split()[1:]
    result = subprocess.run([sys.executable, "-m", "portal.cli", *arguments, str(target)],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "owner.province" in result.stdout
