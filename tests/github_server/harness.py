"""Helpers that run the real bot, through the real PyGithub client, against the local server."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from review_bot.bot import Bot, all_labels, label_style, load_settings
from review_bot.client import GitHubClient, RetryPolicy

from .server import OPENAPI_PATH, WEBHOOKS_PATH, GitHubServer, RepoState, webhook_example
from .server import _pull as pull_json

REPO_ROOT = Path(__file__).resolve().parents[2]
SLUG = "he-thong-mot-cua-so"
PROPOSAL_PATH = f"content/proposals/{SLUG}.yaml"

PROPOSAL = """\
schema_version: 1
slug: he-thong-mot-cua-so
kind: product
domains: [digital_transformation]
name:
  vi: Hệ thống một cửa điện tử
summary:
  vi: Phần mềm tiếp nhận và trả kết quả thủ tục hành chính cho cấp xã.
description:
  vi: Hệ thống giúp người dân nộp hồ sơ trực tuyến và theo dõi kết quả.
fields: [public_administration]
owner:
  type: enterprise
  name: Công ty Cổ phần Giải pháp Số Mẫu
  country: VN
  tax_code: "0100109106"
  province: Hà Nội
contact:
  name: Phòng Kinh doanh
  email: lienhe@example.vn
deployments:
  - user: Ủy ban nhân dân xã Ví Dụ
    province: Huế
    since: "2023"
effectiveness:
  description:
    vi: Giảm 40% thời gian xử lý hồ sơ.
technology_mastery:
  level: full
