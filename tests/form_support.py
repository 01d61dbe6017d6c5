"""Helpers shared by the submission form tests: the shared table of cases and a built site."""

from __future__ import annotations

import copy
import json
import re

from conftest import FIXTURES

FORM_CASES = json.loads((FIXTURES / "form_cases.json").read_text(encoding="utf-8"))
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def case_document(case: dict) -> dict:
    """Apply one document case's changes to the table's base proposal."""
    document = copy.deepcopy(FORM_CASES["base"])
    for change in case["changes"]:
        path = change.get("set") or change.get("delete")
        parent = document
        for part in path[:-1]:
            parent = parent[part]
        if "delete" in change:
            del parent[path[-1]]
        else:
            parent[path[-1]] = copy.deepcopy(change["value"])
    return document


def file_name_for(document: dict) -> str:
    """Name the proposal file after its slug, so that only the slug's own rules can fail."""
    slug = document.get("slug")
    stem = slug if isinstance(slug, str) and SLUG.match(slug) else "ten-tam"
    return f"content/proposals/{stem}.yaml"


def problem_pairs(problems) -> list[list[str]]:
    return sorted([path, code] for path, code in problems)
