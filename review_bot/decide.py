"""The pure decision function: given an event and the dossier rebuilt from GitHub, what changes.

Nothing here calls GitHub. `on_submission` handles a push (or the first sight of a pull
request), `on_comment` runs the commands of one newly created comment, and `on_tick` is the
scheduled deadline check. Each mutates the `Dossier` and returns the actions for the wiring.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from typing import Callable

import jsonschema

from portal import SCHEMA_DIR
from portal.stages import Outcome, Stage
from portal.textfold import search_key
from portal.workdays import local_date, parse_timestamp
from portal.yamlread import format_path, load_text

from . import commands as cmd
from .actions import Assign, Finish, Reply, RequestReviewers
from .config import (ANYONE, COORDINATOR, COUNCIL_MEMBER, EXPERT, INTAKE_OFFICER, SUBMITTER,
                     Config, Roster)
from .state import Dossier, timestamp
from .text import code_login, mention, neutralise

log = logging.getLogger(__name__)

STEP_OF_STAGE = {
    Stage.INTAKE: "intake",
    Stage.COORDINATION: "coordination",
    Stage.EVALUATION: "evaluation",
    Stage.PUBLICATION: "publication",
}

_LOGIN = re.compile(r"@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))")


@dataclass
class Submission:
    """The pull request's files at its head commit, as the wiring read them."""

    head_sha: str
    slug: str | None = None
    proposal_path: str | None = None
    proposal_sha: str | None = None
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    scope_problems: list = field(default_factory=list)
    data: dict | None = None
    published_before: bool = False
    touches_proposals: bool = True


@dataclass
class Comment:
    id: int
    login: str
    user_type: str
    created_at: str
    updated_at: str
    body: str


@dataclass
class Context:
    config: Config
    roster: Roster
    now: datetime.datetime
    choose_officer: Callable[[], str | None] = lambda: None


# --- submission -------------------------------------------------------------------------------


def on_submission(dossier: Dossier, submission: Submission, context: Context) -> list:
    """Validate a new head commit: stay at step 1 while invalid, else go to intake."""
    if dossier.outcome is not None or submission.head_sha == dossier.head_sha:
        return []
    now = context.now
    actions: list = []
    first_time = dossier.head_sha is None
    proposal_changed = dossier.proposal_sha is not None and submission.proposal_sha != dossier.proposal_sha

    dossier.head_sha = submission.head_sha
    dossier.proposal_sha = submission.proposal_sha
    dossier.slug = submission.slug or dossier.slug
    dossier.proposal_path = submission.proposal_path or dossier.proposal_path
    dossier.problems = list(submission.problems)
    dossier.warnings = list(submission.warnings)
    dossier.scope_problems = list(submission.scope_problems)
    was_valid = dossier.valid
    dossier.valid = not submission.problems and not submission.scope_problems
    if first_time:
        dossier.stage_since = timestamp(now)
        dossier.update_of_published = submission.published_before
        dossier.log(now, "submitted", dossier.submitter, commit=submission.head_sha)
    _take_proposal_facts(dossier, submission.data)

    if not dossier.valid:
        if was_valid or first_time:
            dossier.log(now, "invalid", commit=submission.head_sha,
                        note=f"{len(dossier.problems) + len(dossier.scope_problems)} lỗi")
        return actions

    if proposal_changed and dossier.opinions:
        actions += _mark_opinions_stale(dossier, now)
    if dossier.returned:
        # The clock stood still while the dossier waited for the submitter, as during an
        # on-site inspection; the wait is added to the step's deadline.
        paused = _paused_days(dossier.returned["date"], context.config, now)
        dossier.paused_days += paused
        dossier.returned = None
        dossier.log(now, "resubmitted", dossier.submitter, commit=submission.head_sha,
                    note=f"tạm dừng {paused} ngày làm việc")
    elif not was_valid:
        dossier.log(now, "validated", commit=submission.head_sha)

    if dossier.open_stage is Stage.SUBMITTED:
        dossier.move_to(Stage.INTAKE, now)
        officer = context.choose_officer()
        if officer:
            dossier.officer = officer
            actions.append(Assign(officer))
            dossier.log(now, "intake_assigned", officer)
            actions.append(Reply(
                f"{mention(officer)} Hồ sơ hợp lệ và đã được giao cho anh/chị tiếp nhận, rà soát. "
                "Dùng `/tiep-nhan <đánh giá sơ bộ>`, `/tra-lai <lý do>` hoặc `/tu-choi <lý do>`."))
        else:
            log.error("PR #%s: no intake officer in the roster to assign", dossier.number)
    return actions


