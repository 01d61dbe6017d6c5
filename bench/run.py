"""Run every benchmark of the portal in one go and write `docs/benchmarks.md`.

    .venv/bin/python bench/run.py [--sizes 1000,10000] [--repeat 3] [--quick] [--output FILE]

For each size N it generates N seeded proposals with selected records, then times as separate
processes: our full build from an empty cache, our rebuild after one proposal changes, stock
Pelican and Hugo on the same entries as Markdown, our validator and check-jsonschema on the same
files. Once, it counts the review bot's API requests per event on the local GitHub server, times
the bot's start-up, weighs each page type and measures search in headless Chromium on the
largest size. `--quick` is the N = 50 smoke run that the test suite executes.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from bench import bot_costs, browser, comparators  # noqa: E402
from bench.generate import change_summary, generate  # noqa: E402
from bench.timing import Series, run_timed  # noqa: E402

log = logging.getLogger("bench")

PYTHON = sys.executable
TASKS = str(REPO_ROOT / "bench" / "tasks.py")
SCHEMA_DIR = REPO_ROOT / "schema"
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
CHANGED_PROPOSAL = "san-pham-00001.yaml"
SECTIONS = ("## Máy đo", "## Dựng trang", "## Kiểm tra hồ sơ", "## Bot rà soát", "## Trọng lượng trang và tìm kiếm",
            "## So với mục tiêu", "## Hồ sơ thời gian của bản dựng")
# Hand-written reading of the figures (what bounds each missed target), appended to the report.
ANALYSIS = REPO_ROOT / "bench" / "analysis.md"


# --- machine -------------------------------------------------------------------------------------


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "chưa cài"


def _command_output(command: list[str]) -> str:
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "không chạy được"


def machine() -> dict[str, str]:
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    hugo = comparators.hugo_binary()
    return {
        "Nhân CPU": str(os.cpu_count()),
        "Bộ nhớ": memory,
        "Hệ điều hành": platform.platform(),
        "Python": platform.python_version(),
        "Pelican": _version("pelican"),
        "Markdown": _version("markdown"),
        "PyYAML": _version("PyYAML"),
        "jsonschema": _version("jsonschema"),
        "check-jsonschema": _version("check-jsonschema"),
        "Hugo": _command_output([str(hugo), "version"]) if hugo else "chưa cài",
        "Playwright": _version("playwright"),
        "Chromium": _command_output([browser.CHROMIUM, "--version"]),
        "PyGithub": _version("PyGithub"),
        "Tải trung bình khi bắt đầu (1, 5, 15 phút)": ", ".join(f"{value:.1f}" for value in os.getloadavg()),
    }


def _filesystem(path: Path) -> str:
    """Return the type of the file system that contains `path`, read from /proc/mounts."""
    best, kind = "", "?"
    mounts = Path("/proc/mounts")
    if mounts.is_file():
        resolved = str(path.resolve())
        for line in mounts.read_text().splitlines():
            parts = line.split()
            if len(parts) > 2 and resolved.startswith(parts[1]) and len(parts[1]) > len(best):
                best, kind = parts[1], parts[2]
    return kind


# --- measurements per size -------------------------------------------------------------------------


def _repeat(times: int, command_for) -> Series:
    series = Series()
    for attempt in range(times):
        series.add(run_timed(command_for(attempt)))
    return series


def _change_one_proposal(content: Path) -> None:
    change_summary(content / "proposals" / CHANGED_PROPOSAL, "Bản cập nhật đo hiệu năng.")


def measure_size(count: int, work: Path, repeat: int, seed: int, profile: bool = False) -> dict:
    log.info("size %d: generating content", count)
    content = work / f"noi-dung-{count}"
    generate(count, content, seed)
    files = len(list(content.glob("*/*.yaml")))
    figures: dict = {"count": count, "files": files}

    out = work / f"trang-{count}"

    def cold_build(attempt: int) -> list[str]:
        cache = work / f"bo-dem-{count}-lanh-{attempt}"
        shutil.rmtree(cache, ignore_errors=True)
        return [PYTHON, TASKS, "build", str(content), str(out), "--cache", str(cache)]

    log.info("size %d: our full build", count)
    figures["ours_full"] = _repeat(repeat, cold_build)

    warm_cache = work / f"bo-dem-{count}-am"
    shutil.rmtree(warm_cache, ignore_errors=True)
    run_timed([PYTHON, TASKS, "build", str(content), str(out), "--cache", str(warm_cache)])
    log.info("size %d: our rebuild after one change", count)

    def rebuild(attempt: int) -> list[str]:
        _change_one_proposal(content)
        return [PYTHON, TASKS, "build", str(content), str(out), "--cache", str(warm_cache)]

    figures["ours_rebuild"] = _repeat(repeat, rebuild)
    figures["site_output"] = out
    if profile:
        # cProfile slows the build several times over, so only one size is profiled.
        log.info("size %d: profiling our full build", count)
        profile_path = work / f"ho-so-{count}.prof"
        shutil.rmtree(work / f"bo-dem-{count}-ho-so", ignore_errors=True)
        run_timed([PYTHON, TASKS, "build", str(content), str(work / f"trang-ho-so-{count}"),
                   "--cache", str(work / f"bo-dem-{count}-ho-so"), "--profile", str(profile_path)])
        figures["profile"] = profile_rows(profile_path)

    pelican_site = work / f"pelican-{count}"
    comparators.prepare_pelican(content, pelican_site)
    log.info("size %d: stock Pelican", count)
    figures["pelican"] = _repeat(
        repeat, lambda attempt: comparators.pelican_command(pelican_site, work / f"pelican-ra-{count}"))

    hugo_site = work / f"hugo-{count}"
    comparators.prepare_hugo(content, hugo_site)
    log.info("size %d: Hugo", count)
    figures["hugo"] = _repeat(repeat, lambda attempt: comparators.hugo_command(hugo_site, work / f"hugo-ra-{count}"))

    log.info("size %d: validation", count)

    def validate_cold(attempt: int) -> list[str]:
        cache = work / f"bo-dem-kiem-tra-{count}-{attempt}"
        shutil.rmtree(cache, ignore_errors=True)
        return [PYTHON, TASKS, "validate", str(content), "--cache", str(cache)]

    figures["validate_cold"] = _repeat(repeat, validate_cold)
    figures["validate_warm"] = _repeat(
        repeat, lambda attempt: [PYTHON, TASKS, "validate", str(content), "--cache", str(warm_cache)])
    figures["check_jsonschema"] = _check_jsonschema(content, repeat)
    return figures


PROFILE_ROWS = 18


def profile_rows(path: Path) -> list[tuple[str, int, float, float]]:
    """Return the functions of the project and of Pelican's writer that take the most cumulative time."""
    import pstats

    stats = pstats.Stats(str(path))
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        try:
            relative = Path(filename).resolve().relative_to(REPO_ROOT)
        except ValueError:
            if "pelican" not in filename and "jinja2/environment" not in filename:
                continue
            relative = Path(filename.split("site-packages/")[-1])
        if str(relative).startswith((".venv", "bench")) and "pelican" not in str(relative):
            continue
        rows.append((f"{relative}:{line}({name})", calls, own, cumulative))
    rows.sort(key=lambda row: row[3], reverse=True)
    return rows[:PROFILE_ROWS]


