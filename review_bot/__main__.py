"""Command line of the review bot, as GitHub Actions runs it.

    python -m review_bot event      # handle the event in GITHUB_EVENT_NAME / GITHUB_EVENT_PATH
    python -m review_bot schedule   # deadlines, reminders, repairs and the open-dossier snapshot
    python -m review_bot setup      # prepare a new repository (labels, protection, Pages)

The token comes from GITHUB_TOKEN (the workflow's token or a GitHub App installation token) and
the repository from GITHUB_REPOSITORY; GITHUB_API_URL changes the API address. With --config-dir
(or PORTAL_ROOT) naming the workflow's checkout of the default branch, the roster and the
configuration are read from disk instead of through the API.

A comment event that can change nothing (no command, a bot's comment, an edit) ends before the
GitHub client and the rest of the bot are even imported.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from portal.arguments import VietnameseArgumentParser

from .prefilter import skip_reason

log = logging.getLogger("review_bot")


def main(argv: list[str] | None = None) -> int:
    parser = VietnameseArgumentParser(prog="python -m review_bot", description="Bot rà soát hồ sơ đề xuất.")
    parser.add_argument("command", choices=["event", "schedule", "setup"],
                        help="event: xử lý sự kiện của GitHub Actions; schedule: chạy định kỳ; setup: chuẩn bị kho mới")
    parser.add_argument("--repository", default=os.environ.get("GITHUB_REPOSITORY"),
                        help="kho dạng chủ-sở-hữu/tên (mặc định: GITHUB_REPOSITORY)")
    parser.add_argument("--branch", default=None, help="nhánh chính (mặc định: nhánh mặc định của kho, thường là main)")
    parser.add_argument("--config-dir", default=os.environ.get("PORTAL_ROOT") or None,
                        help="thư mục chứa bản checkout nhánh chính để đọc .github/roster.yaml và "
                             ".github/portal.yaml từ đĩa (mặc định: PORTAL_ROOT; không có thì đọc qua API)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    event_name = os.environ.get("GITHUB_EVENT_NAME", "schedule")
    payload = {}
    if os.environ.get("GITHUB_EVENT_PATH"):
        with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as handle:
            payload = json.load(handle)
    if args.command == "event":
        reason = skip_reason(event_name, payload)
        if reason is not None:
            log.info("Nothing to do, no GitHub request made: %s", reason)
            return 0

    from .bot import Bot, BotFailure, load_settings
    from .client import GitHubClient, RetriesExhausted
    from .config import ConfigError
    from .setup import set_up

    token = os.environ.get("GITHUB_TOKEN")
    if not token or not args.repository:
        print("Lỗi: cần biến môi trường GITHUB_TOKEN và GITHUB_REPOSITORY (hoặc --repository).", file=sys.stderr)
        return 2
    client = GitHubClient(args.repository, token, os.environ.get("GITHUB_API_URL", "https://api.github.com"))

    if args.command == "setup":
        problems = set_up(client, args.branch or "main")
        for problem in problems:
            print(f"Lỗi: {problem}", file=sys.stderr)
        return 1 if problems else 0

    branch = args.branch or (payload.get("repository") or {}).get("default_branch") or "main"
    try:
        config, roster = load_settings(client, branch, args.config_dir)
    except ConfigError as error:
        print(f"Lỗi cấu hình trên nhánh {branch}:\n{error}", file=sys.stderr)
        return 2

    bot = Bot(client, config, roster)
    try:
        if args.command == "schedule":
            bot.run_schedule()
        else:
            bot.handle(event_name, payload)
    except (BotFailure, RetriesExhausted) as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 1
    for line in bot.annotations:
        print(line)
    return 1 if bot.read_only and any(line.startswith("::error") for line in bot.annotations) else 0


if __name__ == "__main__":
    sys.exit(main())
