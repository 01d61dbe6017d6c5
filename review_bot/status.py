"""The status comment: one per pull request, edited in place, with the dossier's state hidden in it."""

from __future__ import annotations

import datetime
import logging

from portal.stages import Outcome, Stage
from portal.workdays import local_date, parse_timestamp

from .config import Config, Roster
from .decide import deadline, holder
from .state import STATUS_MARKER, Dossier
from .text import code_login, neutralise

log = logging.getLogger(__name__)

# GitHub rejects a comment body above 65,536 characters; the margin covers the idempotency
# marker the client appends.
MAX_STATUS_CHARS = 65_000
HISTORY_SHOWN = 10

_ACTION_NAMES = {
    "submitted": "gửi hồ sơ", "validated": "hồ sơ hợp lệ", "invalid": "hồ sơ chưa hợp lệ",
    "intake_assigned": "giao cán bộ tiếp nhận", "accepted": "tiếp nhận", "returned": "trả lại để bổ sung",
    "resubmitted": "đã bổ sung", "refused": "từ chối tiếp nhận", "coordinator_requested": "chuyển điều phối",
    "assigned": "giao ủy viên Hội đồng", "experts": "lập nhóm chuyên gia", "opinion": "ý kiến đánh giá",
    "opinions_stale": "ý kiến đánh giá đã cũ", "site_visit": "bắt đầu khảo sát thực tế",
    "site_visit_done": "kết thúc khảo sát thực tế", "report": "báo cáo đánh giá",
    "not_selected": "không được lựa chọn", "published": "công bố", "withdrawn": "rút hồ sơ",
}

_STEP_NAMES = {
    Stage.SUBMITTED: "Gửi hồ sơ và kiểm tra tự động",
    Stage.INTAKE: "Tiếp nhận, rà soát, đánh giá sơ bộ",
    Stage.COORDINATION: "Điều phối: giao cho ủy viên Hội đồng",
    Stage.EVALUATION: "Đánh giá của nhóm chuyên gia độc lập",
    Stage.PUBLICATION: "Công bố",
}


def render(dossier: Dossier, config: Config, roster: Roster, now: datetime.datetime) -> str:
    """Render the status comment, kept under MAX_STATUS_CHARS.

    The comment shows only the latest HISTORY_SHOWN steps; the hidden state keeps the whole
    history, which goes into the evaluation record. When the text is still too long, the
    lists of errors and warnings are cut first.
    """
    body = _render(dossier, config, roster, now, problems_shown=50)
    shown = 50
    while len(body) > MAX_STATUS_CHARS and shown > 0:
        shown //= 2
        body = _render(dossier, config, roster, now, problems_shown=shown)
    if len(body) > MAX_STATUS_CHARS:
        # Only an enormous state (thousands of long opinions) gets here; GitHub would then
        # reject the edit and the run fails with the error logged.
        log.error("PR #%s: the status comment is %d characters, over GitHub's limit", dossier.number, len(body))
    return body


