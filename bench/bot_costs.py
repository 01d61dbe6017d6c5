"""Count the GitHub API requests and CPU time of the review bot per event, on the local server.

The bot runs in this process through the real PyGithub client against the test suite's GitHub
server on 127.0.0.1 (an OS-chosen port). The server runs in its own thread, so the bot's CPU time
is taken with `time.thread_time()` around the handler, which leaves the server's work out.
The start-up time is that of a new `python -m review_bot` process, as GitHub Actions starts it.

The repository is one that `python -m review_bot setup` prepared (every label exists), and the
bot reads the roster and configuration from a checkout of main on disk, as the workflow runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS_DIR = REPO_ROOT / "tests"


@dataclass
class EventCost:
    event: str
    requests: int
    writes: int
    cpu: float


def _load_harness():
    if str(TESTS_DIR) not in sys.path:
        sys.path.insert(0, str(TESTS_DIR))
    from github_server import harness, server

    if not server.OPENAPI_PATH.exists() or not server.WEBHOOKS_PATH.exists():
        raise FileNotFoundError("Thiếu dữ liệu mẫu của GitHub trong tests/node: chạy scripts/install-test-deps.")
    return harness, server


def _measure(world, label: str, action) -> EventCost:
    state = world.state
    before = len(state.requests)
    writes_before = sum(1 for method, _, _ in state.requests if method != "GET")
    started = time.thread_time()
    action()
    cpu = time.thread_time() - started
    after = state.requests[before:]
    writes = sum(1 for method, _, _ in state.requests if method != "GET") - writes_before
    return EventCost(label, len(after), writes, cpu)


def event_costs() -> list[EventCost]:
    """Drive one proposal through its whole life plus the side commands, one cost per event."""
    harness, server = _load_harness()
    costs: list[EventCost] = []
    state = harness.new_state()
    harness.set_up_labels(state)
    with server.GitHubServer(state) as github:
        world = harness.World(github)
        world.checkout = REPO_ROOT

        files = {harness.PROPOSAL_PATH: harness.PROPOSAL.encode("utf-8")}
        number = state.open_pull(harness.SUBMITTER, files, "Đề xuất: Hệ thống một cửa điện tử")
        costs.append(_measure(world, "pull_request opened", lambda: world.pr_event(number, "opened")))
        state.push(number, files)
        costs.append(_measure(world, "pull_request synchronize", lambda: world.pr_event(number, "synchronize")))

        def say(login: str, body: str):
            comment_id = state.comment(number, login, body)
            return lambda: world.deliver(comment_id)

        officer = state.pulls[number].assignees[0]
        steps = [
            ("bình luận không có lệnh", harness.SUBMITTER, "Cảm ơn, chúng tôi đang chờ kết quả."),
            ("/tro-giup", harness.SUBMITTER, "/tro-giup"),
            ("/trang-thai", harness.SUBMITTER, "/trang-thai"),
            ("/tiep-nhan", officer, "/tiep-nhan Hồ sơ đầy đủ, đã triển khai thực tế."),
            ("/phan-cong", "dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-1"),
            ("/chuyen-gia", "uy-vien-hoi-dong-1", "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3"),
            ("/khao-sat", "uy-vien-hoi-dong-1", "/khao-sat"),
            ("/khao-sat xong", "uy-vien-hoi-dong-1", "/khao-sat xong"),
            ("/danh-gia", "chuyen-gia-1", harness.OPINION),
            ("/danh-gia (2)", "chuyen-gia-2", harness.OPINION),
            ("/danh-gia (3)", "chuyen-gia-3", harness.OPINION),
            ("/bao-cao", "uy-vien-hoi-dong-1", "/bao-cao lua-chon\nSản phẩm hiệu quả, đề nghị lựa chọn."),
            ("/cong-bo", officer, "/cong-bo\nSố quyết định: 123/QĐ-BKHCN\nNgười ký: Ví Dụ"),
        ]
        for label, login, body in steps:
            costs.append(_measure(world, label, say(login, body)))

        side_commands = [
            ("/tra-lai", None, "/tra-lai Bổ sung hợp đồng triển khai tại Huế."),
            ("/tu-choi", None, "/tu-choi Sản phẩm chưa triển khai thực tế tại Việt Nam."),
            ("/rut", harness.SUBMITTER, "/rut Chúng tôi sẽ nộp lại sau."),
        ]
        for label, login, body in side_commands:
            other = state.open_pull(harness.SUBMITTER, files, "Đề xuất: Hệ thống một cửa điện tử")
            world.pr_event(other, "opened")
            author = login or state.pulls[other].assignees[0]
            comment_id = state.comment(other, author, body)
            costs.append(_measure(world, label, lambda cid=comment_id: world.deliver(cid)))
    return costs


def startup_times(repeat: int) -> dict[str, list[float]]:
    """Time new bot processes: `--help` (imports only) and an event with a comment that has no command."""
    harness, server = _load_harness()
    env = dict(os.environ)
    python = sys.executable
    times: dict[str, list[float]] = {"help": [], "event": []}
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([python, "-m", "review_bot", "--help"], cwd=REPO_ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        times["help"].append(time.perf_counter() - started)

    with server.GitHubServer(harness.new_state()) as github, tempfile.TemporaryDirectory() as folder:
        world = harness.World(github)
        files = {harness.PROPOSAL_PATH: harness.PROPOSAL.encode("utf-8")}
        number = world.state.open_pull(harness.SUBMITTER, files, "Đề xuất")
        world.pr_event(number, "opened")
        comment_id = world.state.comment(number, harness.SUBMITTER, "Cảm ơn Quý Bộ.")
        event_path = Path(folder) / "event.json"
        payload = world.comment_payload(comment_id)
        # GitHub's published example names "master"; the local repository's branch is main.
        payload["repository"]["default_branch"] = "main"
        event_path.write_text(json.dumps(payload), encoding="utf-8")
        env.update({
            "GITHUB_TOKEN": "benchmark-token",
            "GITHUB_REPOSITORY": world.state.full_name,
            "GITHUB_API_URL": github.url,
            "GITHUB_EVENT_NAME": "issue_comment",
            "GITHUB_EVENT_PATH": str(event_path),
            "PORTAL_ROOT": str(REPO_ROOT),
        })
        for _ in range(repeat):
            started = time.perf_counter()
            subprocess.run([python, "-m", "review_bot", "event"], cwd=REPO_ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            times["event"].append(time.perf_counter() - started)
    return times
