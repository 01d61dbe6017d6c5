"""The bot's configuration and the roster of people with roles, read from the base branch.

Both files are read from the repository's default branch through the API, never from the pull
request under review, so a submitter cannot grant themselves a role or change a deadline.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from portal import SCHEMA_DIR
from portal.textfold import name_key
from portal.workdays import Calendar
from portal.yamlread import format_path, load_text

import json
from jsonschema import Draft202012Validator

# The role names are re-exported: the rest of the bot imports them from here.
from .roles import (ANYONE, COORDINATOR, COUNCIL_MEMBER, EXPERT, INTAKE_OFFICER, ROLE_NAMES,  # noqa: F401
                    SUBMITTER)

log = logging.getLogger(__name__)

CONFIG_PATH = ".github/portal.yaml"
ROSTER_PATH = ".github/roster.yaml"

DEFAULT_CRITERIA = [
    {"key": "novelty", "vi": "Tính mới và sáng tạo", "en": "Novelty and creativity"},
    {"key": "effectiveness", "vi": "Hiệu quả thực tế", "en": "Practical effectiveness"},
    {"key": "replicability", "vi": "Khả năng nhân rộng", "en": "Replicability"},
    {"key": "technology_mastery", "vi": "Mức độ làm chủ công nghệ", "en": "Technology mastery"},
    {"key": "information_security", "vi": "An toàn thông tin", "en": "Information security"},
]

DEFAULT_DEADLINES = {"intake": 5, "coordination": 3, "evaluation": 20, "publication": 5}


class ConfigError(Exception):
    """The configuration or roster on the base branch is invalid; the message is Vietnamese."""


@dataclass(frozen=True)
class Person:
    login: str
    name: str
    roles: frozenset
    organisation: str
    tax_code: str | None = None
    fields: tuple = ()

    def works_for(self, organisation_name: str | None, tax_code: str | None) -> bool:
        """Tell whether this person works for the proposal owner (a conflict of interest)."""
        if tax_code and self.tax_code and tax_code.split("-")[0] == self.tax_code.split("-")[0]:
            return True
        return bool(organisation_name) and name_key(organisation_name) == name_key(self.organisation)


@dataclass
class Roster:
    people: dict = field(default_factory=dict)

    def get(self, login: str) -> Person | None:
        return self.people.get(login.lower())

    def has_role(self, login: str, role: str) -> bool:
        person = self.get(login)
        return person is not None and role in person.roles

    def with_role(self, role: str) -> list[Person]:
        return sorted((p for p in self.people.values() if role in p.roles), key=lambda p: p.login)


@dataclass
class Config:
    bot_login: str = "github-actions[bot]"
    base_branch: str = "main"
    publication_workflow: str = "publish.yml"
    minimum_experts: int = 3
    deadlines: dict = field(default_factory=lambda: dict(DEFAULT_DEADLINES))
    calendar: Calendar = field(default_factory=Calendar)
    criteria: list = field(default_factory=lambda: [dict(c) for c in DEFAULT_CRITERIA])
    snapshot_path: str = "data/open-dossiers.json"

    def criterion_keys(self) -> list[str]:
        return [criterion["key"] for criterion in self.criteria]

    def criterion_name(self, key: str) -> str:
        for criterion in self.criteria:
            if criterion["key"] == key:
                return criterion["vi"]
        return key


def _load_yaml(text: str, path: str):
    document = load_text(text, path)
    if not document.ok:
        raise ConfigError("\n".join(problem.as_text() for problem in document.problems))
    return document


def parse_config(text: str | None) -> Config:
    """Parse `.github/portal.yaml`; a missing file gives the defaults."""
    config = Config()
    if text is None:
        return config
    data = _load_yaml(text, CONFIG_PATH).data or {}
    if not isinstance(data, dict):
        raise ConfigError(f"{CONFIG_PATH}: nội dung phải là nhóm khóa (khóa: giá trị).")

    for key in ("bot_login", "base_branch", "publication_workflow", "snapshot_path"):
        if key in data:
            if not isinstance(data[key], str) or not data[key]:
                raise ConfigError(f"{CONFIG_PATH}: {key} phải là văn bản, không để trống.")
            setattr(config, key, data[key])

    if "minimum_experts" in data:
        value = data["minimum_experts"]
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 20:
            raise ConfigError(f"{CONFIG_PATH}: minimum_experts phải là số nguyên từ 1 đến 20, đang là {value!r}.")
        config.minimum_experts = value

    for step, days in (data.get("deadlines") or {}).items():
        if step not in DEFAULT_DEADLINES:
            raise ConfigError(f"{CONFIG_PATH}: deadlines.{step} không phải một bước có hạn "
                              f"(chọn một trong: {', '.join(DEFAULT_DEADLINES)}).")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 365:
            raise ConfigError(f"{CONFIG_PATH}: deadlines.{step} phải là số ngày làm việc từ 1 đến 365.")
        config.deadlines[step] = days

    calendar = data.get("calendar") or {}
    try:
        config.calendar = Calendar.from_config(calendar.get("days_off") or (),
                                               calendar.get("make_up_days") or ())
    except (ValueError, AttributeError) as error:
        raise ConfigError(f"{CONFIG_PATH}: calendar có ngày viết sai ({error}); viết theo dạng YYYY-MM-DD.") from error

    if "criteria" in data:
        config.criteria = _parse_criteria(data["criteria"])
    return config


def _parse_criteria(items) -> list[dict]:
    if not isinstance(items, list) or not items:
        raise ConfigError(f"{CONFIG_PATH}: criteria phải là danh sách ít nhất một tiêu chí.")
    criteria = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) and item.get(k) for k in ("key", "vi")):
            raise ConfigError(f"{CONFIG_PATH}: criteria[{index}] cần có key và vi (tên tiếng Việt).")
        criteria.append({"key": item["key"], "vi": item["vi"], "en": item.get("en") or item["vi"]})
    return criteria


def parse_roster(text: str | None) -> Roster:
    """Parse and validate `.github/roster.yaml` against `schema/roster.schema.json`."""
    if text is None:
        raise ConfigError(f"Không tìm thấy {ROSTER_PATH} trên nhánh chính; bot không thể xác định vai trò.")
    document = _load_yaml(text, ROSTER_PATH)
    with open(SCHEMA_DIR / "roster.schema.json", encoding="utf-8") as handle:
        schema = json.load(handle)
    errors = sorted(Draft202012Validator(schema).iter_errors(document.data), key=lambda e: list(e.path))
    if errors:
        lines = []
        for error in errors:
            path = tuple(error.path)
            line, column = document.position(path)
            lines.append(f"{ROSTER_PATH}:{line}:{column}: {format_path(path) or '(toàn bộ tệp)'}: "
                         f"giá trị không hợp lệ theo schema/roster.schema.json ({error.validator}).")
        raise ConfigError("\n".join(lines))

    roster = Roster()
    for entry in document.data["people"]:
        login = entry["login"].lower()
        if login in roster.people:
            raise ConfigError(f"{ROSTER_PATH}: tài khoản {entry['login']} xuất hiện hai lần; gộp thành một mục.")
        roster.people[login] = Person(
            login=entry["login"], name=entry["name"], roles=frozenset(entry["roles"]),
            organisation=entry["organisation"], tax_code=entry.get("tax_code"),
            fields=tuple(entry.get("fields") or ()))
    return roster
