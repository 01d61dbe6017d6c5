"""Validation of proposals and evaluation records: the schema plus the checks it cannot express.

Every problem names the file, line, column and key path with its Vietnamese title, and says how
to fix it. The same functions serve the command line, the review bot (which reads a proposal
through the API as bytes) and the catalogue build (which refuses to build invalid content).
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import fastcheck, schemas
from .checks import check_proposal, check_record
from .messages import render_message
from .problems import ERROR, Problem, sort_problems
from .textfold import name_key
from .yamlread import Document, format_path, load_bytes, load_file

log = logging.getLogger(__name__)

PROPOSALS_DIR = "proposals"
EVALUATIONS_DIR = "evaluations"
RECORD_NAME = re.compile(r"^(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)(?:\.(?P<sequence>[0-9]+))?\.yaml$")

_MARKDOWN_KEYS = {"description", "support_details"}

_TYPE_NAMES = {
    "string": "văn bản",
    "integer": "số nguyên",
    "number": "số",
    "boolean": "true hoặc false",
    "array": "danh sách (các dòng bắt đầu bằng \"- \")",
    "object": "nhóm khóa con (khóa: giá trị, thụt lề bên dưới)",
    "null": "để trống",
}

_FORMAT_NAMES = {"date": "ngày", "date-time": "thời điểm", "email": "địa chỉ thư điện tử"}


def _python_type_name(value) -> str:
    if value is None:
        return "để trống"
    if isinstance(value, bool):
        return "giá trị đúng/sai (true/false)"
    if isinstance(value, int):
        return "số nguyên"
    if isinstance(value, str):
        return "văn bản"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "nhóm khóa con"
    return type(value).__name__


def is_markdown_path(path: tuple) -> bool:
    """Tell whether a value is submitter Markdown, where joiners and soft hyphens are legitimate."""
    return any(part in _MARKDOWN_KEYS for part in path if isinstance(part, str))


# --- schema errors -> problems ----------------------------------------------------------------


class _Translator:
    """Turn jsonschema errors into Vietnamese problems located in the YAML source."""

    def __init__(self, document: Document, schema_name: str):
        self.document = document
        self.schema_name = schema_name

    def problem(self, code: str, path: tuple, at_key: bool = False, **params) -> Problem:
        message, fix = render_message(code, **params)
        line, column = self.document.key_position(path) if at_key else self.document.position(path)
        title = schemas.title_for(self.schema_name, path, self.document.data)
        return Problem(self.document.file, line, column, format_path(path), message, fix,
                       title=title, code=code)

    def translate(self, error) -> list[Problem]:
        path = tuple(error.absolute_path)
        keyword = error.validator
        schema = error.schema if isinstance(error.schema, dict) else {}
        hint = schema.get("x-hint", "")
        instance = error.instance

        if keyword in ("oneOf", "anyOf"):
            return self._alternatives(error, path)
        if keyword == "required":
            return self._required(error, path)
        if keyword == "additionalProperties":
            return self._additional(error, path)
        if keyword == "type":
            return [self._type(error, path, hint)]
        if keyword == "enum":
            return [self._enum(error, path)]
        if keyword == "const":
            expected = schema.get("const")
            if isinstance(instance, str) and not isinstance(expected, str) and instance == str(expected):
                return [self.problem("schema.const_quoted", path, value=instance, expected=expected)]
            return [self.problem("schema.const", path, value=instance, expected=expected)]
        if keyword == "pattern":
            return [self.problem("schema.pattern", path, value=instance,
                                 hint=hint or self._parent_hint(path) or "Xem mô tả của mục này trong lược đồ.")]
        if keyword == "format":
            fmt = schema.get("format", "")
            return [self.problem("schema.format", path, value=instance,
                                 format_name=_FORMAT_NAMES.get(fmt, fmt), hint=hint or "Xem mô tả của mục này.")]
        if keyword == "minLength":
            if isinstance(instance, str) and not instance.strip():
                return [self.problem("schema.empty", path)]
            return [self.problem("schema.min_length", path, length=len(instance), limit=error.validator_value)]
        if keyword == "maxLength":
            return [self.problem("schema.max_length", path, length=len(instance), limit=error.validator_value)]
        if keyword == "minItems":
            return [self.problem("schema.min_items", path, limit=error.validator_value, count=len(instance))]
        if keyword == "maxItems":
            return [self.problem("schema.max_items", path, limit=error.validator_value, count=len(instance))]
        if keyword == "uniqueItems":
            return [self.problem("schema.unique_items", path)]
        if keyword in ("minimum", "maximum"):
            return [self.problem("schema.range", path, value=instance, minimum=schema.get("minimum", ""),
                                 maximum=schema.get("maximum", ""))]
        if keyword == "contains":
            expected = error.validator_value.get("const", "") if isinstance(error.validator_value, dict) else ""
            parent_hint = self._schema_hint(path)
            return [self.problem("schema.contains", path, expected=expected, hint=parent_hint)]
        if keyword == "minProperties":
            return [self.problem("schema.min_properties", path, hint=hint or self._schema_hint(path))]
        return [self.problem("schema.other", path, detail=keyword)]

    def _schema_hint(self, path: tuple) -> str:
        node = schemas.subschema_at(self.schema_name, path, self.document.data) or {}
        return node.get("x-hint", "") or node.get("description", "")

    def _parent_hint(self, path: tuple) -> str:
        node = schemas.subschema_at(self.schema_name, path, self.document.data) or {}
        return node.get("x-hint", "")

    def _required(self, error, path: tuple) -> list[Problem]:
        problems = []
        present = error.instance if isinstance(error.instance, dict) else {}
        for key in error.validator_value:
            if key in present:
                continue
            child = path + (key,)
            key_title = schemas.title_for(self.schema_name, child, self.document.data)
            parent = format_path(path) or "cấp ngoài cùng của tệp"
            message, fix = render_message("schema.required", key=key, key_title=key_title or key, parent=parent)
            line, column = self.document.key_position(path) if path else (1, 1)
            problems.append(Problem(self.document.file, line, column, format_path(child), message, fix,
                                    title=key_title, code="schema.required"))
        return problems

    def _additional(self, error, path: tuple) -> list[Problem]:
        allowed = list(error.schema.get("properties", {}))
        problems = []
        for key in error.instance:
            if key in allowed:
                continue
            close = difflib.get_close_matches(str(key), allowed, n=1)
            suggestion = f" (có phải ý bạn là \"{close[0]}\"?)" if close else ""
            problems.append(self.problem("schema.additional", path + (key,), at_key=True, key=key,
                                         suggestion=suggestion))
        return problems

    def _type(self, error, path: tuple, hint: str) -> Problem:
        expected = error.validator_value
        expected_list = expected if isinstance(expected, list) else [expected]
        instance = error.instance
        if "string" in expected_list and path in self.document.plain_scalars and instance is not None:
            written = self.document.source_text.get(path, str(instance))
            return self.problem("schema.type_quote", path, value=written, actual=_python_type_name(instance))
        if instance is None:
            return self.problem("schema.empty", path)
        names = " hoặc ".join(_TYPE_NAMES.get(name, name) for name in expected_list)
        return self.problem("schema.type", path, expected=names, actual=_python_type_name(instance),
                            hint=hint or "Xem mô tả của mục này trong lược đồ.")

    def _enum(self, error, path: tuple) -> Problem:
        schema = error.schema
        labels = schema.get("x-labels", {})
        choices = ", ".join(
            f"{code} ({labels[code]['vi']})" if code in labels else str(code) for code in error.validator_value
        )
        return self.problem("schema.enum", path, value=error.instance, choices=choices)

    def _alternatives(self, error, path: tuple) -> list[Problem]:
        """Report the real cause inside the branch the author chose, not "matches no branch"."""
        schema = error.schema
        discriminator = schema.get("x-discriminator")
        instance = error.instance
        branches = [schemas.resolve(self.schema_name, branch) for branch in schema.get(error.validator, [])]

        if discriminator and isinstance(instance, dict):
            chosen = instance.get(discriminator)
            for index, branch in enumerate(branches):
                if branch.get("properties", {}).get(discriminator, {}).get("const") == chosen:
                    inner = [sub for sub in error.context if sub.schema_path and sub.schema_path[0] == index]
                    problems = []
                    for sub in inner:
                        problems.extend(self.translate(sub))
                    return problems
            # The discriminator itself is wrong or missing: the enum or required error on it says so.
            return []

        if error.context:
            deepest = max(error.context, key=lambda sub: (len(sub.absolute_path), -len(sub.schema_path)))
            return self.translate(deepest)
        return [self.problem("schema.one_of", path, hint=self._schema_hint(path))]


def schema_problems(document: Document, schema_name: str) -> list[Problem]:
    """Validate a loaded document against a schema and return located Vietnamese problems."""
    if document.data is None:
        return []
    # Most documents are valid: the compiled check accepts those quickly, and only the others
    # need jsonschema's walk, which locates and explains every error.
    if fastcheck.accepts(schema_name, document.data):
        return []
    translator = _Translator(document, schema_name)
    problems: list[Problem] = []
    for error in schemas.validator(schema_name).iter_errors(document.data):
        problems.extend(translator.translate(error))
    return problems


def _merge(document: Document, problems: list[Problem]) -> None:
    """Add problems, dropping a schema complaint about a value the reader already reported."""
    already = {(p.path, p.line) for p in document.problems}
    seen = set()
    for problem in problems:
        key = (problem.path, problem.line, problem.message)
        if key in seen or (problem.path, problem.line) in already:
            continue
        seen.add(key)
        document.problems.append(problem)


# --- single files --------------------------------------------------------------------------------


def _add_titles(document: Document, schema_name: str) -> None:
    """Give the reader's problems the Vietnamese title of the key they are about."""
    titled = []
    for problem in document.problems:
        if not problem.title and problem.path:
            path = tuple(int(part) if part.isdigit() else part
                         for part in re.findall(r"[^.\[\]]+", problem.path))
            title = schemas.title_for(schema_name, path, document.data)
            problem = dataclasses.replace(problem, title=title)
        titled.append(problem)
    document.problems = titled


