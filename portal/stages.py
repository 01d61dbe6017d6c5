"""The five steps of the procedure as the labels a proposal pull request carries.

The review bot writes these labels and the catalogue's statistics and tracking pages read them
(and the open-dossier snapshot that uses the same texts), so both sides share this one module.
A proposal pull request carries exactly one label of `Stage` or `Outcome` at a time; condition
labels and one label per field stand beside it.
"""

from __future__ import annotations

import enum


class Stage(enum.Enum):
    """An open step of the procedure; the value is the label text, numbered so labels sort."""

    SUBMITTED = "1 · Đã gửi"
    INTAKE = "2 · Tiếp nhận, rà soát"
    COORDINATION = "3 · Điều phối"
    EVALUATION = "4 · Đánh giá"
    PUBLICATION = "5 · Chờ công bố"

    @property
    def number(self) -> int:
        return int(self.value.split(" ", 1)[0])

    @classmethod
    def from_number(cls, number: int) -> "Stage":
        return next(stage for stage in cls if stage.number == number)


class Outcome(enum.Enum):
    """A closed dossier; the value is the label text."""

    PUBLISHED = "Đã công bố"
    REFUSED = "Từ chối tiếp nhận"
    NOT_SELECTED = "Không được lựa chọn"
    WITHDRAWN = "Đã rút"


class Condition(enum.Enum):
    """A label that stands beside the stage label."""

    INVALID = "Hồ sơ chưa hợp lệ"
    NEEDS_SUPPLEMENT = "Cần bổ sung"
    SITE_VISIT = "Khảo sát thực tế"
    OVERDUE = "Quá hạn"
    OUT_OF_SCOPE = "Ngoài phạm vi"


# The outcome code written in an evaluation record (`decision.outcome`) for each outcome label.
OUTCOME_CODES = {
    Outcome.PUBLISHED: "selected",
    Outcome.REFUSED: "refused",
    Outcome.NOT_SELECTED: "not_selected",
    Outcome.WITHDRAWN: "withdrawn",
}

# GitHub refuses label names longer than 50 characters, and the longest field name is 41, so
# field labels carry a short prefix; the label's description holds the words "Lĩnh vực".
FIELD_LABEL_PREFIX = "LV · "

STAGE_AND_OUTCOME_LABELS = [stage.value for stage in Stage] + [outcome.value for outcome in Outcome]

LABEL_COLOURS = {
    Stage.SUBMITTED: "c5def5",
    Stage.INTAKE: "bfd4f2",
    Stage.COORDINATION: "d4c5f9",
    Stage.EVALUATION: "fef2c0",
    Stage.PUBLICATION: "c2e0c6",
    Outcome.PUBLISHED: "0e8a16",
    Outcome.REFUSED: "b60205",
    Outcome.NOT_SELECTED: "d93f0b",
    Outcome.WITHDRAWN: "6a737d",
    Condition.INVALID: "e11d21",
    Condition.NEEDS_SUPPLEMENT: "fbca04",
    Condition.SITE_VISIT: "5319e7",
    Condition.OVERDUE: "b60205",
    Condition.OUT_OF_SCOPE: "000000",
}

LABEL_DESCRIPTIONS = {
    Stage.SUBMITTED: "Bước 1: hồ sơ đã gửi, đang kiểm tra",
    Stage.INTAKE: "Bước 2: cán bộ tiếp nhận rà soát, đánh giá sơ bộ",
    Stage.COORDINATION: "Bước 3: điều phối viên giao cho ủy viên Hội đồng",
    Stage.EVALUATION: "Bước 4: nhóm chuyên gia độc lập đánh giá",
    Stage.PUBLICATION: "Bước 5: chờ cán bộ tiếp nhận công bố",
    Outcome.PUBLISHED: "Đã công bố trong danh mục",
    Outcome.REFUSED: "Hồ sơ bị từ chối tiếp nhận",
    Outcome.NOT_SELECTED: "Hồ sơ không được lựa chọn",
    Outcome.WITHDRAWN: "Người đề xuất đã rút hồ sơ",
    Condition.INVALID: "Tệp đề xuất có lỗi, cần sửa",
    Condition.NEEDS_SUPPLEMENT: "Hồ sơ được trả lại để bổ sung",
    Condition.SITE_VISIT: "Đang khảo sát thực tế, hạn xử lý tạm dừng",
    Condition.OVERDUE: "Đã quá hạn xử lý của bước hiện tại",
    Condition.OUT_OF_SCOPE: "Yêu cầu kéo có thay đổi ngoài một hồ sơ đề xuất",
}


def field_label(field_name_vi: str) -> str:
    """Return the label of a field, for example `LV · Hành chính công và quản lý nhà nước`."""
    return FIELD_LABEL_PREFIX + field_name_vi


def stage_of_label(name: str) -> Stage | Outcome | None:
    """Return the stage or outcome a label text stands for, or None for any other label."""
    for member in list(Stage) + list(Outcome):
        if member.value == name:
            return member
    return None
