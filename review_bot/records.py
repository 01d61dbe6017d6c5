"""The evaluation record written on main for every decision: the audit trail of the dossier."""

from __future__ import annotations

import datetime

import yaml

from portal import schemas
from portal.stages import OUTCOME_CODES, Outcome
from portal.workdays import local_date, parse_timestamp

from .state import Dossier

EVALUATIONS_DIR = "content/evaluations"


class RecordError(Exception):
    """The record the bot built does not match the evaluation schema (a bug, not a user error)."""


def record_path(slug: str, sequence: int) -> str:
    suffix = "" if sequence == 1 else f".{sequence}"
    return f"{EVALUATIONS_DIR}/{slug}{suffix}.yaml"


_BASIS = {
    "selected": "Báo cáo đánh giá của ủy viên Hội đồng đề nghị lựa chọn; cán bộ tiếp nhận công bố.",
    "not_selected": "Báo cáo đánh giá của ủy viên Hội đồng đề nghị không lựa chọn.",
    "refused": "Kết quả rà soát của cán bộ tiếp nhận.",
    "withdrawn": "Đề nghị rút hồ sơ của người đề xuất.",
}


def build_record(dossier: Dossier, sequence: int) -> dict:
    """Build the evaluation record of the dossier's decision and check it against the schema."""
    decision = dossier.decision
    outcome = OUTCOME_CODES[Outcome(decision["outcome"])]
    decided = local_date(parse_timestamp(decision["date"])).isoformat()
    record: dict = {"schema_version": 1, "slug": dossier.slug, "sequence": sequence,
                    "pull_request": dossier.number}
    if dossier.head_sha:
        record["proposal_commit"] = dossier.head_sha
    record["submitter"] = dossier.submitter
    record["received"] = dossier.received
    if dossier.preliminary:
        record["preliminary_assessment"] = dict(dossier.preliminary)
    if dossier.member:
        coordination = [entry for entry in dossier.history if entry["action"] == "assigned"]
        record["coordination"] = {"coordinator": dossier.coordinator, "council_member": dossier.member,
                                  "date": coordination[-1]["date"] if coordination else decision["date"]}
    if dossier.experts:
        record["experts"] = [dict(expert) for expert in dossier.experts]
    if dossier.opinions:
        record["opinions"] = [_opinion(opinion) for _, opinion in sorted(dossier.opinions.items())]
    visits = list(dossier.site_visits) + ([dossier.site_visit] if dossier.site_visit else [])
    if visits:
        record["site_visits"] = visits
    if dossier.report:
        record["report"] = dict(dossier.report)

    record["decision"] = {"outcome": outcome, "date": decided, "by": decision["by"], "basis": _BASIS[outcome]}
    if decision.get("reason"):
        record["decision"]["reason"] = decision["reason"]
    elif outcome != "selected":
        record["decision"]["reason"] = "Không ghi lý do."
    for key in ("reference", "signer", "document"):
        if decision.get(key):
            record["decision"][key] = decision[key]
    if outcome == "selected":
        record["decision"]["published"] = decided
    record["history"] = [dict(entry) for entry in dossier.history]

    errors = list(schemas.validator(schemas.EVALUATION).iter_errors(record))
    if errors:
        raise RecordError("; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5]))
    return record


def _opinion(opinion: dict) -> dict:
    result = {key: opinion[key] for key in ("expert", "date", "commit", "scores", "comments") if opinion.get(key)}
    if opinion.get("summary"):
        result["summary"] = opinion["summary"]
    result["stale"] = bool(opinion.get("stale"))
    return result


def dump_record(record: dict) -> str:
    header = ("# Hồ sơ đánh giá do bot rà soát ghi; không sửa tay trừ khi thu hồi qua yêu cầu kéo được duyệt.\n")
    return header + yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)


def today_iso(now: datetime.datetime) -> str:
    return local_date(now).isoformat()