def _take_proposal_facts(dossier: Dossier, data: dict | None) -> None:
    if not isinstance(data, dict):
        return
    owner = data.get("owner") if isinstance(data.get("owner"), dict) else {}
    dossier.owner_name = owner.get("name") if isinstance(owner.get("name"), str) else None
    dossier.owner_tax_code = owner.get("tax_code") if isinstance(owner.get("tax_code"), str) else None
    fields_ = data.get("fields")
    dossier.fields = [f for f in fields_ if isinstance(f, str)] if isinstance(fields_, list) else []
    name = data.get("name")
    if isinstance(name, dict) and isinstance(name.get("vi") or name.get("en"), str):
        dossier.title = name.get("vi") or name.get("en")


def _mark_opinions_stale(dossier: Dossier, now: datetime.datetime) -> list:
    stale = [login for login, opinion in dossier.opinions.items() if not opinion.get("stale")]
    for login in stale:
        dossier.opinions[login]["stale"] = True
    if not stale:
        return []
    dossier.log(now, "opinions_stale", commit=dossier.head_sha, note=", ".join(sorted(stale)))
    mentions = " ".join(mention(login) for login in sorted(stale))
    return [Reply(f"{mentions} Tệp đề xuất đã thay đổi sau khi anh/chị đánh giá, nên ý kiến trước "
                  "được đánh dấu là đã cũ. Xin xem lại phiên bản mới và gửi lại `/danh-gia` "
                  "(có thể giữ nguyên điểm nếu không thay đổi).")]


# --- comments and commands ----------------------------------------------------------------------


def roles_of(login: str, dossier: Dossier, roster: Roster) -> set:
    """Return the roles `login` holds on this dossier, from the roster on the base branch."""
    roles = {ANYONE}
    if login.lower() == dossier.submitter.lower():
        # The author of a proposal never acts in an official role on it.
        roles.add(SUBMITTER)
        return roles
    person = roster.get(login)
    if person is None or person.works_for(dossier.owner_name, dossier.owner_tax_code):
        return roles
    if INTAKE_OFFICER in person.roles:
        roles.add(INTAKE_OFFICER)
    if COORDINATOR in person.roles:
        roles.add(COORDINATOR)
    if COUNCIL_MEMBER in person.roles and dossier.member and dossier.member.lower() == login.lower():
        roles.add(COUNCIL_MEMBER)
    if EXPERT in person.roles and login.lower() in (e.lower() for e in dossier.expert_logins()):
        roles.add(EXPERT)
    return roles


def is_ignored(comment: Comment, config: Config) -> bool:
    """Tell whether a comment may never run a command: the bot's, another bot's, or edited."""
    if comment.user_type == "Bot" or comment.login.lower() == config.bot_login.lower():
        return True
    return comment.updated_at != comment.created_at


def on_comment(dossier: Dossier, comment: Comment, context: Context) -> list:
    """Run every command of one newly created comment, once; advance the cursor past it."""
    if comment.id <= dossier.cursor:
        return []
    dossier.cursor = comment.id
    if is_ignored(comment, context.config):
        return []
    actions: list = []
    for invocation in cmd.parse(comment.body):
        actions += _run(invocation, comment, dossier, context)
    return actions


def _refusal(sender: str, command: cmd.Command, reason: str) -> Reply:
    return Reply(f"{mention(sender)} Không thực hiện lệnh `/{command.name}`: {reason}. "
                 f"Lệnh này dành cho {command.who_and_when()}.")


