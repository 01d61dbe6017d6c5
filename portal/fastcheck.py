"""A compiled acceptance check that lets valid documents skip the slower jsonschema walk.

fastjsonschema 2.22 compiles a schema to Python code and checks a document in a fraction of
jsonschema's time, but it implements draft-07, not 2020-12: it ignores the keywords that 2020-12
added and the keywords written beside a `$ref`. So the fast check is used only when the
project's schema uses nothing but keywords that both drafts define alike, and only to accept:
a document it rejects still goes through jsonschema, which produces the located messages.
Where the schema uses anything else, `accepts` always returns False and every document takes
the jsonschema path, so a schema change can slow validation down but never let a document through.
"""

from __future__ import annotations

import copy
import functools
import logging

from . import schemas

log = logging.getLogger(__name__)

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
# Keywords whose meaning is the same in draft-07 and 2020-12, as long as `items` is one schema.
SHARED_KEYWORDS = {
    "type", "enum", "const", "properties", "patternProperties", "additionalProperties", "required",
    "minProperties", "maxProperties", "items", "minItems", "maxItems", "uniqueItems", "contains",
    "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "$ref", "$defs", "$schema", "$id",
}
# Every keyword of 2020-12, to tell a schema from a plain folder of schemas under $defs.
ALL_KEYWORDS = SHARED_KEYWORDS | {
    "prefixItems", "unevaluatedProperties", "unevaluatedItems", "dependentRequired", "dependentSchemas",
    "minContains", "maxContains", "propertyNames", "$anchor", "$dynamicRef", "$dynamicAnchor", "$vocabulary",
    "contentEncoding", "contentMediaType", "contentSchema", "dependencies",
}
ANNOTATIONS = {"title", "description", "$comment", "examples", "default", "deprecated", "readOnly", "writeOnly",
               "enumDescriptions"}
SCHEMA_MAPS = ("properties", "patternProperties", "$defs")
SCHEMA_VALUES = ("additionalProperties", "items", "contains", "not", "if", "then", "else")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def unsupported_keywords(schema, where: str = "#") -> list[str]:
    """List where `schema` uses something the draft-07 compiler would read differently."""
    if isinstance(schema, bool):
        return []
    if not isinstance(schema, dict):
        return [f"{where}: not a schema"]

    found = []
    constraints = set()
    for key in schema:
        if key.startswith("x-") or key in ANNOTATIONS:
            continue
        if key not in SHARED_KEYWORDS:
            found.append(f"{where}/{key}")
        constraints.add(key)

    if "$ref" in schema:
        if constraints - {"$ref"}:
            found.append(f"{where}: keywords beside $ref")
        if not str(schema["$ref"]).startswith("#/"):
            found.append(f"{where}: non-local $ref")
    if isinstance(schema.get("items"), list):
        found.append(f"{where}/items: array form")

    for key in SCHEMA_MAPS:
        for name, subschema in (schema.get(key) or {}).items():
            if key == "$defs" and _is_folder(subschema):
                for inner, value in subschema.items():
                    found.extend(unsupported_keywords(value, f"{where}/{key}/{name}/{inner}"))
            else:
                found.extend(unsupported_keywords(subschema, f"{where}/{key}/{name}"))
    for key in SCHEMA_VALUES:
        if key in schema:
            found.extend(unsupported_keywords(schema[key], f"{where}/{key}"))
    for key in SCHEMA_LISTS:
        for index, subschema in enumerate(schema.get(key) or []):
            found.extend(unsupported_keywords(subschema, f"{where}/{key}/{index}"))
    return found


def _is_folder(value) -> bool:
    """Tell a $defs entry that only groups schemas (reached by deeper pointers) from a schema."""
    return (isinstance(value, dict) and bool(value) and all(isinstance(item, dict) for item in value.values())
            and not any(key in ALL_KEYWORDS or key in ANNOTATIONS or key.startswith("x-") for key in value))


def _draft07_copy(schema: dict) -> dict:
    converted = copy.deepcopy(schema)
    converted["$schema"] = DRAFT_07
    # The $id names the schema's public address; leaving it out keeps every $ref resolving
    # inside this document.
    converted.pop("$id", None)
    return converted


@functools.cache
def compiled(schema_name: str):
    """Return the compiled check of a schema, or None when the schema cannot take the fast path."""
    schema = schemas.load_schema(schema_name)
    problems = unsupported_keywords(schema)
    if problems:
        log.info("schema %s takes the jsonschema path only: %s", schema_name, ", ".join(problems[:5]))
        return None
    try:
        import fastjsonschema
    except ImportError:
        log.info("fastjsonschema is not installed: schema %s takes the jsonschema path only", schema_name)
        return None
    formats = {
        "date": schemas._check_date,
        "date-time": schemas._check_date_time,
        "email": schemas._check_email,
    }
    # use_default=False: the compiled code would otherwise write schema defaults into the document.
    return fastjsonschema.compile(_draft07_copy(schema), formats=formats, use_default=False)


def accepts(schema_name: str, data) -> bool:
    """Return True only when the compiled check finds `data` valid; False means "ask jsonschema"."""
    check = compiled(schema_name)
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # noqa: BLE001 - any failure of the fast path falls back to jsonschema
        return False
    return True
