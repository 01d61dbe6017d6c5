"""The GitHub Actions workflows: zizmor's audit and our own rules for privileged triggers."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

WORKFLOWS = Path(__file__).resolve().parent.parent / ".github" / "workflows"
PRIVILEGED = {"pull_request_target", "issue_comment", "issues", "workflow_run"}
FILES = sorted(WORKFLOWS.glob("*.yml"))


def triggers(workflow: dict) -> set:
    on = workflow.get(True, workflow.get("on"))  # PyYAML reads the key `on` as True
    return set(on) if isinstance(on, (dict, list)) else {on}


def workflow_problems(text: str) -> list[str]:
    """Return our own rule violations for one workflow's text."""
    workflow = yaml.safe_load(text)
    problems = []
    privileged = bool(triggers(workflow) & PRIVILEGED)
    for job_name, job in (workflow.get("jobs") or {}).items():
        if "permissions" not in job:
            problems.append(f"{job_name}: no job-level permissions")
        for step in job.get("steps") or []:
            uses = step.get("uses", "")
            if uses and not re.search(r"@[0-9a-f]{40}$", uses):
                problems.append(f"{job_name}: action not pinned by commit: {uses}")
            if "run" in step and "${{ github.event." in step["run"]:
                problems.append(f"{job_name}: event value inside run:")
            if privileged and uses.startswith("actions/checkout@"):
                ref = str((step.get("with") or {}).get("ref", ""))
                if "head" in ref or "pull_request" in ref or "merge" in ref:
                    problems.append(f"{job_name}: privileged trigger checks out the pull request ({ref})")
    return problems


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_workflow_follows_rules(path):
    assert workflow_problems(path.read_text(encoding="utf-8")) == []


def test_rules_catch_head_checkout():
    bad = """
on: pull_request_target
jobs:
  bot:
    permissions: {}
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1
        with:
          ref: ${{ github.event.pull_request.head.sha }}
"""
    assert any("checks out the pull request" in p for p in workflow_problems(bad))


def test_rules_catch_event_value_in_run():
    bad = """
on: issue_comment
jobs:
  bot:
    permissions: {}
    runs-on: ubuntu-24.04
    steps:
      - run: echo "${{ github.event.comment.body }}"
"""
    assert any("event value inside run" in p for p in workflow_problems(bad))


def test_concurrency_queues_per_pull_request():
    workflow = yaml.safe_load((WORKFLOWS / "review-bot.yml").read_text(encoding="utf-8"))
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert "pull_request.number" in workflow["concurrency"]["group"]


def test_zizmor_offline_clean():
    zizmor = shutil.which("zizmor") or str(Path(sys.executable).parent / "zizmor")
    if not Path(zizmor).exists():
        pytest.fail("zizmor is not installed: pip install zizmor==1.33.1")
    result = subprocess.run([zizmor, "--offline", "--no-progress", str(WORKFLOWS)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_form_job_listens_and_limits_rights():
    workflow = yaml.safe_load((WORKFLOWS / "review-bot.yml").read_text(encoding="utf-8"))
    assert triggers(workflow) >= {"issues"}
    assert workflow[True]["issues"]["types"] == ["opened", "edited"]
    job = workflow["jobs"]["intake"]
    assert job["permissions"] == {"contents": "write", "pull-requests": "write", "issues": "write"}
    assert "Phiếu đề xuất" in job["if"]
    assert "issues" not in workflow["jobs"]["bot"]["if"]