def _check_jsonschema(content: Path, repeat: int) -> Series:
    """Time check-jsonschema on the proposals and on the records, with their schemas, added up."""
    tool = str(Path(PYTHON).parent / "check-jsonschema")
    proposals = sorted(str(path) for path in (content / "proposals").glob("*.yaml"))
    records = sorted(str(path) for path in (content / "evaluations").glob("*.yaml"))
    series = Series()
    for _ in range(repeat):
        first = run_timed([tool, "--schemafile", str(SCHEMA_DIR / "proposal.schema.json"), *proposals])
        second = run_timed([tool, "--schemafile", str(SCHEMA_DIR / "evaluation.schema.json"), *records])
        first.wall += second.wall
        first.cpu += second.cpu
        series.add(first)
    return series


# --- report ----------------------------------------------------------------------------------------


def _ratio(numerator: float, denominator: float) -> str:
    return f"{numerator / denominator:.1f}×" if denominator else "–"


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def write_report(path: Path, command: str, info: dict, sizes: list[dict], bot: list, startup: dict,
                 weights: dict, search, largest: int, elapsed: float) -> None:
    lines = ["# Đo hiệu năng", "",
             "Trang này do `bench/run.py` tạo ra; đừng sửa tay. Chạy lại bằng lệnh:", "",
             f"    {command}", "",
             "Mỗi số liệu thời gian là trung vị của các lần chạy, kèm khoảng (nhỏ nhất–lớn nhất) và thời gian CPU "
             "(user + system của tiến trình và các tiến trình con). Nội dung được sinh ngẫu nhiên có hạt giống "
             "(`bench/generate.py`), nên mỗi lần chạy đo cùng một khối lượng việc.",
             f"Tổng thời gian chạy: {elapsed / 60:.1f} phút.", "",
             SECTIONS[0], "", "| Mục | Giá trị |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in info.items()]

    lines += ["", SECTIONS[1], "",
              "Bản dựng đầy đủ bắt đầu với bộ đệm rỗng (như một bản sao mới). Bản dựng lại đổi tóm tắt của một "
              "đề xuất rồi dựng lại với bộ đệm của lần trước. Pelican gốc dựng cùng các sản phẩm dưới dạng bài "
              "Markdown với giao diện mặc định; Hugo dựng chúng dưới dạng trang Markdown với bố cục tối giản.", "",
              "| N | Của ta, dựng đầy đủ | Của ta, dựng lại sau 1 thay đổi | Pelican gốc | Hugo |",
              "| --- | --- | --- | --- | --- |"]
    for size in sizes:
        lines.append(f"| {size['count']} | {size['ours_full'].describe()} | {size['ours_rebuild'].describe()} | "
                     f"{size['pelican'].describe()} | {size['hugo'].describe()} |")

    lines += ["", SECTIONS[2], "",
              "Cùng các tệp, cùng lược đồ. Thông lượng tính theo thời gian thực (wall).", "",
              "| N tệp | Của ta, bộ đệm rỗng | Của ta, bộ đệm đầy | check-jsonschema | Tệp/giây (của ta, rỗng) | "
              "Tệp/giây (check-jsonschema) | Tỉ lệ |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for size in sizes:
        ours = size["files"] / size["validate_cold"].wall
        theirs = size["files"] / size["check_jsonschema"].wall
        lines.append(f"| {size['files']} | {size['validate_cold'].describe()} | {size['validate_warm'].describe()} | "
                     f"{size['check_jsonschema'].describe()} | {ours:.0f} | {theirs:.0f} | {_ratio(ours, theirs)} |")

    lines += ["", SECTIONS[3], "",
              "Số yêu cầu API GitHub và thời gian CPU của bot cho từng sự kiện, đếm trên máy chủ GitHub cục bộ của "
              "bộ kiểm thử (127.0.0.1). Kho đã được chuẩn bị bằng `python -m review_bot setup` (đủ nhãn). Như trên "
              "GitHub Actions, bot đọc cấu hình và danh sách cán bộ từ bản checkout nhánh `main` trên đĩa, không qua API.", "",
              "| Sự kiện | Yêu cầu API | Trong đó ghi | CPU của bot |", "| --- | --- | --- | --- |"]
    lines += [f"| {cost.event} | {cost.requests} | {cost.writes} | {cost.cpu * 1000:.0f} ms |" for cost in bot]
    help_times, event_times = startup["help"], startup["event"]
    lines += ["",
              f"Khởi động `python -m review_bot --help` (chỉ nạp mã): trung vị {statistics.median(help_times):.2f} s "
              f"({min(help_times):.2f}–{max(help_times):.2f}; {len(help_times)} lần).",
              f"Trọn một tiến trình `python -m review_bot event` với một bình luận không có lệnh, như Actions chạy: "
              f"trung vị {statistics.median(event_times):.2f} s ({min(event_times):.2f}–{max(event_times):.2f}).", ""]

    lines += [SECTIONS[4], "",
              f"Trên bản dựng N = {largest}. Số byte là kích thước nén gzip (mức 6) của HTML và của CSS, JS mà "
              "trang liên kết.", "",
              "| Loại trang | HTML | CSS + JS | Tổng |", "| --- | --- | --- | --- |"]
    lines += [f"| {name} | {_kb(item['html'])} | {_kb(item['assets'])} | {_kb(item['total'])} |"
              for name, item in weights.items()]
    lines += ["",
              f"Tìm kiếm trong Chromium không giao diện: truy vấn đầu «{browser.FIRST_QUERY}» tải "
              f"{search.first_files} tệp chỉ mục, {_kb(search.first_bytes)} (gzip); truy vấn tiếp theo "
              f"«{browser.NEXT_QUERY}» tải thêm {search.next_files} tệp, {_kb(search.next_bytes)}.",
              f"Độ trễ truy vấn (từ lúc gõ đến khi có kết quả, {len(search.latencies_ms)} truy vấn): trung vị "
              f"{search.median_ms:.0f} ms, khoảng {min(search.latencies_ms):.0f}–{max(search.latencies_ms):.0f} ms.",
              ""]
    lines += [SECTIONS[5], ""] + _targets(sizes, bot, startup, weights, search) + [""]
    lines += [SECTIONS[6], "",
              f"cProfile của một bản dựng đầy đủ (bộ đệm rỗng) ở N = {sizes[0]['count']}, tiến trình chính; công việc "
              "của các tiến trình con trong nhóm xử lý song song không nằm ở đây. Thời gian trong hồ sơ dài hơn "
              "khi chạy thường vì cProfile làm chậm mỗi lời gọi hàm.", "",
              "| Hàm | Số lần gọi | Thời gian riêng | Thời gian tích lũy |", "| --- | --- | --- | --- |"]
    lines += [f"| `{name}` | {calls} | {own:.2f} s | {cumulative:.2f} s |" for name, calls, own, cumulative in
              sizes[0]["profile"]]
    lines.append("")
    if ANALYSIS.is_file():
        lines += [ANALYSIS.read_text(encoding="utf-8").rstrip(), ""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def _targets(sizes: list[dict], bot: list, startup: dict, weights: dict, search) -> list[str]:
    largest = sizes[-1]
    full, pelican, hugo = largest["ours_full"].wall, largest["pelican"].wall, largest["hugo"].wall
    rebuild = largest["ours_rebuild"].wall
    validation = (largest["files"] / largest["validate_cold"].wall) / (largest["files"] / largest["check_jsonschema"].wall)
    no_command = next((cost.requests for cost in bot if cost.event == "bình luận không có lệnh"), None)
    command_max = max(cost.requests for cost in bot if cost.event.startswith("/"))
    product = weights.get("Sản phẩm", {}).get("total", 0)

    def verdict(met: bool) -> str:
        return "đạt" if met else "**chưa đạt**"

    rows = [
        ("Dựng đầy đủ nhanh hơn Pelican gốc ít nhất 4×", f"{_ratio(pelican, full)}", pelican / full >= 4),
        ("Dựng đầy đủ không quá 1,5× Hugo", f"{_ratio(full, hugo)} thời gian của Hugo", full <= 1.5 * hugo),
        ("Dựng lại sau 1 thay đổi không quá 1/4 Hugo", f"{_ratio(rebuild, hugo)} thời gian của Hugo", rebuild <= hugo / 4),
        ("Kiểm tra: thông lượng ít nhất 10× check-jsonschema", f"{validation:.1f}×", validation >= 10),
        ("Bình luận không có lệnh: 0 yêu cầu API", f"{no_command}", no_command == 0),
        ("Lệnh: tối đa 8 yêu cầu API", f"tối đa {command_max}", command_max <= 8),
        ("Bot khởi động dưới 1 giây", f"{statistics.median(startup['help']):.2f} s (--help)",
         statistics.median(startup["help"]) < 1),
        ("Trang sản phẩm tối đa 20 KB nén", _kb(product), product <= 20 * 1024),
        ("Truy vấn đầu tối đa 150 KB", _kb(search.first_bytes), search.first_bytes <= 150 * 1024),
        ("Độ trễ truy vấn tối đa 50 ms", f"{search.median_ms:.0f} ms", search.median_ms <= 50),
    ]
    lines = [f"Ở N = {largest['count']}:", "", "| Mục tiêu | Đo được | Kết quả |", "| --- | --- | --- |"]
    lines += [f"| {name} | {value} | {verdict(met)} |" for name, value, met in rows]
    return lines


# --- command line ----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chạy mọi phép đo hiệu năng của cổng và ghi docs/benchmarks.md.")
    parser.add_argument("--sizes", default="1000,10000", help="các số sản phẩm cần đo, cách nhau bằng dấu phẩy")
    parser.add_argument("--repeat", type=int, default=3, help="số lần chạy mỗi phép đo (mặc định 3)")
    parser.add_argument("--quick", action="store_true", help="chạy thử nhỏ: N = 50, mỗi phép đo một lần")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="tệp báo cáo Markdown cần ghi")
    parser.add_argument("--work", type=Path, default=None, help="thư mục làm việc (mặc định: thư mục tạm, xóa khi xong)")
    parser.add_argument("--seed", type=int, default=7, help="hạt giống ngẫu nhiên của nội dung sinh ra")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    try:
        sizes = [50] if args.quick else sorted({int(part) for part in args.sizes.split(",") if part.strip()})
    except ValueError:
        print(f"Lỗi: --sizes phải là các số nguyên cách nhau bằng dấu phẩy, ví dụ 1000,10000 (nhận được «{args.sizes}»).",
              file=sys.stderr)
        return 2
    if not sizes or min(sizes) < 1 or args.repeat < 1:
        print("Lỗi: --sizes và --repeat phải lớn hơn 0.", file=sys.stderr)
        return 2
    repeat = 1 if args.quick else args.repeat

    started = time.perf_counter()
    work = args.work or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        info = machine()
        info["Thư mục làm việc"] = f"{work} ({_filesystem(work)})"
        figures = [measure_size(count, work, repeat, args.seed, profile=index == 0)
                   for index, count in enumerate(sizes)]
        log.info("bot: requests and start-up")
        bot = bot_costs.event_costs()
        startup = bot_costs.startup_times(max(repeat, 3))
        output = figures[-1]["site_output"]
        log.info("page weight and search on %s", output)
        weights = browser.page_weights(output)
        search = browser.search_cost(output, repeat)
        info["Tải trung bình khi kết thúc (1, 5, 15 phút)"] = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        command = "python bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
        write_report(args.output, command.strip(), info, figures, bot, startup, weights, search, sizes[-1],
                     time.perf_counter() - started)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"Đã ghi báo cáo đo hiệu năng vào {args.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