def _run(invocation: cmd.Invocation, comment: Comment, dossier: Dossier, context: Context) -> list:
    command = invocation.command
    sender = comment.login
    roles = roles_of(sender, dossier, context.roster)
    stage = dossier.open_stage

    if stage is None:
        log.info("PR #%s: rejected /%s from %s because the dossier is closed", dossier.number, command.name, sender)
        return [_refusal(sender, command, f"hồ sơ đã kết thúc ({dossier.stage})")]
    if not command.allowed(roles, stage):
        has_role = any(role in roles for role, _ in command.grants)
        reason = (f"hồ sơ đang ở bước «{stage.value}»" if has_role
                  else "bạn không có vai trò phù hợp với hồ sơ này")
        if SUBMITTER in roles and not has_role:
            reason = "người gửi hồ sơ không được xử lý hồ sơ của chính mình"
        log.info("PR #%s: rejected /%s from %s (roles %s, stage %s)", dossier.number, command.name,
                 sender, sorted(roles), stage.number)
        return [_refusal(sender, command, reason)]
    if command.advances and dossier.waiting_for_submitter():
        return [_refusal(sender, command, "hồ sơ đang chờ người đề xuất sửa lỗi hoặc bổ sung")]

    log.info("PR #%s: running /%s from %s", dossier.number, command.name, sender)
    handler = _HANDLERS[command.name]
    return handler(invocation, sender, dossier, context)


def _text_of(invocation: cmd.Invocation) -> str:
    return "\n".join(part for part in (invocation.argument, invocation.body) if part).strip()


def _accept(invocation, sender, dossier, context):
    text = _text_of(invocation)
    if not text:
        return [_refusal(sender, invocation.command, "cần ghi kèm đánh giá sơ bộ sau lệnh")]
    now = context.now
    dossier.preliminary = {"officer": sender, "date": timestamp(now), "text": text}
    dossier.officer = dossier.officer or sender
    dossier.log(now, "accepted", sender)
    dossier.move_to(Stage.COORDINATION, now)
    dossier.log(now, "coordinator_requested")
    coordinators = " ".join(mention(p.login) for p in context.roster.with_role(COORDINATOR)) or "Điều phối viên"
    return [Reply(f"{coordinators} Hồ sơ đã được tiếp nhận. Xin giao hồ sơ cho một ủy viên Hội đồng "
                  "bằng lệnh `/phan-cong @tai-khoan`.")]


def _return(invocation, sender, dossier, context):
    reason = _text_of(invocation)
    if not reason:
        return [_refusal(sender, invocation.command, "cần ghi lý do trả lại sau lệnh")]
    # A second return while the first is still open keeps the first date: the clock stopped then.
    since = dossier.returned["date"] if dossier.returned else timestamp(context.now)
    dossier.returned = {"by": sender, "date": since, "reason": reason}
    dossier.log(context.now, "returned", sender, note=reason)
    return [Reply(f"{mention(dossier.submitter)} Hồ sơ được trả lại để bổ sung. Sau khi sửa tệp đề xuất "
                  "và đẩy commit mới, hồ sơ tiếp tục ở bước hiện tại.")]


def _decide(dossier: Dossier, outcome: Outcome, sender: str, reason: str | None,
            now: datetime.datetime, extra: dict | None = None) -> list:
    dossier.decision = {"outcome": outcome.value, "by": sender, "date": timestamp(now),
                        "reason": reason, "done": False, **(extra or {})}
    return [Finish()]


def _refuse(invocation, sender, dossier, context):
    reason = _text_of(invocation)
    if not reason:
        return [_refusal(sender, invocation.command, "cần ghi lý do từ chối sau lệnh")]
    dossier.log(context.now, "refused", sender, note=reason)
    return [Reply(f"{mention(dossier.submitter)} Hồ sơ bị từ chối tiếp nhận. Quyết định và lý do "
                  "được ghi vào hồ sơ đánh giá trên nhánh chính.")] + \
        _decide(dossier, Outcome.REFUSED, sender, reason, context.now)


def _assign(invocation, sender, dossier, context):
    logins = _LOGIN.findall(invocation.argument)
    if len(logins) != 1:
        return [_refusal(sender, invocation.command, "cần ghi đúng một tài khoản, ví dụ `/phan-cong @uy-vien-1`")]
    person = context.roster.get(logins[0])
    if person is None or COUNCIL_MEMBER not in person.roles:
        return [_refusal(sender, invocation.command, f"{code_login(logins[0])} không phải ủy viên Hội đồng trong danh sách")]
    if person.login.lower() == dossier.submitter.lower():
        return [_refusal(sender, invocation.command, f"{code_login(person.login)} là người gửi hồ sơ")]
    if person.works_for(dossier.owner_name, dossier.owner_tax_code):
        return [_refusal(sender, invocation.command,
                         f"{code_login(person.login)} thuộc tổ chức chủ sở hữu sản phẩm (xung đột lợi ích)")]
    now = context.now
    dossier.coordinator = sender
    dossier.member = person.login
    dossier.log(now, "assigned", sender, note=person.login)
    dossier.move_to(Stage.EVALUATION, now)
    return [Assign(person.login),
            Reply(f"{mention(person.login)} Anh/chị được giao đánh giá hồ sơ này. Xin lập nhóm chuyên gia "
                  f"độc lập (ít nhất {context.config.minimum_experts} người) bằng `/chuyen-gia @a @b @c`.")]