def _finish_proposal(document: Document, file_path: Path | None, attachments_dir: Path | None) -> Document:
    _add_titles(document, schemas.PROPOSAL)
    if document.data is None:
        return document
    if not isinstance(document.data, dict):
        _merge(document, schema_problems(document, schemas.PROPOSAL))
        return document
    _merge(document, schema_problems(document, schemas.PROPOSAL))
    _merge(document, check_proposal(document, file_path, attachments_dir))
    return document


def validate_proposal_file(path: str | Path, display_name: str | None = None,
                           attachments_dir: Path | None = None) -> Document:
    """Validate one proposal file, its name and its attachment folder beside it."""
    path = Path(path)
    document = load_file(path, display_name, is_markdown=is_markdown_path)
    if attachments_dir is None:
        attachments_dir = path.parent / path.stem
    return _finish_proposal(document, path, attachments_dir)


def validate_proposal_bytes(raw: bytes, display_name: str, attachments_dir: Path | None = None) -> Document:
    """Validate a proposal read from elsewhere (the review bot reads it through the API)."""
    document = load_bytes(raw, display_name, is_markdown=is_markdown_path)
    return _finish_proposal(document, Path(display_name), attachments_dir)


def validate_record_file(path: str | Path, display_name: str | None = None) -> Document:
    """Validate one evaluation record file."""
    path = Path(path)
    document = load_file(path, display_name, is_markdown=lambda _: True)
    _add_titles(document, schemas.EVALUATION)
    if document.data is None:
        return document
    _merge(document, schema_problems(document, schemas.EVALUATION))
    if isinstance(document.data, dict):
        _merge(document, check_record(document, path))
    return document


