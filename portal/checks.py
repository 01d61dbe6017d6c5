"""Checks a JSON Schema cannot express: tax-code check digits, provinces, country codes, file
names, real dates and attachments.

Each check only looks at values that already have the right type, so a value the schema
rejects is reported once, by the schema.
"""

from __future__ import annotations

import datetime
import functools
import re
from pathlib import Path
from typing import Protocol

from babel import Locale
from stdnum.vn import mst

from . import schemas
from .messages import render_message
from .problems import Problem
from .provinces import check_province
from .yamlread import Document, format_path, human_size

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAX_CODE = re.compile(r"^[0-9]{10}(?:-[0-9]{3})?$")
PARTIAL_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# Enough leading bytes to tell every signature below apart (WebP needs 12).
ATTACHMENT_HEAD_BYTES = 16

# Leading bytes of the file types accepted as attachments. WebP is a RIFF container whose
# format name sits at offset 8.
_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
)
_KNOWN_OTHER = (
    (b"PK\x03\x04", "ZIP/DOCX/XLSX"),
    (b"MZ", "chương trình Windows (EXE)"),
    (b"\x7fELF", "chương trình (ELF)"),
    (b"GIF8", "GIF"),
    (b"<svg", "SVG"),
    (b"<?xml", "XML/SVG"),
    (b"<!DOCTYPE html", "HTML"),
    (b"<html", "HTML"),
    (b"\xd0\xcf\x11\xe0", "Office cũ (DOC/XLS)"),
)


def _today() -> datetime.date:
    return datetime.date.today()


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes known to Babel's CLDR data (numeric regions excluded)."""
    return frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha())


class _Checker:
    def __init__(self, document: Document, schema_name: str):
        self.document = document
        self.schema_name = schema_name
        self.problems: list[Problem] = []

    def add(self, code: str, path: tuple, severity: str = "error", **params) -> None:
        message, fix = render_message(code, **params)
        line, column = self.document.position(path)
        title = schemas.title_for(self.schema_name, path, self.document.data)
        self.problems.append(Problem(self.document.file, line, column, format_path(path), message, fix,
                                     title=title, code=code, severity=severity))


class AttachmentSource(Protocol):
    """The files of a proposal's attachment folder, wherever they are stored."""

    display_folder: str  # as shown in messages, for example "content/proposals/<slug>/"

    def files(self) -> dict[str, int]:
        """Return {file name: size in bytes} of the files directly in the folder ({} when absent)."""

    def head(self, name: str) -> bytes:
        """Return at least the first ATTACHMENT_HEAD_BYTES bytes of one file (fewer if it is shorter)."""