def _experts(invocation, sender, dossier, context):
    command = invocation.command
    logins = list(dict.fromkeys(login.lower() for login in _LOGIN.findall(invocation.argument)))
    minimum = context.config.minimum_experts
    if len(logins) < minimum:
        return [_refusal(sender, command, f"nhóm chuyên gia cần ít nhất {minimum} người, lệnh chỉ có {len(logins)}")]
    chosen, problems = [], []
    for login in logins:
        person = context.roster.get(login)
        if person is None or EXPERT not in person.roles:
            problems.append(f"{code_login(login)} không có trong danh sách chuyên gia")
        elif login in (dossier.submitter.lower(), (dossier.member or "").lower()):
            problems.append(f"{code_login(person.login)} là người gửi hoặc ủy viên phụ trách hồ sơ")
        elif person.works_for(dossier.owner_name, dossier.owner_tax_code):
            problems.append(f"{code_login(person.login)} thuộc tổ chức chủ sở hữu sản phẩm (xung đột lợi ích)")
        else:
            chosen.append(person)
    if problems:
        return [_refusal(sender, command, "; ".join(problems))]

    now = context.now
    dossier.experts = [{"login": p.login, "name": p.name, "organisation": p.organisation} for p in chosen]
    kept = {p.login for p in chosen}
    dossier.opinions = {login: opinion for login, opinion in dossier.opinions.items() if login in kept}
    dossier.log(now, "experts", sender, note=", ".join(p.login for p in chosen))
    mentions = " ".join(mention(p.login) for p in chosen)
    text = (f"{mentions} Anh/chị được mời vào nhóm chuyên gia độc lập của hồ sơ này. Xin ghi ý kiến "
            "bằng lệnh `/danh-gia` kèm khối YAML điểm và nhận xét cho từng tiêu chí: "
            + ", ".join(f"`{c['key']}` ({c['vi']})" for c in context.config.criteria) + ".")
    covered = set(dossier.fields) & {f for p in chosen for f in p.fields}
    if dossier.fields and not covered:
        text += ("\n\nCảnh báo: không chuyên gia nào trong nhóm có lĩnh vực chuyên môn trùng với lĩnh vực "
                 "của đề xuất.")
    return [RequestReviewers(tuple(p.login for p in chosen)), Reply(text)]


def _opinion_block(body: str) -> str:
    match = re.search(r"^ {0,3}(```+|~~~+)[^\n]*\n(?P<block>.*?)^ {0,3}\1\s*$", body, re.S | re.M)
    return match.group("block") if match else body


@dataclass
class _OpinionCheck:
    data: dict | None
    errors: list


def check_opinion(text: str, criteria: list[str]) -> _OpinionCheck:
    """Validate the YAML block of `/danh-gia` against the opinion schema and configured criteria."""
    document = load_text(text, "ý kiến")
    errors = [f"dòng {p.line}: {p.message} {p.fix}".strip() for p in document.problems if p.is_error]
    if errors or document.data is None:
        return _OpinionCheck(None, errors or ["khối YAML trống"])
    schema = _opinion_schema()
    for error in sorted(jsonschema.Draft202012Validator(schema).iter_errors(document.data), key=lambda e: list(e.path)):
        path = tuple(error.path)
        line, _ = document.position(path)
        errors.append(f"dòng {line}, `{format_path(path) or 'criteria'}`: {_explain(error)}")
    if errors:
        return _OpinionCheck(None, errors)
    given = document.data["criteria"]
    missing = [key for key in criteria if key not in given]
    unknown = [key for key in given if key not in criteria]
    if missing:
        errors.append("thiếu tiêu chí: " + ", ".join(f"`{k}`" for k in missing))
    if unknown:
        errors.append("tiêu chí không có trong cấu hình: " + ", ".join(f"`{neutralise(k, 60)}`" for k in unknown)
                      + "; các tiêu chí hợp lệ: " + ", ".join(f"`{k}`" for k in criteria))
    return _OpinionCheck(None if errors else document.data, errors)