# --- the whole content folder ------------------------------------------------------------------------


@dataclass
class ContentCheck:
    """The outcome of checking every proposal and evaluation record under `content/`."""

    proposals: dict = field(default_factory=dict)
    records: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == ERROR for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


def _relative(path: Path, base: Path) -> str:
    try:
        return str(path.relative_to(base))
    except ValueError:
        return str(path)


def _stray_files(folder: Path, base: Path, pattern_ok) -> list[Problem]:
    problems = []
    for entry in sorted(folder.iterdir()):
        if entry.is_file() and not pattern_ok(entry):
            expected = re.sub(r"[^a-z0-9]+", "-", entry.stem.lower()).strip("-") or "ten-de-xuat"
            code = "file.wrong_extension" if entry.suffix != ".yaml" else "check.file_name"
            message, fix = render_message(code, value=entry.name, expected=expected + ".yaml")
            problems.append(Problem(_relative(entry, base), 1, 1, "", message, fix, code=code))
    return problems


def validate_content(content_dir: str | Path, base_dir: str | Path | None = None,
                     cache_dir: str | Path | None = None) -> ContentCheck:
    """Validate every proposal and record under `content_dir` and the rules that span files.

    With `cache_dir`, a file whose bytes, attachments and checking code are unchanged since an
    earlier run reuses that run's result. Many files are checked in a process pool over all cores.
    """
    from .validation_cache import PROPOSAL as PROPOSAL_JOB, RECORD as RECORD_JOB, validate_files

    content_dir = Path(content_dir)
    base = Path(base_dir) if base_dir else content_dir.parent
    result = ContentCheck()

    proposals_dir = content_dir / PROPOSALS_DIR
    if proposals_dir.is_dir():
        result.problems.extend(_stray_files(
            proposals_dir, base, lambda p: p.suffix == ".yaml" and RECORD_NAME.match(p.name) and "." not in p.stem))
        paths = sorted(proposals_dir.glob("*.yaml"))
        documents = validate_files([(PROPOSAL_JOB, path, _relative(path, base)) for path in paths], cache_dir)
        for path, document in zip(paths, documents):
            result.proposals[path.stem] = document
            result.problems.extend(document.problems)

    evaluations_dir = content_dir / EVALUATIONS_DIR
    if evaluations_dir.is_dir():
        result.problems.extend(_stray_files(evaluations_dir, base, lambda p: bool(RECORD_NAME.match(p.name))))
        paths = [path for path in sorted(evaluations_dir.glob("*.yaml")) if RECORD_NAME.match(path.name)]
        documents = validate_files([(RECORD_JOB, path, _relative(path, base)) for path in paths], cache_dir)
        for path, document in zip(paths, documents):
            result.records.setdefault(RECORD_NAME.match(path.name)["slug"], []).append(document)
            result.problems.extend(document.problems)
        for slug, documents in result.records.items():
            documents.sort(key=_sequence_of)

    result.problems.extend(_cross_checks(result, content_dir, base))
    result.problems = sort_problems(result.problems)
    log.info("validated %d proposals and %d records: %d errors", len(result.proposals),
             sum(len(docs) for docs in result.records.values()), len(result.errors))
    return result


