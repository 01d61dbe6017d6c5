"""The `portal` command: validate proposals, import registry data, build and serve the catalogue.

Exit codes follow the usual convention: 0 when everything is valid, 1 when a file is invalid or
a build fails because of content, 2 for a usage error.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import REPO_ROOT
from .arguments import VietnameseArgumentParser as _Parser
from .problems import render
from .validate import RECORD_NAME, validate_content, validate_proposal_file, validate_record_file

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _is_record(path: Path) -> bool:
    return path.parent.name == "evaluations" and bool(RECORD_NAME.match(path.name))


def _expand(paths: list[str]) -> tuple[list[Path], list[str], list[str]]:
    """Return the YAML files named or found in the named folders, the missing names, and the
    folders with no proposal or record in them."""
    files, missing, empty = [], [], []
    for name in paths:
        path = Path(name)
        if path.is_dir() and not path.name.endswith(".yaml"):
            found = [p for p in sorted(path.rglob("*.yaml"))
                     if p.parent.name in ("proposals", "evaluations") or p.parent == path]
            if not found:
                empty.append(name)
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            missing.append(name)
    return files, missing, empty


def command_validate(args: argparse.Namespace) -> int:
    files, missing, empty = _expand(args.paths)
    for name in missing:
        print(f"Không tìm thấy tệp hoặc thư mục: {name}", file=sys.stderr)
    for name in empty:
        print(f"Thư mục {name} không có tệp .yaml nào để kiểm tra.", file=sys.stderr)
    if missing or empty:
        return EXIT_USAGE

    problems = []
    for path in files:
        document = validate_record_file(path) if _is_record(path) else validate_proposal_file(path)
        problems.extend(document.problems)

    if args.content:
        check = validate_content(args.content)
        problems.extend(p for p in check.problems if p not in problems)

    output = render(problems, args.format)
    if output:
        print(output)
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if args.format == "text":
        summary = f"Đã kiểm tra {len(files)} tệp: {errors} lỗi, {warnings} cảnh báo."
        print(summary if errors or warnings else f"Đã kiểm tra {len(files)} tệp: tất cả hợp lệ.", file=sys.stderr)
    return EXIT_INVALID if errors else EXIT_OK


def command_build(args: argparse.Namespace) -> int:
    from .sitebuild import ContentError, build_site

    try:
        result = build_site(Path(args.output), content_dir=Path(args.content) if args.content else None,
                            publish=args.publish)
    except ContentError as error:
        print(render(error.problems, "text"), file=sys.stderr)
        print(f"Không xây dựng được trang: {len(error.problems)} lỗi trong nội dung.", file=sys.stderr)
        return EXIT_INVALID
    print(f"Đã xây dựng danh mục vào {args.output}: {getattr(result, 'product_count', '?')} sản phẩm, giải pháp.")
    return EXIT_OK


def command_serve(args: argparse.Namespace) -> int:
    from .sitebuild import serve

    status = command_build(args) if not args.no_build else EXIT_OK
    if status != EXIT_OK:
        return status
    print(f"Đang phục vụ danh mục tại http://{args.host}:{args.port}/ (nhấn Ctrl+C để dừng).")
    try:
        serve(Path(args.output), host=args.host, port=args.port)
    except FileNotFoundError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"Không mở được cổng {args.port} trên {args.host}: {error.strerror}. "
              "Hãy dừng chương trình đang dùng cổng này hoặc chọn cổng khác bằng --port.", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Đã dừng.")
    return EXIT_OK


def command_import(args: argparse.Namespace) -> int:
    from .importer import dpga

    return dpga.run(args)


def command_new(args: argparse.Namespace) -> int:
    from .newproposal import command_new as run

    return run(args)


def command_preview(args: argparse.Namespace) -> int:
    from .preview import command_preview as run

    return run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="portal", description="Công cụ của cổng tiếp nhận, đánh giá và công bố sản phẩm, giải pháp.")
    parser.add_argument("-v", "--verbose", action="store_true", help="in nhật ký chi tiết")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="LỆNH")

    validate = commands.add_parser("validate", help="kiểm tra tệp đề xuất và hồ sơ đánh giá")
    validate.add_argument("paths", nargs="+", metavar="ĐƯỜNG_DẪN", help="tệp .yaml hoặc thư mục chứa chúng")
    validate.add_argument("--format", choices=("text", "json", "github"), default="text",
                          help="dạng kết quả: text (mặc định), json hoặc github (chú thích GitHub Actions)")
    validate.add_argument("--content", metavar="THƯ_MỤC",
                          help="kiểm tra thêm các quy tắc giữa các tệp trong thư mục content (trùng tên, hồ sơ đánh giá)")
    validate.set_defaults(handler=command_validate)

    for name, handler, help_text in (
        ("build", command_build, "xây dựng danh mục công khai bằng Pelican"),
        ("serve", command_serve, "xây dựng rồi phục vụ danh mục tại máy này"),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--output", default=str(REPO_ROOT / "output"), metavar="THƯ_MỤC",
                         help="thư mục kết quả (mặc định: output)")
        sub.add_argument("--content", default=None, metavar="THƯ_MỤC", help="thư mục nội dung (mặc định: content)")
        sub.add_argument("--publish", action="store_true", help="dùng publishconf.py thay cho pelicanconf.py")
        if name == "serve":
            sub.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
            sub.add_argument("--port", type=int, default=8000, help="cổng (mặc định 8000)")
            sub.add_argument("--no-build", action="store_true", help="không xây dựng lại, chỉ phục vụ")
        sub.set_defaults(handler=handler)

    new = commands.add_parser("new", help="tạo hồ sơ đề xuất mới bằng cách trả lời từng câu hỏi")
    new.add_argument("--output-dir", default="content/proposals", metavar="THƯ_MỤC",
                     help="thư mục ghi tệp <slug>.yaml (mặc định: content/proposals)")
    new.add_argument("--force", action="store_true", help="ghi đè tệp đã có cùng tên")
    new.set_defaults(handler=command_new)

    preview = commands.add_parser("preview", help="xem trước trang sản phẩm của một tệp đề xuất tại máy này")
    preview.add_argument("file", metavar="TỆP", help="tệp đề xuất .yaml")
    preview.add_argument("--content", default=None, metavar="THƯ_MỤC", help="thư mục nội dung (mặc định: content)")
    preview.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    preview.add_argument("--port", type=int, default=8000, help="cổng; 0 để hệ điều hành tự chọn (mặc định 8000)")
    preview.set_defaults(handler=command_preview)

    importer = commands.add_parser("import-dpga", help="nhập dữ liệu danh mục Digital Public Goods")
    try:
        from .importer import dpga
    except ImportError:
        dpga = None
    if dpga is not None and hasattr(dpga, "add_arguments"):
        dpga.add_arguments(importer)
    importer.set_defaults(handler=command_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