class LocalAttachments:
    """An attachment folder on the file system."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.display_folder = f"content/proposals/{folder.name}/"
        self.symlinks: set[str] = set()

    def files(self) -> dict[str, int]:
        """Return the regular files; symbolic links are kept aside in `symlinks`, unread."""
        if not self.folder.is_dir() or self.folder.is_symlink():
            return {}
        found = {}
        for entry in sorted(self.folder.iterdir()):
            if entry.is_symlink():
                self.symlinks.add(entry.name)
            elif entry.is_file():
                found[entry.name] = entry.stat().st_size
        return found

    def head(self, name: str) -> bytes:
        with open(self.folder / name, "rb") as handle:
            return handle.read(ATTACHMENT_HEAD_BYTES)


def attachment_problem(name: str, size: int, head_bytes: bytes | None) -> tuple[str, dict] | None:
    """Check one attachment by its size and leading bytes; return (message code, parameters) or None.

    A file above MAX_ATTACHMENT_BYTES is rejected by its size alone, so callers pass None as
    `head_bytes` for it and need not read it.
    """
    if size > MAX_ATTACHMENT_BYTES:
        return "check.attachment_too_large", {"value": name, "size": human_size(size),
                                              "limit": human_size(MAX_ATTACHMENT_BYTES)}
    head = head_bytes or b""
    if _sniff(head) is None:
        return "check.attachment_type", {"value": name, "detected": _describe_unknown(head)}
    return None


def check_proposal(document: Document, file_path: Path | None,
                   attachments_dir: "Path | AttachmentSource | None") -> list[Problem]:
    """Run every check a schema cannot express on a loaded proposal.

    `attachments_dir` is a folder on disk or any AttachmentSource (the review bot reads the
    pull request's folder through the GitHub API); None skips the attachment checks.
    """
    data = document.data
    checker = _Checker(document, schemas.PROPOSAL)

    _check_file_name(checker, data, file_path)
    _check_owner(checker, data.get("owner"))
    _check_deployments(checker, data.get("deployments"))
    _check_years(checker, data)
    _check_attachments(checker, data.get("attachments"), attachments_dir)
    return checker.problems


def _check_file_name(checker: _Checker, data: dict, file_path: Path | None) -> None:
    if file_path is None:
        return
    stem = file_path.stem
    if file_path.suffix != ".yaml":
        checker.add("file.wrong_extension", (), expected=f"{stem}.yaml")
    if not SLUG.match(stem):
        suggestion = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "ten-de-xuat"
        checker.add("check.file_name", (), value=file_path.name, expected=suggestion)
    slug = data.get("slug")
    if isinstance(slug, str) and SLUG.match(slug) and slug != stem:
        checker.add("check.slug_file", ("slug",), value=slug, expected=stem)


def _check_owner(checker: _Checker, owner) -> None:
    if not isinstance(owner, dict):
        return
    country = owner.get("country")
    if isinstance(country, str) and re.fullmatch("[A-Z]{2}", country) and country not in country_codes():
        checker.add("check.country_code", ("owner", "country"), value=country)

    tax_code = owner.get("tax_code")
    if isinstance(tax_code, str) and TAX_CODE.match(tax_code) and not mst.is_valid(tax_code):
        checker.add("check.tax_code_checksum", ("owner", "tax_code"), value=tax_code)

    province = owner.get("province")
    if isinstance(province, str) and province.strip() and country == "VN":
        _report_province(checker, ("owner", "province"), province, allow_nationwide=False)


def _report_province(checker: _Checker, path: tuple, value: str, allow_nationwide: bool) -> None:
    verdict = check_province(value, allow_nationwide=allow_nationwide)
    if not verdict.ok:
        checker.add(verdict.code, path, value=value, expected=verdict.suggestion)


def _check_deployments(checker: _Checker, deployments) -> None:
    if not isinstance(deployments, list):
        return
    for index, deployment in enumerate(deployments):
        if not isinstance(deployment, dict):
            continue
        province = deployment.get("province")
        if isinstance(province, str) and province.strip():
            _report_province(checker, ("deployments", index, "province"), province, allow_nationwide=True)
        since = deployment.get("since")
        if isinstance(since, str) and PARTIAL_DATE.match(since):
            _check_partial_date(checker, ("deployments", index, "since"), since)


def _check_partial_date(checker: _Checker, path: tuple, value: str) -> None:
    parts = [int(part) for part in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    try:
        start = datetime.date(year, month, day)
    except ValueError:
        checker.add("check.date_invalid", path, value=value)
        return
    if start > _today():
        checker.add("check.date_future", path, value=value)


def _check_years(checker: _Checker, data: dict) -> None:
    awards = data.get("awards")
    if not isinstance(awards, list):
        return
    for index, award in enumerate(awards):
        year = award.get("year") if isinstance(award, dict) else None
        if isinstance(year, (int, str)) and str(year).isdigit() and int(year) > _today().year:
            checker.add("check.date_future", ("awards", index, "year"), value=year)


def _sniff(head: bytes) -> str | None:
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _describe_unknown(head: bytes) -> str:
    stripped = head.lstrip()
    for signature, name in _KNOWN_OTHER:
        if stripped.lower().startswith(signature.lower()):
            return f" (nội dung thực tế là {name})"
    return ""


def _check_attachments(checker: _Checker, attachments, source: "Path | AttachmentSource | None") -> None:
    if source is None:
        return
    if isinstance(source, Path):
        source = LocalAttachments(source)
    if not isinstance(attachments, list):
        attachments = []
    present = source.files()
    declared = set()
    for index, attachment in enumerate(attachments):
        if not isinstance(attachment, dict):
            continue
        name = attachment.get("file")
        if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
            continue
        declared.add(name)
        path = ("attachments", index, "file")
        if name in getattr(source, "symlinks", ()):
            checker.add("check.attachment_symlink", path, value=name, expected=source.display_folder)
            continue
        if name not in present:
            checker.add("check.attachment_missing", path, value=name, expected=source.display_folder)
            continue
        size = present[name]
        head = None if size > MAX_ATTACHMENT_BYTES else source.head(name)
        problem = attachment_problem(name, size, head)
        if problem is not None:
            code, params = problem
            checker.add(code, path, **params)

    for name in sorted(present):
        if name not in declared:
            checker.add("check.attachment_outside", ("attachments",), severity="warning", value=name)
    for name in sorted(getattr(source, "symlinks", ())):
        if name not in declared:
            checker.add("check.attachment_symlink", ("attachments",), value=name, expected=source.display_folder)


def check_record(document: Document, file_path: Path) -> list[Problem]:
    """Check that an evaluation record's file name matches its slug and sequence."""
    data = document.data
    checker = _Checker(document, schemas.EVALUATION)
    slug, sequence = data.get("slug"), data.get("sequence")
    if isinstance(slug, str) and isinstance(sequence, int) and not isinstance(sequence, bool):
        expected = f"{slug}.yaml" if sequence == 1 else f"{slug}.{sequence}.yaml"
        if file_path.name != expected:
            checker.add("check.record_file", ("slug",), value=file_path.name, expected=expected)
    return checker.problems