def _explain(error: jsonschema.ValidationError) -> str:
    if error.validator in ("minimum", "maximum", "type") and error.path and error.path[-1] == "score":
        return "điểm phải là số nguyên từ 1 đến 10"
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in (error.instance or {})]
        return "thiếu " + ", ".join(f"`{name}`" for name in missing) + " (mỗi tiêu chí cần score và comment)"
    if error.validator == "additionalProperties":
        return "có khóa không được phép; chỉ dùng criteria, summary và trong mỗi tiêu chí: score, comment"
    if error.validator in ("minLength", "type"):
        return "giá trị phải là văn bản, không để trống"
    return "giá trị không hợp lệ theo schema/opinion.schema.json"


def _opinion_schema() -> dict:
    import json
    with open(SCHEMA_DIR / "opinion.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _evaluate(invocation, sender, dossier, context):
    checked = check_opinion(_opinion_block(invocation.body), context.config.criterion_keys())
    if checked.errors:
        return [Reply(f"{mention(sender)} Ý kiến đánh giá chưa hợp lệ nên chưa được ghi nhận:\n"
                      + "\n".join(f"- {neutralise(error, 500)}" for error in checked.errors)
                      + "\n\nCách sửa: gửi lại `/danh-gia` kèm khối YAML đúng mẫu trong `/tro-giup`.")]
    now = context.now
    login = next(e for e in dossier.expert_logins() if e.lower() == sender.lower())
    criteria = checked.data["criteria"]
    dossier.opinions[login] = {
        "expert": login, "date": timestamp(now), "commit": dossier.head_sha,
        "scores": {key: criteria[key]["score"] for key in context.config.criterion_keys()},
        "comments": {key: criteria[key]["comment"] for key in context.config.criterion_keys()},
        "summary": checked.data.get("summary") or "", "stale": False,
    }
    dossier.log(now, "opinion", login, commit=dossier.head_sha)
    actions = [Reply(f"{mention(sender)} Đã ghi nhận ý kiến đánh giá của anh/chị cho phiên bản "
                     f"`{(dossier.head_sha or '')[:7]}`.")]
    if dossier.member and not _missing_opinions(dossier, context.config):
        actions.append(Reply(f"{mention(dossier.member)} Đã có đủ ý kiến của nhóm chuyên gia. "
                             "Xin ghi báo cáo đánh giá bằng `/bao-cao lua-chon` hoặc `/bao-cao khong-lua-chon`."))
    return actions


def _missing_opinions(dossier: Dossier, config: Config) -> list[str]:
    missing = []
    for login in dossier.expert_logins():
        opinion = dossier.opinions.get(login)
        if opinion is None or opinion.get("stale") or opinion.get("commit") != dossier.head_sha:
            missing.append(login)
    if len(dossier.experts) < config.minimum_experts:
        missing.append(f"(nhóm mới có {len(dossier.experts)}/{config.minimum_experts} chuyên gia)")
    return missing


_RECOMMENDATIONS = {"lua chon": "select", "lua-chon": "select", "select": "select",
                    "khong lua chon": "reject", "khong-lua-chon": "reject", "reject": "reject"}


def parse_recommendation(argument: str, body: str) -> str | None:
    """Read the recommendation from the command line or from a `Kiến nghị:` line of the body."""
    words = search_key(argument).split()
    if words:
        for length in (3, 1):
            candidate = " ".join(words[:length]) if length == 3 else words[0]
            if candidate in _RECOMMENDATIONS:
                return _RECOMMENDATIONS[candidate]
    for line in body.splitlines():
        folded = search_key(line).strip(" *_")
        for prefix in ("kien nghi:", "recommendation:"):
            if folded.startswith(prefix):
                value = folded[len(prefix):].strip(" .*_")
                return _RECOMMENDATIONS.get(value)
    return None


def _report(invocation, sender, dossier, context):
    command = invocation.command
    recommendation = parse_recommendation(invocation.argument, invocation.body)
    if recommendation is None:
        return [_refusal(sender, command, "cần ghi kiến nghị `lua-chon` hoặc `khong-lua-chon` ngay sau lệnh")]
    missing = _missing_opinions(dossier, context.config)
    if missing:
        return [_refusal(sender, command, "báo cáo cần ý kiến của mọi chuyên gia trên phiên bản hiện tại; còn thiếu: "
                         + ", ".join(code_login(m) if not m.startswith("(") else m for m in missing))]
    if dossier.site_visit:
        return [_refusal(sender, command, "đang khảo sát thực tế; kết thúc bằng `/khao-sat xong` trước")]
    text = invocation.body.strip() or "(không có nội dung)"
    now = context.now
    dossier.report = {"council_member": sender, "date": timestamp(now),
                      "recommendation": recommendation, "text": text}
    dossier.log(now, "report", sender, note="Đề nghị lựa chọn" if recommendation == "select" else "Đề nghị không lựa chọn")
    if recommendation == "select":
        dossier.move_to(Stage.PUBLICATION, now)
        officer = dossier.officer or "Cán bộ tiếp nhận"
        return [Reply(f"{mention(officer) if dossier.officer else officer} Báo cáo đánh giá đề nghị lựa chọn. "
                      "Hồ sơ chờ công bố bằng lệnh `/cong-bo`.")]
    dossier.log(now, "not_selected", sender)
    return [Reply(f"{mention(dossier.submitter)} Báo cáo đánh giá đề nghị không lựa chọn. Quyết định được ghi "
                  "vào hồ sơ đánh giá trên nhánh chính và yêu cầu kéo được đóng.")] + \
        _decide(dossier, Outcome.NOT_SELECTED, sender, text, now)


def _site_visit(invocation, sender, dossier, context):
    now = context.now
    finishing = search_key(invocation.argument).split()[:1] in (["xong"], ["done"])
    if finishing:
        if not dossier.site_visit:
            return [_refusal(sender, invocation.command, "không có đợt khảo sát thực tế nào đang diễn ra")]
        started = parse_timestamp(dossier.site_visit["started"])
        paused = context.config.calendar.working_days_between(local_date(started), local_date(now))
        dossier.paused_days += paused
        dossier.site_visits.append({**dossier.site_visit, "finished": timestamp(now)})
        dossier.site_visit = None
        dossier.log(now, "site_visit_done", sender, note=f"tạm dừng {paused} ngày làm việc")
        return [Reply(f"{mention(sender)} Đã kết thúc khảo sát thực tế; hạn xử lý được kéo dài {paused} ngày làm việc.")]
    if dossier.site_visit:
        return [_refusal(sender, invocation.command, "đang có một đợt khảo sát thực tế; kết thúc bằng `/khao-sat xong`")]
    visit = {"started": timestamp(now), "by": sender}
    note = _text_of(invocation)
    if note:
        visit["note"] = note
    dossier.site_visit = visit
    dossier.log(now, "site_visit", sender, note=note or None)
    return [Reply(f"{mention(sender)} Đã ghi nhận khảo sát thực tế; hạn xử lý tạm dừng đến khi có `/khao-sat xong`.")]


_DECISION_FIELDS = {"so quyet dinh": "reference", "nguoi ky": "signer", "van ban": "document"}


def _publish(invocation, sender, dossier, context):
    stage = dossier.open_stage
    if stage is Stage.INTAKE and not dossier.update_of_published:
        return [_refusal(sender, invocation.command,
                         "ở bước tiếp nhận chỉ công bố trực tiếp được bản cập nhật của sản phẩm đã công bố")]
    if stage is Stage.PUBLICATION and not (dossier.report and dossier.report["recommendation"] == "select"):
        return [_refusal(sender, invocation.command, "chưa có báo cáo đánh giá đề nghị lựa chọn")]
    extra = {}
    for line in _text_of(invocation).splitlines():
        key, _, value = line.partition(":")
        name = _DECISION_FIELDS.get(search_key(key).strip(" -*"))
        if name and value.strip():
            extra[name] = value.strip()
    if "document" in extra and not re.match(r"^https?://[^\s/?#@]+\.[^\s/?#@]+([/?#]\S*)?$", extra["document"]):
        return [_refusal(sender, invocation.command, "địa chỉ văn bản đã ký phải bắt đầu bằng http:// hoặc https://")]
    dossier.log(context.now, "published", sender, commit=dossier.head_sha)
    return _decide(dossier, Outcome.PUBLISHED, sender, None, context.now, extra)


def _withdraw(invocation, sender, dossier, context):
    reason = _text_of(invocation) or "Người đề xuất rút hồ sơ."
    dossier.log(context.now, "withdrawn", sender, note=reason)
    return [Reply(f"{mention(sender)} Hồ sơ đã được rút. Quyết định được ghi vào hồ sơ đánh giá trên nhánh chính.")] + \
        _decide(dossier, Outcome.WITHDRAWN, sender, reason, context.now)


def _status(invocation, sender, dossier, context):
    return [Reply(f"{mention(sender)} Hồ sơ đang ở bước «{dossier.stage}». Bình luận trạng thái ở đầu "
                  "yêu cầu kéo vừa được cập nhật.")]


def _help(invocation, sender, dossier, context):
    roles = roles_of(sender, dossier, context.roster)
    return [Reply(f"{mention(sender)} " + cmd.help_text(roles, dossier.open_stage))]


_HANDLERS = {
    "tiep-nhan": _accept, "tra-lai": _return, "tu-choi": _refuse, "phan-cong": _assign,
    "chuyen-gia": _experts, "danh-gia": _evaluate, "bao-cao": _report, "khao-sat": _site_visit,
    "cong-bo": _publish, "rut": _withdraw, "trang-thai": _status, "tro-giup": _help,
}


# --- deadlines ----------------------------------------------------------------------------------


def deadline(dossier: Dossier, config: Config, now: datetime.datetime) -> datetime.date | None:
    """Return the deadline of the current step, or None when the step has none."""
    step = STEP_OF_STAGE.get(dossier.open_stage)
    if step is None or not dossier.stage_since:
        return None
    start = local_date(parse_timestamp(dossier.stage_since))
    paused = dossier.paused_days
    if dossier.site_visit:
        paused += _paused_days(dossier.site_visit["started"], config, now)
    if dossier.returned:
        paused += _paused_days(dossier.returned["date"], config, now)
    return config.calendar.add_working_days(start, config.deadlines[step] + paused)


def _paused_days(since: str, config: Config, now: datetime.datetime) -> int:
    """Count the working days from a pause's start to now."""
    return config.calendar.working_days_between(local_date(parse_timestamp(since)), local_date(now))


def holder(dossier: Dossier, roster: Roster) -> tuple[str | None, str]:
    """Return (login or None, Vietnamese description) of who must act next."""
    stage = dossier.open_stage
    if stage is None:
        return None, "không ai (hồ sơ đã kết thúc)"
    if dossier.waiting_for_submitter():
        return dossier.submitter, "người đề xuất (sửa lỗi hoặc bổ sung hồ sơ)"
    if stage is Stage.INTAKE or stage is Stage.PUBLICATION:
        return dossier.officer, "cán bộ tiếp nhận"
    if stage is Stage.COORDINATION:
        coordinators = roster.with_role(COORDINATOR)
        return (coordinators[0].login if coordinators else None), "điều phối viên Hội đồng"
    if stage is Stage.EVALUATION:
        missing = [login for login in dossier.expert_logins()
                   if login not in dossier.opinions or dossier.opinions[login].get("stale")]
        if dossier.experts and missing:
            return missing[0], "nhóm chuyên gia độc lập"
        return dossier.member, "ủy viên Hội đồng"
    return None, ""


def on_tick(dossier: Dossier, context: Context) -> list:
    """Mark an overdue dossier and remind the person who must act, at most once a day."""
    due = deadline(dossier, context.config, context.now)
    if due is None or dossier.site_visit or dossier.waiting_for_submitter():
        dossier.overdue = False
        return []
    today = local_date(context.now)
    dossier.overdue = today > due
    if not dossier.overdue or dossier.last_reminder == today.isoformat():
        return []
    dossier.last_reminder = today.isoformat()
    login, role = holder(dossier, context.roster)
    who = mention(login) if login else role
    return [Reply(f"{who} Hồ sơ đã quá hạn xử lý của bước «{dossier.stage}» "
                  f"(hạn {due.strftime('%d/%m/%Y')}). Xin xử lý sớm.")]
