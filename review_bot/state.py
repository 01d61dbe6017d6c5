"""A dossier's state, kept inside the bot's status comment and rebuilt from it on every event.

The state is JSON inside a hidden HTML comment of the status comment. It is trusted only when
that comment was written by the bot's own account: a person who pastes the marker into their
own comment gets no say over the dossier.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
import logging
import zlib
from dataclasses import asdict, dataclass, field, fields

from portal.stages import Outcome, Stage

log = logging.getLogger(__name__)

STATUS_MARKER = "<!-- portal-review-bot:status -->"
_STATE_PREFIX = "<!-- portal-review-bot:state "
_STATE_SUFFIX = " -->"
# Marks state compressed with zlib before Base64; state without it is plain Base64 JSON, as
# written by earlier versions of the bot.
_COMPRESSED = "z:"


@dataclass
class Dossier:
    number: int
    submitter: str
    received: str
    stage: str = Stage.SUBMITTED.value
    stage_since: str = ""
    slug: str | None = None
    proposal_path: str | None = None
    title: str = ""
    owner_name: str | None = None
    owner_tax_code: str | None = None
    fields: list = field(default_factory=list)
    head_sha: str | None = None
    proposal_sha: str | None = None
    valid: bool = False
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    scope_problems: list = field(default_factory=list)
    update_of_published: bool = False
    officer: str | None = None
    coordinator: str | None = None
    member: str | None = None
    experts: list = field(default_factory=list)
    opinions: dict = field(default_factory=dict)
    preliminary: dict | None = None
    report: dict | None = None
    returned: dict | None = None
    site_visit: dict | None = None
    site_visits: list = field(default_factory=list)
    paused_days: int = 0
    overdue: bool = False
    last_reminder: str | None = None
    decision: dict | None = None
    record_path: str | None = None
    cursor: int = 0
    history: list = field(default_factory=list)

    # --- stage helpers -----------------------------------------------------------------------

    @property
    def open_stage(self) -> Stage | None:
        for stage in Stage:
            if stage.value == self.stage:
                return stage
        return None

    @property
    def outcome(self) -> Outcome | None:
        for outcome in Outcome:
            if outcome.value == self.stage:
                return outcome
        return None

    def move_to(self, target: Stage | Outcome, now: datetime.datetime) -> None:
        self.stage = target.value
        self.stage_since = timestamp(now)
        self.overdue = False
        self.last_reminder = None

    def log(self, now: datetime.datetime, action: str, actor: str | None = None,
            note: str | None = None, commit: str | None = None) -> None:
        """Append one step to the history that ends up in the evaluation record."""
        entry = {"date": timestamp(now), "action": action}
        if actor:
            entry["actor"] = actor
        stage = self.open_stage
        if stage is not None:
            entry["stage"] = stage.number
        if note:
            entry["note"] = note
        if commit:
            entry["commit"] = commit
        self.history.append(entry)

    def expert_logins(self) -> list[str]:
        return [expert["login"] for expert in self.experts]

    def waiting_for_submitter(self) -> bool:
        return bool(self.returned) or not self.valid or bool(self.scope_problems)

    # --- serialisation -----------------------------------------------------------------------

    def encode(self) -> str:
        raw = json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        # The history of a long dossier repeats itself, so zlib keeps the comment far below
        # GitHub's size limit. Base64 keeps "-->" and any Markdown out of the hidden comment.
        packed = base64.b64encode(zlib.compress(raw.encode("utf-8"), 9)).decode("ascii")
        return _STATE_PREFIX + _COMPRESSED + packed + _STATE_SUFFIX

    @classmethod
    def decode(cls, body: str) -> "Dossier | None":
        start = body.find(_STATE_PREFIX)
        if start < 0:
            return None
        end = body.find(_STATE_SUFFIX, start + len(_STATE_PREFIX))
        payload = body[start + len(_STATE_PREFIX):end]
        try:
            if payload.startswith(_COMPRESSED):
                raw = zlib.decompress(base64.b64decode(payload[len(_COMPRESSED):], validate=True))
            else:
                raw = base64.b64decode(payload, validate=True)
            data = json.loads(raw.decode("utf-8"))
        except (binascii.Error, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as error:
            log.error("The bot's status comment holds unreadable state (%s); starting afresh", error)
            return None
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