def _render(dossier: Dossier, config: Config, roster: Roster, now: datetime.datetime, problems_shown: int) -> str:
    lines = [STATUS_MARKER, "## Trạng thái hồ sơ đề xuất", ""]
    if dossier.title:
        lines.append(f"**Sản phẩm, giải pháp:** {neutralise(dossier.title, 200)}")
    if dossier.proposal_path:
        lines.append(f"**Tệp đề xuất:** `{dossier.proposal_path}`")
    lines.append("")

    current = dossier.open_stage
    for stage in Stage:
        if current is None:
            done = dossier.stage == Outcome.PUBLISHED.value
        else:
            done = stage.number < current.number
        marker = " ← đang ở bước này" if stage is current else ""
        lines.append(f"- [{'x' if done else ' '}] {stage.number}. {_STEP_NAMES[stage]}{marker}")
    lines.append("")

    if current is None:
        lines.append(f"**Kết quả:** {dossier.stage}")
    else:
        login, role = holder(dossier, roster)
        lines.append(f"**Đang xử lý:** {role} {code_login(login) if login else ''}".rstrip())
        due = deadline(dossier, config, now)
        if dossier.site_visit:
            lines.append("**Hạn xử lý:** tạm dừng trong thời gian khảo sát thực tế")
        elif dossier.returned:
            lines.append("**Hạn xử lý:** tạm dừng trong khi chờ người đề xuất bổ sung hồ sơ")
        elif due is not None:
            overdue = " (đã quá hạn)" if dossier.overdue else ""
            lines.append(f"**Hạn xử lý:** {due.strftime('%d/%m/%Y')}{overdue}, tính theo ngày làm việc")
        lines.append(f"**Việc tiếp theo của người đề xuất:** {_next_for_submitter(dossier)}")

    if dossier.scope_problems:
        lines += ["", "### Yêu cầu kéo ngoài phạm vi", ""]
        lines += [f"- {neutralise(problem, 500)}" for problem in dossier.scope_problems]
    if dossier.problems:
        lines += ["", "### Lỗi cần sửa trong tệp đề xuất", ""]
        lines += [f"- {neutralise(problem, 1000)}" for problem in dossier.problems[:problems_shown]]
        if len(dossier.problems) > problems_shown:
            lines.append(f"- … và {len(dossier.problems) - problems_shown} lỗi khác "
                         "(chạy `portal validate` để xem đủ).")
    if dossier.warnings:
        lines += ["", "### Lưu ý (không chặn hồ sơ)", ""]
        lines += [f"- {neutralise(warning, 1000)}" for warning in dossier.warnings[:min(20, problems_shown)]]
    if dossier.returned:
        lines += ["", f"### Yêu cầu bổ sung của {code_login(dossier.returned['by'])}", "",
                  neutralise(dossier.returned["reason"], 2000)]
    stale = sorted(login for login, opinion in dossier.opinions.items() if opinion.get("stale"))
    if stale:
        lines += ["", "Ý kiến đánh giá đã cũ, chờ xác nhận lại: " + ", ".join(code_login(s) for s in stale)]
    lines += _history_lines(dossier)
    lines += ["", "Gõ `/tro-giup` ở đầu một bình luận mới để xem các lệnh bạn được dùng.", "", dossier.encode()]
    return "\n".join(lines)


def _history_lines(dossier: Dossier) -> list[str]:
    if not dossier.history:
        return []
    lines = ["", "### Diễn biến gần đây", ""]
    earlier = len(dossier.history) - HISTORY_SHOWN
    if earlier > 0:
        lines.append(f"- … {earlier} bước trước đó (hồ sơ đánh giá trên nhánh chính ghi đủ khi có quyết định)")
    for entry in dossier.history[-HISTORY_SHOWN:]:
        when = format_timestamp(entry.get("date", ""))
        name = _ACTION_NAMES.get(entry.get("action"), entry.get("action", ""))
        actor = f" — {code_login(entry['actor'])}" if entry.get("actor") else ""
        lines.append(f"- {when}: {name}{actor}")
    return lines


def format_timestamp(text: str) -> str:
    """Return a stored UTC timestamp as a Vietnamese local date, such as 02/03/2026."""
    try:
        return local_date(parse_timestamp(text)).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _next_for_submitter(dossier: Dossier) -> str:
    if dossier.scope_problems:
        return "chỉ giữ lại tệp đề xuất và thư mục tài liệu đính kèm của nó trong yêu cầu kéo này."
    if not dossier.valid:
        return "sửa các lỗi bên dưới rồi đẩy commit mới; hồ sơ sẽ được kiểm tra lại."
    if dossier.returned:
        return "bổ sung theo yêu cầu rồi đẩy commit mới vào yêu cầu kéo này."
    return "chờ xử lý; có thể rút hồ sơ bằng `/rut <lý do>`."
