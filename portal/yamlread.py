"""Read a proposal or evaluation record exactly as its author wrote it.

PyYAML's own constructors turn `0100000007` into an octal integer, `NO` into False and
`2024-03-15` into a date, keep the last of two equal keys and expand alias bombs. This reader
builds the document itself from the parser's event stream instead, so that:

- only plain `true`/`false`, `null`/`~`/empty and decimal integers without a leading zero are
  typed; every other scalar, dates and `NO` included, stays the text that was typed;
- a key written twice is reported with both lines, at any depth;
- anchors, aliases and tags are refused before anything could be expanded;
- oversized files, undecodable bytes and control characters are refused up front;
- every string is NFC-normalised, a leading byte order mark is dropped, and invisible or
  direction-changing characters are reported;
- the line and column of every key and value are kept for error messages.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml

from .messages import render_message
from .problems import Problem

try:  # libyaml's parser ships in PyYAML's wheels and is several times faster than the Python one.
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - builds of PyYAML without libyaml
    from yaml.parser import Parser as _PythonParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PythonParser):  # type: ignore[no-redef]
        def __init__(self, stream):
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PythonParser.__init__(self)


MAX_YAML_BYTES = 512 * 1024
MAX_DEPTH = 20
MAX_NODES = 50_000

Path_ = tuple  # a key path such as ("deployments", 0, "province")

_INTEGER = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLEANS = {"true": True, "false": False}
_STR_TAG = "tag:yaml.org,2002:str"

# C0 and C1 control characters other than tab, line feed and carriage return, plus DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# In the raw file, Unicode's own line and paragraph separators are refused too: YAML treats them as
# line breaks, which would make the reported line numbers disagree with every editor.
_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# Characters that change the direction of the text around them (the "Trojan Source" family).
_DIRECTION = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Characters that take no space: zero-width space, joiners, word joiner, invisible operators,
# byte order mark, soft hyphen, Mongolian vowel separator, Hangul fillers.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\u3164\uffa0]")


@dataclass
class Document:
    """A loaded YAML file: its data, where each value sits, and what was wrong with it."""

    file: str
    data: Any = None
    value_positions: dict = field(default_factory=dict)
    key_positions: dict = field(default_factory=dict)
    plain_scalars: set = field(default_factory=set)
    source_text: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)

    def position(self, path: Path_) -> tuple[int, int]:
        """Return the 1-based (line, column) of the value at `path`, or of its nearest ancestor."""
        path = tuple(path)
        while path:
            if path in self.value_positions:
                return self.value_positions[path]
            path = path[:-1]
        return self.value_positions.get((), (1, 1))

    def key_position(self, path: Path_) -> tuple[int, int]:
        """Return where the key of `path` is written, falling back to the value's position."""
        return self.key_positions.get(tuple(path)) or self.position(path)


