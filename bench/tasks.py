"""The project's own work as separate processes, so `bench/run.py` times each from a cold start.

    python bench/tasks.py build CONTENT_DIR OUTPUT_DIR [--cache DIR]
    python bench/tasks.py validate CONTENT_DIR [--cache DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chạy một bước của cổng (dựng trang hoặc kiểm tra) để đo thời gian.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="dựng trang danh mục")
    build.add_argument("content", type=Path, help="thư mục content")
    build.add_argument("output", type=Path, help="thư mục trang đích")
    build.add_argument("--cache", type=Path, default=None, help="thư mục bộ đệm dựng trang (mặc định: không dùng)")
    build.add_argument("--profile", type=Path, default=None, help="ghi hồ sơ cProfile của bản dựng vào tệp này")
    validate = commands.add_parser("validate", help="kiểm tra mọi đề xuất và hồ sơ đánh giá")
    validate.add_argument("content", type=Path, help="thư mục content")
    validate.add_argument("--cache", type=Path, default=None, help="thư mục bộ đệm kiểm tra (mặc định: không dùng)")
    args = parser.parse_args(argv)

    if args.command == "build":
        from portal.sitebuild import build_site

        # Without --cache the build uses no cache at all, not the default .cache/ folder.
        overrides = {"CATALOGUE_CACHE_DIR": str(args.cache) if args.cache else None}
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            result = profiler.runcall(build_site, args.output, args.content, settings_overrides=overrides)
            profiler.dump_stats(args.profile)
        else:
            result = build_site(args.output, args.content, settings_overrides=overrides)
        print(f"Đã dựng {result.product_count} trang sản phẩm.")
        return 0

    from portal.validate import validate_content

    check = validate_content(args.content, cache_dir=args.cache)
    print(f"Đã kiểm tra {len(check.proposals)} đề xuất: {len(check.errors)} lỗi.")
    return 0 if check.ok else 1


if __name__ == "__main__":
    sys.exit(main())
