"""The wiring: read a pull request's state from GitHub, run the decision function, write back.

Order of writes keeps a crash repairable: the status comment (which contains the state, including
a pending decision) is saved first, then replies and assignments, then the decision itself
(merge or close, the evaluation record, the publication dispatch), the status again, then labels.
The next run on the same pull request, or the scheduled run, finishes a decision that was left
half done.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from github import GithubException

from portal import schemas
from portal.stages import (Condition, FIELD_LABEL_PREFIX, LABEL_COLOURS, LABEL_DESCRIPTIONS, Outcome,
                           STAGE_AND_OUTCOME_LABELS, Stage, field_label, stage_of_label)
from portal.validate import validate_proposal_bytes
from portal.workdays import local_date, parse_timestamp

from . import decide
from .actions import Assign, Finish, Reply, RequestReviewers
from .attachments import ApiAttachments
from .client import GitHubClient, PullInfo, RetriesExhausted, WriteRefused, pull_info
from .config import CONFIG_PATH, INTAKE_OFFICER, ROSTER_PATH, Config, Roster, parse_config, parse_roster
from .intake_adapter import IntakeAdapter
from .issue_intake import handle_issue_event, submitter_from_body
from .prefilter import skip_reason
from .records import build_record, dump_record, record_path
from .state import STATUS_MARKER, Dossier
from .status import render

log = logging.getLogger(__name__)

_PROPOSAL = re.compile(r"^content/proposals/(?P<slug>[^/]+)\.yaml$")


class BotFailure(Exception):
    """The run could not handle every pull request; the message lists those left."""


def load_settings(client: GitHubClient, base_branch: str,
                  checkout: str | os.PathLike | None = None) -> tuple[Config, Roster]:
    """Read the configuration and roster from the base branch, never from a pull request.

    `checkout` is a folder holding a checkout of the base branch, as the workflow makes before
    it runs the bot. When the roster is there, both files are read from disk (a missing
    configuration file gives the defaults, as it does through the API) and no request is made;
    otherwise they are read through the contents API.
    """
    if checkout is not None and (Path(checkout) / ROSTER_PATH).is_file():
        root = Path(checkout)
        config_path = root / CONFIG_PATH
        config = parse_config(config_path.read_text(encoding="utf-8") if config_path.is_file() else None)
        roster = parse_roster((root / ROSTER_PATH).read_text(encoding="utf-8"))
        log.info("Read %s and %s from the checkout in %s", CONFIG_PATH, ROSTER_PATH, root)
        return config, roster
    config_file = client.read_file(CONFIG_PATH, base_branch)
    config = parse_config(config_file[0].decode("utf-8") if config_file else None)
    roster_file = client.read_file(ROSTER_PATH, base_branch)
    roster = parse_roster(roster_file[0].decode("utf-8") if roster_file else None)
    return config, roster


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


@dataclass
class _Run:
    pull: PullInfo
    dossier: Dossier
    status_id: int | None
    saved_body: str | None


class Bot:
    def __init__(self, client: GitHubClient, config: Config, roster: Roster, clock=_utc_now):
        self.client = client
        self.config = config
        self.roster = roster
        self.clock = clock
        self.read_only = False
        self.annotations: list[str] = []
        self.client.own_login = config.bot_login
        # Identifies the event being handled; comment idempotency keys are derived from it.
        self.event_key = "direct"

    # --- entry points --------------------------------------------------------------------------

    def handle(self, event_name: str, payload: dict) -> None:
        action = payload.get("action")
        self.event_key = event_key(event_name, payload)
        if event_name in ("pull_request", "pull_request_target"):
            number = payload["pull_request"]["number"]
            if action in ("opened", "synchronize", "reopened", "ready_for_review", "closed", "edited"):
                # The payload carries the whole pull request as it was when the event fired; a later
                # push or closing queues its own event, which runs after this one.
                self.process(number, pull=pull_info(payload["pull_request"]))
            return
        if event_name == "issue_comment":
            reason = skip_reason(event_name, payload, self.config.bot_login)
            if reason is not None:
                # The next command, push or scheduled run repairs anything an earlier lost event left.
                log.info("Nothing to do: %s", reason)
                return
            self.process(payload["issue"]["number"])
            return
        if event_name in ("schedule", "workflow_dispatch"):
            self.run_schedule()
            return
        if event_name == "issues":
            adapter = IntakeAdapter(self.client, self.config.base_branch)
            result = handle_issue_event(payload, adapter, on_pull_ready=self.process)
            log.info("Issue #%s/%s: handled=%s, pull request %s, %d form errors",
                     (payload.get("issue") or {}).get("number"), action, result.handled,
                     result.pull_number, len(result.errors))
            return
        log.info("Event %s/%s is not handled", event_name, action)

    def process(self, number: int, tick: bool = False, pull: PullInfo | None = None) -> Dossier | None:
        """Bring one pull request up to date with everything GitHub stores about it.

        `pull` is the pull request as the event's payload gives it; without it, it is read."""
        now = self.clock()
        run = self._load(number, pull)
        if run is None:
            return None
        dossier = run.dossier
        context = decide.Context(self.config, self.roster, now, lambda: self._choose_officer(dossier))
        actions: list = []

        if dossier.decision and not dossier.decision.get("done"):
            actions.append(Finish())
        if run.pull.state == "open" and dossier.outcome is None and dossier.head_sha != run.pull.head_sha:
            submission = self._read_submission(run.pull)
            if not submission.touches_proposals and run.status_id is None:
                log.info("PR #%s changes no proposal; not a dossier", number)
                return None
            actions += decide.on_submission(dossier, submission, context)
        for comment in self._comments:
            if comment["id"] != run.status_id:
                actions += decide.on_comment(dossier, decide.Comment(**comment), context)
        if tick and run.pull.state == "open":
            actions += decide.on_tick(dossier, context)

        self._apply(run, actions, now)
        return dossier

    # --- reading -------------------------------------------------------------------------------

    def _load(self, number: int, pull: PullInfo | None = None) -> _Run | None:
        if pull is None:
            pull = self.client.get_pull(number)
        comments = sorted(self.client.list_comments(number), key=lambda c: c["id"])
        status = None
        for comment in comments:
            # Only the bot's own comment counts: a person pasting the marker takes over nothing.
            if comment["login"].lower() == self.config.bot_login.lower() and STATUS_MARKER in comment["body"]:
                status = comment
                break
        dossier = Dossier.decode(status["body"]) if status else None
        if dossier is None:
            dossier = Dossier(number=number, submitter=self._submitter(pull), received=pull.created_at)
        self._comments = comments
        return _Run(pull, dossier, status["id"] if status else None, status["body"] if status else None)

    def _submitter(self, pull: PullInfo) -> str:
        """Return the submitter: the author, or for a pull request the bot opened from the issue
        form, the issue's author recorded in its body. A body written by anyone else grants nothing."""
        if pull.author.lower() == self.config.bot_login.lower():
            recorded = submitter_from_body(pull.body)
            if recorded:
                return recorded
            log.warning("PR #%s was opened by the bot but records no submitter", pull.number)
        return pull.author

    def _read_submission(self, pull: PullInfo) -> decide.Submission:
        files = self.client.list_files(pull.number)
        submission = decide.Submission(head_sha=pull.head_sha)
        proposals = [f for f in files if _PROPOSAL.match(f["filename"])]
        submission.touches_proposals = any(f["filename"].startswith("content/proposals/") for f in files)

        if not proposals:
            submission.scope_problems.append("Yêu cầu kéo không thêm hay sửa tệp đề xuất nào "
                                             "(content/proposals/<slug>.yaml).")
            return submission
        if len(proposals) > 1:
            names = ", ".join(f["filename"] for f in proposals)
            submission.scope_problems.append(f"Yêu cầu kéo thay đổi {len(proposals)} tệp đề xuất ({names}); "
                                             "mỗi yêu cầu kéo chỉ thêm hoặc sửa đúng một đề xuất.")
            return submission
        proposal = proposals[0]
        slug = _PROPOSAL.match(proposal["filename"]).group("slug")
        submission.slug, submission.proposal_path, submission.proposal_sha = slug, proposal["filename"], proposal["sha"]
        folder = f"content/proposals/{slug}/"
        for entry in files:
            if entry is proposal or entry["filename"].startswith(folder):
                continue
            submission.scope_problems.append(f"Tệp {entry['filename']} nằm ngoài hồ sơ đề xuất; chỉ được thay đổi "
                                             f"{proposal['filename']} và thư mục {folder}.")
        if proposal["status"] == "removed":
            submission.scope_problems.append(f"Yêu cầu kéo xóa tệp đề xuất {proposal['filename']}; "
                                             "việc thu hồi được làm qua hồ sơ đánh giá.")
            return submission

        content = self.client.read_file(proposal["filename"], pull.head_sha)
        if content is None:
            submission.problems.append(f"{proposal['filename']}: không đọc được tệp ở commit {pull.head_sha[:7]}.")
            return submission
        document = validate_proposal_bytes(content[0], proposal["filename"],
                                           self._attachments(slug, pull.head_sha, content[0], files))
        errors = [p for p in document.problems if p.is_error]
        submission.problems = [p.as_text() for p in errors]
        submission.warnings = [p.as_text() for p in document.problems if not p.is_error]
        self.annotations += [p.as_github_annotation() for p in document.problems]
        submission.data = document.data if isinstance(document.data, dict) else None
        if proposal["status"] != "added":
            latest = self._latest_record(slug)
            submission.published_before = bool(latest and latest.get("decision", {}).get("outcome") == "selected")
        return submission

    def _attachments(self, slug: str, head_sha: str, raw: bytes, files: list[dict]) -> ApiAttachments | None:
        """Return the attachment folder to check, or None when the proposal declares no attachment
        and the pull request changes none (the usual case, which then costs no request)."""
        folder = f"content/proposals/{slug}/"
        touched = any(entry["filename"].startswith(folder) for entry in files)
        if not touched and b"attachments:" not in raw:
            return None
        return ApiAttachments(self.client, slug, head_sha)

    def _records(self, slug: str):
        sequence = 1
        while True:
            path = record_path(slug, sequence)
            found = self.client.read_file(path, self.config.base_branch)
            if found is None:
                return
            try:
                data = yaml.safe_load(found[0].decode("utf-8"))
            except (yaml.YAMLError, UnicodeDecodeError) as error:
                log.error("Evaluation record %s is unreadable: %s", path, error)
                data = {}
            yield sequence, path, data if isinstance(data, dict) else {}
            sequence += 1

    def _latest_record(self, slug: str) -> dict | None:
        latest = None
        for _, _, data in self._records(slug):
            latest = data
        return latest

    def _choose_officer(self, dossier: Dossier) -> str | None:
        """Pick the intake officer with the fewest open dossiers, never one in conflict."""
        candidates = [p for p in self.roster.with_role(INTAKE_OFFICER)
                      if p.login.lower() != dossier.submitter.lower()
                      and not p.works_for(dossier.owner_name, dossier.owner_tax_code)]
        if not candidates:
            return None
        load = {p.login.lower(): 0 for p in candidates}
        for assignees in self.client.open_assignees():
            for login in assignees:
                if login.lower() in load:
                    load[login.lower()] += 1
        return min(candidates, key=lambda p: (load[p.login.lower()], p.login)).login

    # --- writing -------------------------------------------------------------------------------

    def _apply(self, run: _Run, actions: list, now: datetime.datetime) -> None:
        number = run.pull.number
        try:
            self._save_status(run, now)
            for index, action in enumerate(actions):
                if isinstance(action, Reply):
                    self.client.create_comment(number, action.text, key=self._reply_key(number, index, action.text))
                elif isinstance(action, Assign):
                    self.client.add_assignee(number, action.login)
                elif isinstance(action, RequestReviewers):
                    self.client.request_reviewers(number, list(action.logins))
            if any(isinstance(action, Finish) for action in actions):
                self._finish(run, now)
            if run.dossier.outcome is Outcome.PUBLISHED and run.dossier.decision.get("dispatched") is False:
                # Before the status is saved: a crash in between dispatches the publication once
                # more on repair, which only rebuilds the same site.
                self.client.dispatch(self.config.publication_workflow, self.config.base_branch)
                run.dossier.decision["dispatched"] = True
            self._save_status(run, now)  # changes nothing when nothing changed since the first save
            self._sync_labels(number, run.dossier)
        except WriteRefused as error:
            self.read_only = True
            log.error("PR #%s: GitHub refused a write (%s). The token is read-only, as it is for a pull "
                      "request from a fork; the validation result is still reported as check annotations.",
                      number, error)

    def _reply_key(self, number: int, index: int, text: str) -> str:
        raw = f"{self.event_key}|{number}|{index}|{text}"
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]

    def _save_status(self, run: _Run, now: datetime.datetime) -> None:
        body = render(run.dossier, self.config, self.roster, now)
        if body == run.saved_body:
            return
        if run.status_id is None:
            run.status_id = self.client.create_comment(run.pull.number, body, key=f"status-{run.pull.number}")
            log.info("PR #%s: created the status comment %s", run.pull.number, run.status_id)
        else:
            self.client.edit_comment(run.status_id, body)
        run.saved_body = body

    def _finish(self, run: _Run, now: datetime.datetime) -> None:
        """Carry out a pending decision; every step is skipped when it was done before."""
        dossier, pull = run.dossier, run.pull
        outcome = Outcome(dossier.decision["outcome"])
        if outcome is Outcome.PUBLISHED and not pull.merged:
            try:
                merged = self.client.merge(pull.number, dossier.head_sha, f"Công bố {dossier.slug} (#{pull.number})")
            except GithubException as error:
                merged = False
                log.error("PR #%s: merge failed: %s", pull.number, error)
            if not merged:
                dossier.decision = None
                dossier.history = [h for h in dossier.history if h["action"] != "published"]
                text = ("Không hợp nhất được yêu cầu kéo (có xung đột hoặc commit mới). Hồ sơ vẫn chờ công bố; "
                        "xin kiểm tra rồi chạy lại `/cong-bo`.")
                self.client.create_comment(pull.number, text, key=self._reply_key(pull.number, -1, text))
                return
            log.info("PR #%s: merged by %s", pull.number, dossier.decision["by"])
        dossier.record_path = self.write_record(dossier)
        if outcome is not Outcome.PUBLISHED and pull.state == "open":
            self.client.close(pull.number)
            log.info("PR #%s: closed as %s", pull.number, outcome.value)
        dossier.decision["done"] = True
        dossier.decision["dispatched"] = False if outcome is Outcome.PUBLISHED else None
        dossier.move_to(outcome, now)

    def write_record(self, dossier: Dossier) -> str:
        """Write the decision's evaluation record on the base branch, once per pull request."""
        sequence = 1
        for sequence, path, data in self._records(dossier.slug):
            if data.get("pull_request") == dossier.number:
                log.info("PR #%s: record %s already written", dossier.number, path)
                return path
            sequence += 1
        record = build_record(dossier, sequence)
        path = record_path(dossier.slug, sequence)
        # `_records` stopped at this path because it does not exist: no need to read it again.
        self.client.write_file(path, dump_record(record),
                               f"Ghi hồ sơ đánh giá {dossier.slug} (#{dossier.number})", self.config.base_branch,
                               absent=True)
        log.info("PR #%s: wrote evaluation record %s (%s)", dossier.number, path, record["decision"]["outcome"])
        return path

    def _wanted_labels(self, dossier: Dossier) -> list[str]:
        wanted = [dossier.stage]
        if dossier.outcome is None:
            if dossier.problems:
                wanted.append(Condition.INVALID.value)
            if dossier.scope_problems:
                wanted.append(Condition.OUT_OF_SCOPE.value)
            if dossier.returned:
                wanted.append(Condition.NEEDS_SUPPLEMENT.value)
            if dossier.site_visit:
                wanted.append(Condition.SITE_VISIT.value)
            if dossier.overdue:
                wanted.append(Condition.OVERDUE.value)
        for code in dossier.fields:
            try:
                wanted.append(field_label(schemas.label("fields", code)))
            except KeyError:
                log.warning("PR #%s: unknown field %r gets no label", dossier.number, code)
        return wanted

    def _sync_labels(self, number: int, dossier: Dossier) -> None:
        """Keep exactly one stage or outcome label and the bot's condition and field labels, and
        every other label as it is, in one request. GitHub creates a label the repository lacks;
        such a new label then gets the bot's colour and description."""
        wanted = self._wanted_labels(dossier)
        current = self.client.labels_of(number)  # re-read just before writing
        managed = set(STAGE_AND_OUTCOME_LABELS) | {c.value for c in Condition}
        kept = [name for name in current
                if name in wanted or not (name in managed or name.startswith(FIELD_LABEL_PREFIX))]
        missing = [name for name in wanted if name not in current]
        if not missing and len(kept) == len(current):
            return
        result = self.client.set_labels(number, kept + missing)
        for label in result:
            if label["name"] not in missing:
                continue
            colour, description = label_style(label["name"])
            created_by_github = (label.get("color") or "").lower() == "ededed" and not label.get("description")
            if created_by_github and (colour != "ededed" or description):
                self.client.update_label(label["name"], colour, description)

    # --- the scheduled run ---------------------------------------------------------------------

    def run_schedule(self) -> list[dict]:
        """Check deadlines of every open dossier, repair unfinished decisions, write the snapshot."""
        now = self.clock()
        left: list[int] = []
        snapshot: list[dict] = []
        try:
            since = now - datetime.timedelta(days=14)
            for number, labels in self.client.closed_with_labels_since(since):
                if any(isinstance(stage_of_label(label), Stage) for label in labels):
                    log.info("PR #%s is closed but still at an open step; finishing it", number)
                    self.process(number)
            numbers = self.client.open_pulls()
        except RetriesExhausted as error:
            raise BotFailure(f"Could not list pull requests: {error}") from error

        for index, number in enumerate(numbers):
            try:
                dossier = self.process(number, tick=True)
            except RetriesExhausted as error:
                left = numbers[index:]
                log.error("Giving up: %s", error)
                break
            except Exception:  # one broken pull request must not stop the others
                log.exception("PR #%s: scheduled run failed", number)
                left.append(number)
                continue
            if dossier is not None and dossier.open_stage is not None:
                snapshot.append(snapshot_entry(dossier, self.config, now))

        if not left:
            self.write_snapshot(snapshot, now)
        if left:
            raise BotFailure("Pull requests not handled: " + ", ".join(f"#{n}" for n in left))
        return snapshot

    def write_snapshot(self, entries: list[dict], now: datetime.datetime) -> None:
        data = {"date": local_date(now).isoformat(), "open": sorted(entries, key=lambda e: e["number"])}
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        try:
            self.client.write_file(self.config.snapshot_path, text, "Cập nhật danh sách hồ sơ đang xử lý",
                                   self.config.base_branch)
        except WriteRefused as error:
            log.error("Snapshot not written: %s", error)