def format_path(path: Path_) -> str:
    """Format ("deployments", 0, "province") as `deployments[0].province`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text


def human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte"


def _problem(document: Document, code: str, line: int, column: int, path: Path_ = (), **params) -> Problem:
    message, fix = render_message(code, **params)
    return Problem(document.file, line, column, format_path(path), message, fix, code=code)


def _character_name(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def load_file(path: str | os.PathLike, display_name: str | None = None,
              is_markdown: Callable[[Path_], bool] | None = None,
              max_bytes: int = MAX_YAML_BYTES) -> Document:
    """Load a YAML file, refusing it by size before reading a byte of it."""
    path = Path(path)
    document = Document(display_name or str(path))
    try:
        info = path.lstat()
    except OSError:
        document.problems.append(_problem(document, "file.not_found", 1, 1, file=document.file))
        return document
    if stat.S_ISLNK(info.st_mode):
        # A link could point anywhere on the machine, and its target's values would be echoed
        # back in messages that become public check annotations.
        document.problems.append(_problem(document, "file.symlink", 1, 1, file=document.file))
        return document
    if not stat.S_ISREG(info.st_mode):
        document.problems.append(_problem(document, "file.not_regular", 1, 1, file=document.file))
        return document
    if info.st_size > max_bytes:
        document.problems.append(_problem(
            document, "file.too_large", 1, 1, size=human_size(info.st_size), limit=human_size(max_bytes)))
        return document
    try:
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as error:
        document.problems.append(_problem(document, "file.unreadable", 1, 1, file=document.file,
                                          reason=error.strerror or type(error).__name__))
        return document
    return load_bytes(raw, document.file, is_markdown=is_markdown, max_bytes=max_bytes)


def load_bytes(raw: bytes, display_name: str, is_markdown: Callable[[Path_], bool] | None = None,
               max_bytes: int = MAX_YAML_BYTES) -> Document:
    """Load YAML from bytes; see the module docstring for what is refused and why."""
    document = Document(display_name)
    if len(raw) > max_bytes:
        document.problems.append(_problem(
            document, "file.too_large", 1, 1, size=human_size(len(raw)), limit=human_size(max_bytes)))
        return document

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        document.problems.append(_problem(
            document, "file.not_utf8", line, column, byte=f"0x{raw[error.start]:02X}"))
        return document
    return load_text(text, display_name, is_markdown=is_markdown, document=document)


def load_text(text: str, display_name: str, is_markdown: Callable[[Path_], bool] | None = None,
              document: Document | None = None) -> Document:
    """Load YAML from text already decoded."""
    document = document or Document(display_name)
    if text.startswith("\ufeff"):
        text = text[1:]

    for line_number, line in enumerate(text.split("\n"), start=1):
        match = _RAW_FORBIDDEN.search(line)
        if match:
            document.problems.append(_problem(
                document, "file.control_character", line_number, match.start() + 1,
                char=_character_name(match.group())))
    if document.problems:
        return document

    builder = _Builder(document, is_markdown or (lambda path: False))
    try:
        builder.run(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail, hint = _explain_syntax_error(error, _character_at(text, line, column))
        document.problems.append(_problem(document, "yaml.syntax", line, column, detail=detail, hint=hint))
        document.data = None
    except _Stop:
        document.data = None
    return document


class _Stop(Exception):
    """Raised by the builder when a problem makes reading further pointless or unsafe."""


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]):
        return lines[line - 1][column - 1]
    return ""


def _explain_syntax_error(error: yaml.MarkedYAMLError, character: str) -> tuple[str, str]:
    problem = (error.problem or error.context or "").strip()
    if character == "\t" or "'\\t'" in problem:
        return ("có ký tự Tab dùng để thụt lề", "Thụt lề bằng dấu cách, không dùng phím Tab.")
    if "mapping values are not allowed" in problem:
        return ("dấu hai chấm đặt sai chỗ",
                "Nếu giá trị có dấu \": \", hãy đặt cả giá trị trong dấu ngoặc kép; kiểm tra thụt lề của dòng này.")
    if "could not find expected ':'" in problem:
        return ("thiếu dấu hai chấm sau khóa", "Viết theo dạng \"khoa: gia tri\", có dấu cách sau dấu hai chấm.")
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return ("thụt lề không thẳng hàng", "Các khóa cùng cấp phải thụt lề bằng nhau (dùng dấu cách).")
    if "found unexpected end of stream" in problem or "found unknown escape character" in problem:
        return ("dấu ngoặc kép chưa đóng hoặc ký tự thoát sai",
                "Kiểm tra dấu ngoặc kép ở dòng này; trong ngoặc kép, viết \\\\ thay cho \\.")
    if "found character that cannot start any token" in problem:
        return ("có ký tự không được phép ở đầu giá trị",
                "Đặt giá trị trong dấu ngoặc kép nếu nó bắt đầu bằng @, ` hoặc %.")
    if "did not find expected '-' indicator" in problem or "expected <block sequence" in problem:
        return ("danh sách thụt lề sai", "Mỗi mục của danh sách bắt đầu bằng \"- \" và thẳng hàng với nhau.")
    if "escape" in problem or "unicode" in problem.lower():
        return ("mã thoát trong dấu ngoặc kép không hợp lệ",
                "Kiểm tra các chuỗi bắt đầu bằng \\ trong dấu ngoặc kép ở dòng này, hoặc dùng dấu ngoặc đơn.")
    return (f"cấu trúc không hợp lệ (chi tiết kỹ thuật: {problem})" if problem else "cấu trúc không hợp lệ",
            "Kiểm tra thụt lề, dấu hai chấm và dấu ngoặc kép ở dòng này.")


class _Builder:
    """Turn parser events into Python values, recording positions and refusing what is unsafe."""

    def __init__(self, document: Document, is_markdown: Callable[[Path_], bool]):
        self.document = document
        self.is_markdown = is_markdown
        self.nodes = 0

    def run(self, text: str) -> None:
        parser = _Parser(text)
        try:
            parser.get_event()  # StreamStart
            if parser.check_event(yaml.StreamEndEvent):
                self._report("yaml.empty", (1, 1))
                raise _Stop
            parser.get_event()  # DocumentStart
            self.document.value_positions[()] = (1, 1)
            data = self._node(parser, (), 0)
            parser.get_event()  # DocumentEnd
            if not parser.check_event(yaml.StreamEndEvent):
                event = parser.peek_event()
                self._report("yaml.multiple_documents", _mark(event))
                raise _Stop
        finally:
            dispose = getattr(parser, "dispose", None)
            if dispose:
                dispose()
        if data is None:
            self._report("yaml.empty", (1, 1))
        self.document.data = data

    def _report(self, code: str, position: tuple[int, int], path: Path_ = (), severity: str = "error", **params) -> None:
        problem = _problem(self.document, code, position[0], position[1], path, **params)
        if severity != "error":
            problem = Problem(**{**problem.__dict__, "severity": severity})
        self.document.problems.append(problem)

    def _check_event(self, event, path: Path_) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._report("yaml.too_many_nodes", _mark(event), path, limit=MAX_NODES)
            raise _Stop
        if isinstance(event, yaml.AliasEvent):
            self._report("yaml.anchor", _mark(event), path, name=event.anchor)
            raise _Stop
        if getattr(event, "anchor", None):
            self._report("yaml.anchor", _mark(event), path, name=event.anchor)
            raise _Stop
        tag = getattr(event, "tag", None)
        if tag and tag not in (_STR_TAG, "!") and not (
                isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)) and event.implicit):
            self._report("yaml.tag", _mark(event), path, tag=tag)
            raise _Stop

    def _node(self, parser, path: Path_, depth: int) -> Any:
        if depth > MAX_DEPTH:
            self._report("yaml.too_deep", _mark(parser.peek_event()), path, limit=MAX_DEPTH)
            raise _Stop
        event = parser.get_event()
        self._check_event(event, path)
        self.document.value_positions[path] = _mark(event)

        if isinstance(event, yaml.ScalarEvent):
            return self._scalar(event, path)
        if isinstance(event, yaml.SequenceStartEvent):
            items = []
            while not parser.check_event(yaml.SequenceEndEvent):
                items.append(self._node(parser, path + (len(items),), depth + 1))
            parser.get_event()
            return items
        if isinstance(event, yaml.MappingStartEvent):
            return self._mapping(parser, path, depth)
        raise _Stop  # pragma: no cover - the parser emits no other node events

    def _mapping(self, parser, path: Path_, depth: int) -> dict:
        mapping: dict = {}
        first_lines: dict[str, int] = {}
        while not parser.check_event(yaml.MappingEndEvent):
            key_event = parser.get_event()
            self._check_event(key_event, path)
            if not isinstance(key_event, yaml.ScalarEvent):
                self._report("yaml.complex_key", _mark(key_event), path)
                raise _Stop
            key = _normalise(key_event.value)
            key_position = _mark(key_event)
            child = path + (key,)
            if key in first_lines:
                self._report("yaml.duplicate_key", key_position, child, key=key,
                             first_line=first_lines[key], second_line=key_position[0])
            else:
                first_lines[key] = key_position[0]
                self.document.key_positions[child] = key_position
            value = self._node(parser, child, depth + 1)
            mapping.setdefault(key, value)
        parser.get_event()
        return mapping

    def _scalar(self, event, path: Path_) -> Any:
        raw = event.value
        # The C parser marks a plain scalar with the style "", the Python parser with None.
        plain = not event.style and event.implicit[0] and event.tag in (None, "!")
        if plain:
            self.document.plain_scalars.add(path)
            self.document.source_text[path] = raw
            if raw in _NULLS:
                return None
            if raw in _BOOLEANS:
                return _BOOLEANS[raw]
            if _INTEGER.match(raw):
                return int(raw)
        return self._text(raw, path, _mark(event))

    def _text(self, raw: str, path: Path_, position: tuple[int, int]) -> str:
        value = _normalise(raw)
        control = _RAW_FORBIDDEN.search(value)
        if control:
            # Only an escape in a double-quoted scalar can get here: the raw file was scanned.
            self._report("text.control_character", position, path, char=_character_name(control.group()))
            return value
        direction = _DIRECTION.search(value)
        if direction:
            self._report("text.direction", position, path, char=_character_name(direction.group()))
            return value
        if self.is_markdown(path):
            return value
        if value and not _INVISIBLE.sub("", value).strip():
            self._report("text.empty_invisible", position, path)
            return value
        invisible = _INVISIBLE.search(value)
        if invisible:
            self._report("text.invisible", position, path, char=_character_name(invisible.group()))
        return value


def _normalise(text: str) -> str:
    """NFC-normalise text and drop one leading byte order mark."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return unicodedata.normalize("NFC", text)


def _mark(event) -> tuple[int, int]:
    mark = event.start_mark
    return (mark.line + 1, mark.column + 1) if mark else (1, 1)
