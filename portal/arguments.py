"""An argument parser whose help, usage and errors read in Vietnamese.

Shared by the `portal` command and the review bot's command line; it imports nothing else from the
portal, so the bot's start-up stays light.
"""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="cách dùng: " if prefix is None else prefix)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An argument parser that speaks Vietnamese and exits with code 2 on a usage error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        replacements = {
            "the following arguments are required": "thiếu tham số bắt buộc",
            "unrecognized arguments": "tham số không được hỗ trợ",
            "invalid choice": "lựa chọn không hợp lệ",
            "expected one argument": "cần một giá trị",
            "choose from": "chọn một trong",
            "argument ": "tham số ",
        }
        for english, vietnamese in replacements.items():
            message = message.replace(english, vietnamese)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {message}\n")