def event_key(event_name: str, payload: dict) -> str:
    """Return a key that is the same for every delivery of one event and differs between events."""
    action = payload.get("action") or ""
    if event_name == "issue_comment":
        return f"{event_name}:{action}:{(payload.get('comment') or {}).get('id')}"
    if event_name in ("pull_request", "pull_request_target"):
        pull = payload.get("pull_request") or {}
        return f"{event_name}:{action}:{pull.get('number')}:{(pull.get('head') or {}).get('sha')}"
    if event_name == "issues":
        issue = payload.get("issue") or {}
        return f"{event_name}:{action}:{issue.get('number')}:{issue.get('updated_at')}"
    return f"{event_name}:{action}"


def snapshot_entry(dossier: Dossier, config: Config, now: datetime.datetime) -> dict:
    """Describe one open dossier for the tracking page, with no personal data."""
    since = local_date(parse_timestamp(dossier.stage_since)) if dossier.stage_since else local_date(now)
    due = decide.deadline(dossier, config, now)
    return {
        "number": dossier.number,
        "stage": dossier.open_stage.number,
        "stage_label": dossier.stage,
        "since": since.isoformat(),
        "working_days_in_stage": config.calendar.working_days_between(since, local_date(now)),
        "deadline": due.isoformat() if due else None,
        "overdue": dossier.overdue,
        "paused": bool(dossier.site_visit or dossier.returned),
        "waiting_for_submitter": dossier.waiting_for_submitter(),
        "fields": list(dossier.fields),
    }


def label_style(name: str) -> tuple[str, str]:
    """Return (colour, description) for a label the bot manages."""
    for member, colour in LABEL_COLOURS.items():
        if member.value == name:
            return colour, LABEL_DESCRIPTIONS[member]
    if name.startswith(FIELD_LABEL_PREFIX):
        return "ededed", "Lĩnh vực: " + name[len(FIELD_LABEL_PREFIX):]
    return "ededed", ""


def all_labels() -> list[str]:
    """Return every label the bot uses, for the setup command."""
    names = list(STAGE_AND_OUTCOME_LABELS) + [c.value for c in Condition]
    names += [field_label(schemas.label("fields", code)) for code in schemas.codes("fields")]
    return names