commitments: [accurate_information, deployed_in_vietnam, agree_to_publication]
"""

OPINION = """/danh-gia
```yaml
criteria:
  novelty: {score: 8, comment: "Cách tiếp cận mới cho cấp xã"}
  effectiveness: {score: 9, comment: "Số liệu rõ ràng"}
  replicability: {score: 7, comment: "Nhân rộng được"}
  technology_mastery: {score: 8, comment: "Làm chủ mã nguồn"}
  information_security: {score: 7, comment: "Đã kiểm thử xâm nhập"}
summary: "Đề nghị lựa chọn"
```
"""

SUBMITTER = "doanh-nghiep-mau"


def require_node_packages() -> None:
    if not OPENAPI_PATH.exists() or not WEBHOOKS_PATH.exists():
        if os.environ.get("PORTAL_REQUIRE_SHARED"):
            pytest.fail("GitHub's REST description and webhook examples are missing from tests/node, "
                        "and PORTAL_REQUIRE_SHARED is set: scripts/install-test-deps must install them")
        pytest.skip("GitHub's REST description and webhook examples are missing: run "
                    "`npm install --prefix tests/node` (.ci/run does this)")


class World:
    """One fake repository with the project's roster and configuration on main, and its server."""

    def __init__(self, server: GitHubServer):
        self.server = server
        self.state = server.state
        self.sleeps: list[float] = []
        # A folder with a checkout of main, as the workflow makes: set it to read the roster and
        # configuration from disk instead of through the API (both hold the same files).
        self.checkout: Path | None = None

    def client(self) -> GitHubClient:
        policy = RetryPolicy(sleep=self.sleeps.append, max_total_wait=600)
        return GitHubClient(self.state.full_name, "test-token", base_url=self.server.url, policy=policy,
                            throttle=False, timeout=10)

    def bot(self) -> Bot:
        client = self.client()
        config, roster = load_settings(client, "main", self.checkout)
        return Bot(client, config, roster, clock=lambda: self.state.now)

    def pr_event(self, number: int, action: str = "opened") -> Bot:
        payload = webhook_example("pull_request", action)
        payload["number"] = number
        # The event carries the pull request as GitHub has it when the event fires.
        payload["pull_request"] = pull_json(self.state, self.state.pulls[number])
        payload["repository"]["full_name"] = self.state.full_name
        bot = self.bot()
        bot.handle("pull_request_target", payload)
        return bot

    def comment_payload(self, comment_id: int, action: str = "created") -> dict:
        comment = self.state.comments[comment_id]
        payload = webhook_example("issue_comment", action)
        payload["issue"]["number"] = comment.number
        # GitHub's published issue_comment examples are on issues; a pull request's carries this.
        payload["issue"]["pull_request"] = {"url": f"{self.server.url}/repos/{self.state.full_name}/pulls/{comment.number}"}
        payload["comment"]["id"] = comment.id
        payload["comment"]["body"] = comment.body
        payload["comment"]["user"]["login"] = comment.login
        payload["comment"]["user"]["type"] = comment.user_type
        payload["repository"]["full_name"] = self.state.full_name
        return payload

    def issue_event(self, number: int, action: str = "opened") -> Bot:
        """Deliver GitHub's published `issues` example for `action`, pointed at issue #number."""
        issue = self.state.issues[number]
        payload = webhook_example("issues", action)
        payload["issue"]["number"] = number
        payload["issue"]["body"] = issue.body
        payload["issue"]["user"]["login"] = issue.author
        payload["issue"]["labels"] = [{"name": name} for name in issue.labels]
        payload["issue"].pop("pull_request", None)
        payload["repository"]["full_name"] = self.state.full_name
        payload["repository"]["default_branch"] = "main"
        bot = self.bot()
        bot.handle("issues", payload)
        return bot

    def say(self, number: int, login: str, body: str, user_type: str = "User") -> int:
        """Post a comment as `login` and deliver its issue_comment event to the bot."""
        comment_id = self.state.comment(number, login, body, user_type)
        self.deliver(comment_id)
        return comment_id

    def deliver(self, comment_id: int, action: str = "created") -> Bot:
        bot = self.bot()
        bot.handle("issue_comment", self.comment_payload(comment_id, action))
        return bot

    def open_proposal(self, author: str = SUBMITTER, text: str = PROPOSAL, extra: dict | None = None) -> int:
        files = {PROPOSAL_PATH: text.encode("utf-8"), **(extra or {})}
        number = self.state.open_pull(author, files, "Đề xuất: Hệ thống một cửa điện tử")
        self.pr_event(number, "opened")
        return number

    def labels(self, number: int) -> list[str]:
        return list(self.state.pulls[number].labels)

    def bot_comments(self, number: int) -> list:
        return [c for c in self.state.comments_of(number) if c.login == self.state.bot_login]

    def last_reply(self, number: int) -> str:
        return self.bot_comments(number)[-1].body if self.bot_comments(number) else ""

    def status_comments(self, number: int) -> list:
        return [c for c in self.bot_comments(number) if "portal-review-bot:status" in c.body]

    def advance_to_evaluation(self, number: int) -> None:
        officer = self.state.pulls[number].assignees[0]
        self.say(number, officer, "/tiep-nhan Hồ sơ đầy đủ, đã triển khai thực tế.")
        self.say(number, "dieu-phoi-vien-1", "/phan-cong @uy-vien-hoi-dong-1")
        self.say(number, "uy-vien-hoi-dong-1", "/chuyen-gia @chuyen-gia-1 @chuyen-gia-2 @chuyen-gia-3")

    def advance_to_publication(self, number: int) -> None:
        self.advance_to_evaluation(number)
        for expert in ("chuyen-gia-1", "chuyen-gia-2", "chuyen-gia-3"):
            self.say(number, expert, OPINION)
        self.say(number, "uy-vien-hoi-dong-1", "/bao-cao lua-chon\nSản phẩm hiệu quả, đề nghị lựa chọn.")


def set_up_labels(state: RepoState) -> None:
    """Create every label of the bot with its colour and description, as `review_bot setup` does."""
    for name in all_labels():
        colour, description = label_style(name)
        state.labels[name] = {"id": next(state.ids), "name": name, "color": colour, "description": description}


def new_state() -> RepoState:
    state = RepoState()
    state.commit_main({
        ".github/roster.yaml": (REPO_ROOT / ".github" / "roster.yaml").read_bytes(),
        ".github/portal.yaml": (REPO_ROOT / ".github" / "portal.yaml").read_bytes(),
    })
    return state


@pytest.fixture
def world():
    require_node_packages()
    with GitHubServer(new_state()) as server:
        yield World(server)


def copy_state(state: RepoState) -> RepoState:
    return copy.copy(state)
