"""The JSON Schemas of proposals and evaluation records, their validators and their labels.

Validators are built once per process and reused: building one per document is about thirty
times slower (jsonschema 4.26). Formats are checked by our own format checker because
jsonschema's default one leaves `date-time` unchecked without an optional package and accepts
any text with an "@" as an e-mail address.
"""

from __future__ import annotations

import datetime
import functools
import json
import re

from jsonschema import Draft202012Validator, FormatChecker

from . import SCHEMA_DIR

PROPOSAL = "proposal"
EVALUATION = "evaluation"

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)

# Where each enumeration with labels sits in its schema, by the short name the rest of the code uses.
_LABEL_LOCATIONS = {
    "kind": (PROPOSAL, ("properties", "kind")),
    "domains": (PROPOSAL, ("properties", "domains", "items")),
    "fields": (PROPOSAL, ("properties", "fields", "items")),
    "owner_type": (PROPOSAL, ("properties", "owner", "properties", "type")),
    "technology_mastery": (PROPOSAL, ("properties", "technology_mastery", "properties", "level")),
    "ip_kind": (PROPOSAL, ("properties", "intellectual_property", "items", "properties", "kind")),
    "attachment_kind": (PROPOSAL, ("properties", "attachments", "items", "properties", "kind")),
    "seeking": (PROPOSAL, ("properties", "seeking", "items")),
    "support_requested": (PROPOSAL, ("properties", "support_requested", "items")),
    "commitments": (PROPOSAL, ("properties", "commitments", "items")),
    "outcome": (EVALUATION, ("properties", "decision", "properties", "outcome")),
    "recommendation": (EVALUATION, ("properties", "report", "properties", "recommendation")),
}


def _check_date(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _check_date_time(value) -> bool:
    if not isinstance(value, str):
        return True
    try:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None


def _check_email(value) -> bool:
    return not isinstance(value, str) or bool(_EMAIL.match(value))


def format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checks("date")(_check_date)
    checker.checks("date-time")(_check_date_time)
    checker.checks("email")(_check_email)
    return checker


@functools.cache
def load_schema(name: str) -> dict:
    with open(SCHEMA_DIR / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def validator(name: str) -> Draft202012Validator:
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=format_checker())


def resolve(schema_name: str, subschema: dict) -> dict:
    """Follow a local `$ref` (one level at a time) and return the referenced subschema."""
    seen = 0
    while isinstance(subschema, dict) and "$ref" in subschema and seen < 10:
        pointer = subschema["$ref"]
        if not pointer.startswith("#/"):
            break
        target = load_schema(schema_name)
        for part in pointer[2:].split("/"):
            target = target[part]
        # Keep the referring schema's own annotations (title, description) over the target's.
        merged = dict(target)
        merged.update({key: value for key, value in subschema.items() if key != "$ref"})
        subschema = merged
        seen += 1
    return subschema


def subschema_at(schema_name: str, path: tuple, instance=None) -> dict | None:
    """Return the subschema describing the value at `path`, choosing oneOf branches by the
    instance's discriminator where the schema names one."""
    node = resolve(schema_name, load_schema(schema_name))
    value = instance
    for part in path:
        node = _choose_branch(schema_name, node, value)
        if isinstance(part, int):
            node = node.get("items")
        else:
            properties = node.get("properties", {})
            node = properties.get(part)
        if node is None:
            return None
        node = resolve(schema_name, node)
        if isinstance(value, (dict, list)):
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                value = None
        else:
            value = None
    return node


def _choose_branch(schema_name: str, node: dict, value) -> dict:
    discriminator = node.get("x-discriminator")
    if not discriminator or "oneOf" not in node:
        return node
    for branch in node["oneOf"]:
        branch = resolve(schema_name, branch)
        const = branch.get("properties", {}).get(discriminator, {}).get("const")
        if isinstance(value, dict) and value.get(discriminator) == const:
            return _merge_properties(node, branch)
    # With no matching discriminator, offer the union of every branch's properties.
    merged = dict(node)
    for branch in node["oneOf"]:
        merged = _merge_properties(merged, resolve(schema_name, branch))
    return merged


def _merge_properties(base: dict, extra: dict) -> dict:
    merged = dict(base)
    properties = dict(extra.get("properties", {}))
    properties.update(base.get("properties", {}))
    merged["properties"] = properties
    return merged


def title_for(schema_name: str, path: tuple, instance=None) -> str:
    """Return the Vietnamese title of the value at `path`, or "" when the schema gives none."""
    node = subschema_at(schema_name, tuple(path), instance)
    if node is None:
        return ""
    return node.get("title", "")


@functools.cache
def _labels(kind: str) -> dict:
    schema_name, location = _LABEL_LOCATIONS[kind]
    node = load_schema(schema_name)
    for part in location:
        node = node[part]
    return node.get("x-labels", {})


def label(kind: str, code: str, language: str = "vi") -> str:
    """Return the display label of an enumeration code, such as the Vietnamese name of a field."""
    entry = _labels(kind).get(code)
    if not entry:
        return str(code)
    return entry.get(language) or entry.get("vi") or str(code)


def codes(kind: str) -> list[str]:
    """Return every code of an enumeration, in schema order."""
    return list(_labels(kind))
