"""Problems found in a proposal or evaluation record, and the three ways they are reported.

A problem always names the file, the line and column, the key path with its Vietnamese title,
what is wrong and how to fix it. The same list renders as text for people, JSON for programs
and workflow commands for GitHub Actions annotations.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, located as precisely as the reader allows."""

    file: str
    line: int
    column: int
    path: str
    message: str
    fix: str = ""
    title: str = ""
    code: str = ""
    severity: str = ERROR
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def location(self) -> str:
        """Return the key path with its Vietnamese title, such as `owner.tax_code (Mã số thuế)`."""
        where = self.path or "(toàn bộ tệp)"
        if self.title:
            where = f"{where} ({self.title})"
        return where

    def as_text(self) -> str:
        """Format the problem as `file:line:column: key.path (Tiêu đề): message Cách sửa: fix`."""
        text = f"{self.file}:{self.line}:{self.column}: {self.location()}: "
        if self.severity == WARNING:
            text += "Cảnh báo: "
        text += self.message
        if self.fix:
            text += f" Cách sửa: {self.fix}"
        return text

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("extra")
        data["text"] = self.as_text()
        return data

    def as_github_annotation(self) -> str:
        """Format the problem as a GitHub Actions workflow command (`::error file=…::…`)."""
        command = "error" if self.severity == ERROR else "warning"
        title = _escape_property(self.location())
        body = self.message + (f" Cách sửa: {self.fix}" if self.fix else "")
        return (
            f"::{command} file={_escape_property(self.file)},line={self.line},"
            f"col={self.column},title={title}::{_escape_data(body)}"
        )


def _escape_data(text: str) -> str:
    # GitHub's workflow command syntax percent-encodes %, CR and LF in the message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # Property values additionally encode the separators ':' and ','.
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.path, p.message))


def render(problems: list[Problem], output_format: str) -> str:
    """Render problems as `text`, `json` or `github` output."""
    ordered = sort_problems(problems)
    if output_format == "json":
        return json.dumps([p.as_dict() for p in ordered], ensure_ascii=False, indent=2)
    if output_format == "github":
        return "\n".join(p.as_github_annotation() for p in ordered)
    return "\n".join(p.as_text() for p in ordered)