def _sequence_of(document: Document) -> int:
    data = document.data if isinstance(document.data, dict) else {}
    sequence = data.get("sequence")
    return sequence if isinstance(sequence, int) else 0


def _cross_checks(result: ContentCheck, content_dir: Path, base: Path) -> list[Problem]:
    problems = []

    for slug, documents in result.records.items():
        if slug not in result.proposals:
            document = documents[0]
            expected = f"{PROPOSALS_DIR}/{slug}.yaml"
            message, fix = render_message("check.record_without_proposal", expected=expected)
            problems.append(Problem(document.file, 1, 1, "slug", message, fix, title="Mã định danh của đề xuất",
                                    code="check.record_without_proposal"))

    for slug, document in result.proposals.items():
        if slug not in result.records:
            expected = f"{EVALUATIONS_DIR}/{slug}.yaml"
            message, fix = render_message("check.proposal_without_record", expected=expected)
            problems.append(Problem(document.file, 1, 1, "", message, fix, code="check.proposal_without_record",
                                    severity="warning"))

    problems.extend(similar_names(result.proposals))
    return problems


def similar_names(proposals: dict) -> list[Problem]:
    """Flag proposals whose names differ only in letter case or tone-mark placement."""
    problems = []
    first_by_key: dict[tuple, tuple[str, Document]] = {}
    for slug, document in sorted(proposals.items()):
        data = document.data if isinstance(document.data, dict) else {}
        names = data.get("name") if isinstance(data.get("name"), dict) else {}
        for language, text in sorted(names.items()):
            if not isinstance(text, str) or not text.strip():
                continue
            key = (language, name_key(text))
            if key in first_by_key:
                other_slug, other = first_by_key[key]
                message, fix = render_message("check.name_similar", value=text, other=other.file)
                line, column = document.position(("name", language))
                problems.append(Problem(document.file, line, column, f"name.{language}", message, fix,
                                        title="Tên sản phẩm, giải pháp", code="check.name_similar",
                                        severity="warning"))
            else:
                first_by_key[key] = (slug, document)
    return problems
