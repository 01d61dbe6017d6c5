"""Slash commands: each declared once, and the parser that finds them in a comment.

A command counts only at the start of a line, outside fenced or indented code blocks, inline code
and `>` quotes, so quoting the bot's help or an earlier command never runs anything. Each
declaration carries the roles and stages that may use it, a description and an example; the
help text and the refusal messages are generated from these declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from portal.stages import Stage

from .roles import ANYONE, COORDINATOR, COUNCIL_MEMBER, EXPERT, INTAKE_OFFICER, ROLE_NAMES, SUBMITTER

OPEN_STAGES = tuple(Stage)


@dataclass(frozen=True)
class Command:
    name: str
    alias: str
    grants: tuple  # (role, stages) pairs: who may run it, and at which stages
    description: str
    example: str
    advances: bool = False  # refused while the file is invalid or returned for supplement

    def allowed(self, roles: set, stage: Stage | None) -> bool:
        return any(role in roles and stage in stages for role, stages in self.grants)

    def who_and_when(self) -> str:
        """Describe in Vietnamese who may run the command and at which stages."""
        parts = []
        for role, stages in self.grants:
            if set(stages) == set(OPEN_STAGES):
                when = "khi hồ sơ chưa kết thúc"
            else:
                when = "ở bước " + ", ".join(f"«{stage.value}»" for stage in stages)
            parts.append(f"{ROLE_NAMES[role]} {when}")
        return "; ".join(parts)


COMMANDS = [
    Command("tiep-nhan", "accept", ((INTAKE_OFFICER, (Stage.INTAKE,)),),
            "Tiếp nhận hồ sơ kèm đánh giá sơ bộ và chuyển sang bước điều phối "
            "(với bản cập nhật của sản phẩm đã công bố: đưa đi đánh giá lại).",
            "/tiep-nhan Hồ sơ đầy đủ, sản phẩm đã triển khai tại 3 tỉnh.", advances=True),
    Command("tra-lai", "return", ((INTAKE_OFFICER, (Stage.INTAKE,)), (COUNCIL_MEMBER, (Stage.EVALUATION,))),
            "Trả lại hồ sơ để người đề xuất bổ sung, kèm lý do.",
            "/tra-lai Bổ sung hợp đồng triển khai tại Huế."),
    Command("tu-choi", "reject", ((INTAKE_OFFICER, (Stage.INTAKE,)),),
            "Từ chối tiếp nhận hồ sơ, kèm lý do; yêu cầu kéo được đóng và quyết định được ghi lại.",
            "/tu-choi Sản phẩm chưa triển khai thực tế tại Việt Nam."),
    Command("phan-cong", "assign", ((COORDINATOR, (Stage.COORDINATION,)),),
            "Giao hồ sơ cho một ủy viên Hội đồng.", "/phan-cong @uy-vien-hoi-dong-1", advances=True),
    Command("chuyen-gia", "experts", ((COUNCIL_MEMBER, (Stage.EVALUATION,)),),
            "Lập nhóm chuyên gia độc lập (không ai thuộc tổ chức chủ sở hữu).",
            "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3"),
    Command("danh-gia", "evaluate", ((EXPERT, (Stage.EVALUATION,)),),
            "Ghi ý kiến đánh giá: điểm từ 1 đến 10 và nhận xét cho từng tiêu chí, trong khối YAML.",
            "/danh-gia\n```yaml\ncriteria:\n  novelty: {score: 8, comment: \"Có điểm mới\"}\n```"),
    Command("bao-cao", "report", ((COUNCIL_MEMBER, (Stage.EVALUATION,)),),
            "Ghi báo cáo đánh giá kèm kiến nghị (lua-chon hoặc khong-lua-chon).",
            "/bao-cao lua-chon\nNhóm chuyên gia đánh giá cao hiệu quả thực tế.", advances=True),
    Command("khao-sat", "site-visit", ((COUNCIL_MEMBER, (Stage.EVALUATION,)),),
            "Bắt đầu khảo sát thực tế (tạm dừng hạn xử lý); `/khao-sat xong` khi kết thúc.",
            "/khao-sat xong"),
    Command("cong-bo", "publish", ((INTAKE_OFFICER, (Stage.PUBLICATION, Stage.INTAKE)),),
            "Công bố: hợp nhất yêu cầu kéo và ghi hồ sơ đánh giá lên nhánh chính "
            "(ở bước 2 chỉ với bản cập nhật của sản phẩm đã công bố).",
            "/cong-bo", advances=True),
    Command("rut", "withdraw", ((SUBMITTER, OPEN_STAGES),),
            "Rút hồ sơ trước khi công bố, có thể kèm lý do.", "/rut Chúng tôi sẽ nộp lại sau."),
    Command("trang-thai", "status", ((ANYONE, OPEN_STAGES),),
            "Cập nhật bình luận trạng thái của hồ sơ.", "/trang-thai"),
    Command("tro-giup", "help", ((ANYONE, OPEN_STAGES),),
            "Liệt kê các lệnh bạn được dùng ở bước hiện tại.", "/tro-giup"),
]

BY_NAME = {}
for _command in COMMANDS:
    BY_NAME[_command.name] = _command
    BY_NAME[_command.alias] = _command


@dataclass(frozen=True)
class Invocation:
    command: Command
    argument: str  # the rest of the command's line
    body: str  # the lines after it, up to the next command


_COMMAND_LINE = re.compile(r"^ {0,3}/(?P<word>[a-z][a-z-]*)(?=\s|$)(?P<argument>.*)$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")


def parse(text: str) -> list[Invocation]:
    """Find the commands in a comment, in order, ignoring code and quotes."""
    found: list[tuple[Command, str, list[str]]] = []
    fence: str | None = None
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            if found:
                found[-1][2].append(line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            if found:
                found[-1][2].append(line)
            continue

        match = _COMMAND_LINE.match(line)
        command = BY_NAME.get(match.group("word")) if match else None
        if command is not None:
            found.append((command, match.group("argument").strip(), []))
        elif found:
            found[-1][2].append(line)
    return [Invocation(command, argument, "\n".join(body).strip()) for command, argument, body in found]


def help_text(roles: set, stage: Stage | None) -> str:
    """List, in Vietnamese, only the commands a sender with `roles` may run at `stage`."""
    usable = [command for command in COMMANDS if command.allowed(roles, stage)]
    lines = ["Các lệnh bạn có thể dùng ở bước hiện tại (viết ở đầu dòng của một bình luận mới):", ""]
    for command in usable:
        example = command.example.split("\n", 1)[0]
        lines.append(f"- `/{command.name}` (`/{command.alias}`): {command.description} Ví dụ: `{example}`")
    return "\n".join(lines)
