"""The status comment: one per pull request, edited in place, with the dossier's state hidden in it."""

from __future__ import annotations

import datetime

from portal.stages import Outcome, Stage

from .config import Config, Roster
from .decide import deadline, holder
from .state import STATUS_MARKER, Dossier
from .text import code_login, neutralise

_STEP_NAMES = {
    Stage.SUBMITTED: "Gửi hồ sơ và kiểm tra tự động",
    Stage.INTAKE: "Tiếp nhận, rà soát, đánh giá sơ bộ",
    Stage.COORDINATION: "Điều phối: giao cho ủy viên Hội đồng",
    Stage.EVALUATION: "Đánh giá của nhóm chuyên gia độc lập",
    Stage.PUBLICATION: "Công bố",
}


def render(dossier: Dossier, config: Config, roster: Roster, now: datetime.datetime) -> str:
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
        elif due is not None:
            overdue = " (đã quá hạn)" if dossier.overdue else ""
            lines.append(f"**Hạn xử lý:** {due.strftime('%d/%m/%Y')}{overdue}, tính theo ngày làm việc")
        lines.append(f"**Việc tiếp theo của người đề xuất:** {_next_for_submitter(dossier)}")

    if dossier.scope_problems:
        lines += ["", "### Yêu cầu kéo ngoài phạm vi", ""]
        lines += [f"- {neutralise(problem, 500)}" for problem in dossier.scope_problems]
    if dossier.problems:
        lines += ["", "### Lỗi cần sửa trong tệp đề xuất", ""]
        lines += [f"- {neutralise(problem, 1000)}" for problem in dossier.problems[:50]]
        if len(dossier.problems) > 50:
            lines.append(f"- … và {len(dossier.problems) - 50} lỗi khác (chạy `portal validate` để xem đủ).")
    if dossier.returned:
        lines += ["", f"### Yêu cầu bổ sung của {code_login(dossier.returned['by'])}", "",
                  neutralise(dossier.returned["reason"], 2000)]
    stale = sorted(login for login, opinion in dossier.opinions.items() if opinion.get("stale"))
    if stale:
        lines += ["", "Ý kiến đánh giá đã cũ, chờ xác nhận lại: " + ", ".join(code_login(s) for s in stale)]
    lines += ["", "Gõ `/tro-giup` ở đầu một bình luận mới để xem các lệnh bạn được dùng.", "", dossier.encode()]
    return "\n".join(lines)


def _next_for_submitter(dossier: Dossier) -> str:
    if dossier.scope_problems:
        return "chỉ giữ lại tệp đề xuất và thư mục tài liệu đính kèm của nó trong yêu cầu kéo này."
    if not dossier.valid:
        return "sửa các lỗi bên dưới rồi đẩy commit mới; hồ sơ sẽ được kiểm tra lại."
    if dossier.returned:
        return "bổ sung theo yêu cầu rồi đẩy commit mới vào yêu cầu kéo này."
    return "chờ xử lý; có thể rút hồ sơ bằng `/rut <lý do>`."
