"""The GitHub changes the decision function requests from the wiring, as plain values."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class Assign:
    login: str


@dataclass(frozen=True)
class RequestReviewers:
    logins: tuple


@dataclass(frozen=True)
class Finish:
    """Carry out the dossier's pending decision: merge or close, then write the record."""
