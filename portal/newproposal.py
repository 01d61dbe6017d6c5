"""The `portal new` command: ask for each field in Vietnamese and write a valid proposal file.

Prompts, help and choices come from `schema/proposal.schema.json` (titles, descriptions, x-hint
and x-labels). Each answer is checked at once by the same validator as `portal validate`: the
answers so far are dumped to YAML and validated, and only the problems located at the field just
answered are shown, so the rules and the messages cannot drift from the command-line check.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Callable

from . import SCHEMA_DIR, schemas
from .importer.yamlwrite import dump_yaml, write_atomically
from .problems import render
from .provinces import PROVINCES
from .validate import validate_proposal_bytes
from .yamlread import format_path

log = logging.getLogger(__name__)

SCHEMA_FILE = SCHEMA_DIR / "proposal.schema.json"
DEFAULT_OUTPUT_DIR = Path("content") / "proposals"
MULTILINE_END = "."

PRIVACY_NOTICE = (
    "Thông tin đầu mối liên hệ chỉ dùng để cơ quan tiếp nhận trao đổi về hồ sơ và không bao giờ "
    "được công bố trên trang công khai hay dữ liệu mở. Nên ghi tên bộ phận, thư điện tử và số "
    "điện thoại chung của tổ chức; không bắt buộc cung cấp thông tin cá nhân."
)


class Cancelled(Exception):
    """Raised when the user ends the input (Ctrl+D) or interrupts (Ctrl+C)."""


def schema_header(target: Path) -> str:
    """Return the `yaml-language-server` line that points editors at the proposal schema."""
    relative = os.path.relpath(SCHEMA_FILE, Path(target).resolve().parent)
    return f"# yaml-language-server: $schema={Path(relative).as_posix()}\n"


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for part, following in zip(path[:-1], path[1:]):
        if isinstance(part, int):
            while len(node) <= part:
                node.append({} if isinstance(following, str) else [])
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    last = path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def _unset(data: dict, path: tuple) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    if isinstance(node, dict):
        node.pop(path[-1], None)


class Interview:
    """One run of the questions, reading answers with `ask` and writing text with `say`."""

    def __init__(self, ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
                 slug_taken: Callable[[str], bool] = lambda slug: False):
        self.ask = ask
        self.say = say
        self.slug_taken = slug_taken
        self.data: dict = {"schema_version": 1}

    # --- checking --------------------------------------------------------------------------

    def display_name(self) -> str:
        slug = self.data.get("slug") or "de-xuat"
        return f"content/proposals/{slug}.yaml"

    def problems_at(self, path: tuple) -> list:
        """Validate the answers so far and return the errors located at `path` or below it."""
        raw = dump_yaml(self.data, "").encode("utf-8")
        document = validate_proposal_bytes(raw, self.display_name())
        prefix = format_path(path)
        return [problem for problem in document.problems
                if problem.is_error and (problem.path == prefix or problem.path.startswith(prefix + ".")
                                         or problem.path.startswith(prefix + "["))]

    def _read(self, prompt: str) -> str:
        try:
            return self.ask(prompt)
        except (EOFError, KeyboardInterrupt) as error:
            raise Cancelled() from error

    def _explain(self, path: tuple) -> None:
        node = schemas.subschema_at(schemas.PROPOSAL, path, self.data) or {}
        key = format_path(path)
        title = node.get("title") or key
        if len(path) > 1 and path[-1] in ("vi", "en"):
            # "Tiếng Việt" alone does not say which text is asked for: name it by its parent.
            parent = schemas.subschema_at(schemas.PROPOSAL, path[:-1], self.data) or {}
            title = f"{parent.get('title') or format_path(path[:-1])}: {title}"
        self.say("")
        self.say(f"== {title} ==" if f"({path[-1]})" in title else f"== {title} ({key}) ==")
        if node.get("description"):
            self.say(node["description"])
        if node.get("x-hint"):
            hint = node["x-hint"]
            if "ngoặc kép" in hint:
                hint += " Khi trả lời ở đây, không cần gõ dấu ngoặc kép."
            self.say(f"Gợi ý: {hint}")

    def _accept(self, path: tuple, value) -> bool:
        _set(self.data, path, value)
        problems = self.problems_at(path)
        if not problems:
            return True
        for problem in problems:
            self.say(f"Lỗi: {problem.message} Cách sửa: {problem.fix}")
        _unset(self.data, path)
        return False

    # --- question kinds --------------------------------------------------------------------

    def text(self, path: tuple, required: bool = True, default: str | None = None,
             convert: Callable[[str], object] | None = None) -> None:
        """Ask for one line; an empty answer skips an optional field or takes the default."""
        self._explain(path)
        if not required:
            self.say("(Không bắt buộc: nhấn Enter để bỏ qua.)")
        suffix = f" [{default}]" if default else ""
        while True:
            answer = self._read(f"{format_path(path)}{suffix}: ").strip()
            if not answer and default:
                answer = default
            if not answer:
                if not required:
                    return
                self.say("Lỗi: mục này là bắt buộc. Cách sửa: nhập một giá trị.")
                continue
            value = convert(answer) if convert else answer
            if self._accept(path, value):
                return

    def multiline(self, path: tuple) -> None:
        """Ask for Markdown text over several lines, ended by a line with only a dot."""
        self._explain(path)
        self.say(f"Nhập nhiều dòng; kết thúc bằng một dòng chỉ có dấu chấm ({MULTILINE_END}).")
        while True:
            lines = []
            while True:
                line = self._read("> " if lines else f"{format_path(path)}> ")
                if line.strip() == MULTILINE_END:
                    break
                lines.append(line.rstrip())
            text = "\n".join(lines).strip("\n")
            if not text:
                self.say("Lỗi: mục này là bắt buộc. Cách sửa: nhập ít nhất một dòng văn bản.")
                continue
            if "\n" in text:
                text += "\n"
            if self._accept(path, text):
                return

    def _options(self, path: tuple) -> list[tuple[str, str]]:
        node = schemas.subschema_at(schemas.PROPOSAL, path, self.data) or {}
        if node.get("type") == "array":
            node = schemas.resolve(schemas.PROPOSAL, node.get("items", {}))
        labels = node.get("x-labels", {})
        return [(code, labels.get(code, {}).get("vi", code)) for code in node.get("enum", [])]

    def _show_options(self, options: list[tuple[str, str]]) -> None:
        for number, (code, label) in enumerate(options, start=1):
            self.say(f"  {number}. {label} ({code})")

    def _pick(self, token: str, options: list[tuple[str, str]]) -> str | None:
        token = token.strip()
        if token.isdigit() and 1 <= int(token) <= len(options):
            return options[int(token) - 1][0]
        for code, _ in options:
            if token == code:
                return code
        return None

    def choice(self, path: tuple) -> None:
        """Ask for one code of an enumeration, by number or by code."""
        self._explain(path)
        options = self._options(path)
        self._show_options(options)
        while True:
            answer = self._read(f"{format_path(path)} (chọn một số): ")
            code = self._pick(answer, options)
            if code is None:
                self.say(f"Lỗi: \"{answer.strip()}\" không có trong danh sách. "
                         f"Cách sửa: nhập một số từ 1 đến {len(options)}.")
                continue
            if self._accept(path, code):
                return

    def choices(self, path: tuple, required: bool = True) -> None:
        """Ask for several codes of an enumeration, separated by commas."""
        self._explain(path)
        options = self._options(path)
        self._show_options(options)
        if not required:
            self.say("(Không bắt buộc: nhấn Enter để bỏ qua.)")
        while True:
            answer = self._read(f"{format_path(path)} (các số, cách nhau bằng dấu phẩy): ").strip()
            if not answer and not required:
                return
            tokens = [token for token in answer.split(",") if token.strip()]
            picked = [self._pick(token, options) for token in tokens]
            if not tokens or None in picked:
                self.say(f"Lỗi: \"{answer}\" không phải các số trong danh sách. "
                         f"Cách sửa: nhập các số từ 1 đến {len(options)}, ví dụ 1,3.")
                continue
            unique = list(dict.fromkeys(picked))
            if self._accept(path, unique):
                return

    def yes(self, question: str) -> bool:
        while True:
            answer = self._read(f"{question} (c/k): ").strip().lower()
            if answer in ("c", "có", "co", "y"):
                return True
            if answer in ("k", "không", "khong", "n"):
                return False
            self.say("Lỗi: câu trả lời không hợp lệ. Cách sửa: nhập c (có) hoặc k (không).")

    # --- the whole proposal ----------------------------------------------------------------

    def run(self) -> dict:
        """Ask every question in schema order and return the proposal data."""
        self.text(("slug",))
        while self.slug_taken(self.data["slug"]):
            self.say(f"Lỗi: đã có tệp đề xuất {self.data['slug']}.yaml. Cách sửa: chọn mã định danh khác.")
            self.data.pop("slug")
            self.text(("slug",))
        self.choice(("kind",))
        self.choices(("domains",))
        self.text(("name", "vi"))
        self.text(("name", "en"), required=False)
        self.text(("summary", "vi"))
        self.multiline(("description", "vi"))
        self.choices(("fields",))
        self._owner()
        self._contact()
        self._deployments()
        self.multiline(("effectiveness", "description", "vi"))
        self.choice(("technology_mastery", "level"))
        self._awards()
        self.choices(("seeking",), required=False)
        self.choices(("support_requested",), required=False)
        self._commitments()
        return self.data

    def _owner(self) -> None:
        self.choice(("owner", "type"))
        self.text(("owner", "name"))
        self.text(("owner", "country"), default="VN", convert=str.upper)
        owner = self.data["owner"]
        if owner["country"] == "VN":
            if owner["type"] != "individual":
                self.text(("owner", "tax_code"))
            self.say("Các tỉnh, thành phố: " + ", ".join(PROVINCES) + ".")
            self.text(("owner", "province"))
        self.text(("owner", "website"), required=False)

    def _contact(self) -> None:
        self.say("")
        self.say(f"Lưu ý về dữ liệu cá nhân: {PRIVACY_NOTICE}")
        for key in ("name", "email", "phone"):
            self.text(("contact", key), required=False)
        if not self.data.get("contact"):
            self.data.pop("contact", None)

    def _deployments(self) -> None:
        index = 0
        while True:
            self.say("")
            self.say(f"--- Nơi triển khai thứ {index + 1} ---")
            self.text(("deployments", index, "user"))
            self.text(("deployments", index, "province"))
            self.text(("deployments", index, "since"))
            self.text(("deployments", index, "scale"), required=False)
            index += 1
            if not self.yes("Thêm một nơi triển khai khác?"):
                return

    def _awards(self) -> None:
        self.say("")
        index = 0
        while self.yes("Thêm một giải thưởng?" if index == 0 else "Thêm một giải thưởng khác?"):
            self.text(("awards", index, "name"))
            self.text(("awards", index, "year"), convert=lambda text: int(text) if text.isdigit() else text)
            self.text(("awards", index, "organiser"), required=False)
            index += 1

    def _commitments(self) -> None:
        self._explain(("commitments",))
        options = self._options(("commitments",))
        accepted = []
        for code, label in options:
            while not self.yes(f"Xác nhận: {label}?"):
                self.say("Lỗi: hồ sơ cần đủ ba cam kết. Cách sửa: nhập c để xác nhận, "
                         "hoặc nhấn Ctrl+C để dừng mà không ghi tệp.")
            accepted.append(code)
        self._accept(("commitments",), accepted)


def write_proposal(data: dict, output_dir: Path, overwrite: bool = False) -> tuple[Path | None, list]:
    """Validate `data` as a whole and write it; return the path, or None and the problems."""
    target = Path(output_dir) / f"{data['slug']}.yaml"
    raw = dump_yaml(data, schema_header(target)).encode("utf-8")
    document = validate_proposal_bytes(raw, f"content/proposals/{target.name}")
    errors = [problem for problem in document.problems if problem.is_error]
    if errors:
        return None, errors
    if target.exists() and not overwrite:
        return None, []
    write_atomically(target, raw)
    log.info("wrote proposal %s to %s", data["slug"], target)
    return target, []


def command_new(args) -> int:
    """Run the interview, then write `<output-dir>/<slug>.yaml`; exit 0 when written."""
    print("Tạo hồ sơ đề xuất mới. Trả lời từng câu hỏi; nhấn Ctrl+C để dừng mà không ghi tệp.")
    output_dir = Path(args.output_dir)
    interview = Interview(slug_taken=lambda slug: not args.force and (output_dir / f"{slug}.yaml").exists())
    try:
        data = interview.run()
    except Cancelled:
        print("\nĐã dừng. Chưa ghi tệp nào.", file=sys.stderr)
        return 1

    target, problems = write_proposal(data, output_dir, overwrite=args.force)
    if problems:
        print(render(problems, "text"), file=sys.stderr)
        print("Hồ sơ chưa hợp lệ nên chưa ghi tệp.", file=sys.stderr)
        return 1
    if target is None:
        print(f"Tệp {output_dir / (data['slug'] + '.yaml')} đã có. Chưa ghi đè; "
              "dùng --force để ghi đè hoặc chọn mã định danh khác.", file=sys.stderr)
        return 1
    print(f"Đã ghi hồ sơ hợp lệ vào {target}.")
    print(f"Xem trước trang sản phẩm: portal preview {target}")
    return 0
