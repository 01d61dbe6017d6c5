"""Import the Digital Public Goods Alliance registry as proposals and evaluation records.

The source folder has the registry's layout: `nominees/<id>.json` (nominations),
`digitalpublicgoods/<id>.json` (screening answers), `reviews/<product name>_<reviewer>.json`
(one reviewer's answers) and `excluded-nominees/<id>.json` (nominations not accepted). The
source is only read. Mapping decisions:

- slug: the nominee file name without `.json`, folded to ASCII kebab-case when it is not
  (`nmf.earth` becomes `nmf-earth`, and the report says so). `source.id` keeps the file name.
- kind: `product` when the type list contains `software` or `aimodel`; a nomination that is
  only standard, content or data is a `solution`. domains: always `digital_transformation`,
  plus `science_technology` for data and AI models.
- name and summary: English from the nomination (the summary is its first sentences, up to
  about 300 characters). Products that name Việt Nam get Vietnamese texts written for this
  project, kept in `dpga_vi.yaml` beside this module.
- fields: sectors (weight 2) and SDG numbers (weight 1) mapped onto the portal's fields, at
  most four, strongest first; `information_communications` when nothing maps. `dpga_vi.yaml`
  may set the fields of a product whose main field no sector or SDG expresses.
- owner: the organisation marked `owner`, else the first one; an `enterprise` when its name
  ends in a legal form (Inc, Ltd, LLC, GmbH, AS, ...), else an `organisation`; country from the
  first development country. No tax code, because the registry has none. `dpga_vi.yaml` may
  correct the country. The organisation's contact person goes into `contact` and nowhere else.
- deployments: one nationwide deployment for a product whose screening names Việt Nam as a
  development or deployment country, dated by the month of its earliest review or, without a
  review, by the year of the newest review in the whole registry. Other products get
  `deployments: []`, which the portal rejects because it requires a deployment in Việt Nam.
- effectiveness: the SDG evidence texts; technology mastery `full` when the nomination lists a
  public source repository; one `open_source_licence` per licence; links are the website,
  repositories and documentation with http(s) addresses only (others are dropped and reported).
- evaluation record, only for stage `DPG`: decision `selected` dated by the latest review, or by
  the newest review anywhere in the registry when the entry has none; one `imported` history
  entry; `source.reviews` with each reviewer's pseudonymous id, time and criteria passed.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..yamlread import load_file
from . import mapping
from .mapping import Nomination, Review
from .yamlwrite import PROPOSAL_HEADER, RECORD_HEADER, RoundTripError, render_yaml, write_atomically

log = logging.getLogger(__name__)

TEXTS_VI_FILE = Path(__file__).with_name("dpga_vi.yaml")

NOMINEES_DIR = "nominees"
SCREENING_DIR = "digitalpublicgoods"
REVIEWS_DIR = "reviews"
EXCLUDED_DIR = "excluded-nominees"

WRITTEN = "written"
SKIPPED = "skipped"

# Why a nomination was skipped: a short code, and the Vietnamese text printed for the group.
EXCLUDED = "excluded"
NOT_VIETNAM = "not_vietnam"
NOT_APPROVED = "not_approved"
UNREADABLE = "unreadable"
DUPLICATE = "duplicate"
FAILED = "failed"
SKIP_REASONS = {
    EXCLUDED: "Bị loại khỏi danh mục nguồn (nằm trong thư mục excluded-nominees).",
    NOT_VIETNAM: "Không nêu Việt Nam là nơi phát triển hoặc triển khai (đã chọn --vietnam-only).",
    NOT_APPROVED: "Chưa được danh mục nguồn công nhận (đã chọn --approved-only).",
    UNREADABLE: "Không đọc được tệp JSON của đề cử.",
    DUPLICATE: "Trùng mã định danh với một đề cử khác.",
    FAILED: "Không ghi được tệp kết quả.",
}


class SourceError(Exception):
    """Raised when the source folder is not a registry export."""


@dataclass
class NominationResult:
    """What the import did with one nomination file."""

    source_id: str
    folder: str
    slug: str = ""
    name: str = ""
    stage: str = ""
    names_vietnam: bool = False
    status: str = SKIPPED
    skip_code: str = ""
    reason: str = ""
    proposal: Path | None = None
    record: Path | None = None
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """Every nomination read and what happened to it. The counts add up to the number of files read."""

    source_dir: Path
    output_dir: Path
    results: list[NominationResult] = field(default_factory=list)
    unmatched_reviews: list[str] = field(default_factory=list)

    @property
    def read(self) -> int:
        return len(self.results)

    @property
    def proposals_written(self) -> int:
        return sum(1 for result in self.results if result.proposal is not None)

    @property
    def records_written(self) -> int:
        return sum(1 for result in self.results if result.record is not None)

    @property
    def skipped(self) -> list[NominationResult]:
        return [result for result in self.results if result.status == SKIPPED]

    def skip_counts(self) -> Counter:
        """Count skipped nominations by skip code."""
        return Counter(result.skip_code for result in self.skipped)

    def summary_lines(self) -> list[str]:
        """Return the Vietnamese summary printed by `portal import-dpga`."""
        lines = [
            f"Đã đọc {self.read} đề cử từ {self.source_dir}.",
            f"Đã ghi {self.proposals_written} đề xuất vào {self.output_dir / 'proposals'} "
            f"và {self.records_written} hồ sơ đánh giá vào {self.output_dir / 'evaluations'}.",
            f"Bỏ qua {len(self.skipped)} đề cử.",
        ]
        for code, count in sorted(self.skip_counts().items(), key=lambda item: (-item[1], item[0])):
            lines.append(f"  - {count} đề cử: {SKIP_REASONS[code]}")
        for result in self.skipped:
            if result.skip_code in (UNREADABLE, DUPLICATE, FAILED):
                lines.append(f"  - {result.source_id}: {result.reason}")
        noted = [result for result in self.results if result.notes]
        if noted:
            lines.append(f"Ghi chú về {len(noted)} đề cử:")
            for result in noted:
                for note in result.notes:
                    lines.append(f"  - {result.source_id}: {note}")
        if self.unmatched_reviews:
            lines.append(f"{len(self.unmatched_reviews)} tệp ý kiến thẩm định không khớp tên đề cử nào: "
                         + ", ".join(self.unmatched_reviews) + ".")
        return lines


# --- reading the source -------------------------------------------------------------------------


def _read_json(path: Path) -> tuple[object, str]:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle), ""
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, str(error)


def _read_review(path: Path) -> Review | None:
    data, error = _read_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("timestamp"), int):
        log.warning("review %s unreadable or without a timestamp: %s", path.name, error or "no timestamp")
        return None
    answers = [value for value in data.values() if isinstance(value, dict) and isinstance(value.get("answer"), bool)]
    reviewer = data.get("user") if isinstance(data.get("user"), str) else path.stem.rsplit("_", 1)[-1]
    return Review(
        reviewer=reviewer,
        timestamp=data["timestamp"],
        criteria_passed=sum(1 for answer in answers if answer["answer"]),
        criteria_total=len(answers),
    )


def _read_reviews(source_dir: Path) -> dict[str, list[Review]]:
    """Return reviews grouped by the product name written before the last `_` of the file name."""
    by_name: dict[str, list[Review]] = {}
    folder = source_dir / REVIEWS_DIR
    if not folder.is_dir():
        return by_name
    for path in sorted(folder.glob("*.json")):
        review = _read_review(path)
        if review is not None:
            by_name.setdefault(path.stem.rsplit("_", 1)[0], []).append(review)
    return by_name


def _snapshot_time(reviews: dict[str, list[Review]], source_dir: Path) -> datetime.datetime:
    """Return the newest review time in the registry, which dates entries that have no review.

    Without any review the newest modification time of a nominee file is used instead.
    """
    times = [review.timestamp for group in reviews.values() for review in group]
    if not times:
        times = [int(path.stat().st_mtime) for path in (source_dir / NOMINEES_DIR).glob("*.json")]
    if not times:
        times = [0]
    return datetime.datetime.fromtimestamp(max(times), tz=datetime.timezone.utc)


def load_texts_vi(path: Path = TEXTS_VI_FILE) -> dict[str, dict]:
    """Load the Vietnamese texts written for the products that name Việt Nam, keyed by slug."""
    document = load_file(path)
    if document.problems:
        raise SourceError("; ".join(problem.as_text() for problem in document.problems))
    data = document.data or {}
    for slug, entry in data.items():
        missing = [key for key in ("summary_vi", "description_vi") if not (entry or {}).get(key)]
        if missing:
            raise SourceError(f"{path.name}: mục {slug} thiếu {', '.join(missing)}.")
    return data


# --- the import ---------------------------------------------------------------------------------


def import_registry(source_dir: Path, output_dir: Path, *, vietnam_only: bool = False,
                    approved_only: bool = False) -> ImportReport:
    """Write a proposal per nomination, and a record per approved one, under `output_dir`.

    Writes `output_dir/proposals/<slug>.yaml` and `output_dir/evaluations/<slug>.yaml`. Every
    nomination file, excluded ones included, appears once in the returned report.
    """
    source_dir = Path(source_dir)
    output_dir = Path(output_dir)
    nominees_dir = source_dir / NOMINEES_DIR
    if not nominees_dir.is_dir():
        raise SourceError(f"Không tìm thấy thư mục {nominees_dir}: thư mục nguồn phải có thư mục con {NOMINEES_DIR}/.")

    report = ImportReport(source_dir, output_dir)
    texts_vi = load_texts_vi()
    reviews = _read_reviews(source_dir)
    snapshot = _snapshot_time(reviews, source_dir)
    matched_names: set[str] = set()
    slugs: dict[str, str] = {}
    log.info("importing %s into %s (vietnam_only=%s, approved_only=%s)",
             source_dir, output_dir, vietnam_only, approved_only)

    for path in sorted(nominees_dir.glob("*.json")):
        result = NominationResult(source_id=path.stem, folder=NOMINEES_DIR)
        report.results.append(result)
        _import_one(path, result, report, texts_vi, reviews, snapshot, matched_names, slugs,
                    vietnam_only=vietnam_only, approved_only=approved_only)

    excluded_dir = source_dir / EXCLUDED_DIR
    for path in sorted(excluded_dir.glob("*.json")) if excluded_dir.is_dir() else []:
        result = NominationResult(source_id=path.stem, folder=EXCLUDED_DIR, skip_code=EXCLUDED,
                                  reason=SKIP_REASONS[EXCLUDED])
        data, _ = _read_json(path)
        if isinstance(data, dict):
            result.name = mapping.clean_line(data.get("name"))
            result.stage = mapping.clean_line(data.get("stage"))
        report.results.append(result)

    report.unmatched_reviews = sorted(
        name or "(tên trống)" for name in reviews if name not in matched_names)
    log.info("import finished: %d read, %d proposals, %d records, %d skipped",
             report.read, report.proposals_written, report.records_written, len(report.skipped))
    return report


def _import_one(path: Path, result: NominationResult, report: ImportReport, texts_vi: dict,
                reviews: dict[str, list[Review]], snapshot: datetime.datetime, matched_names: set[str],
                slugs: dict[str, str], *, vietnam_only: bool, approved_only: bool) -> None:
    data, error = _read_json(path)
    if not isinstance(data, dict):
        result.skip_code = UNREADABLE
        result.reason = f"Không đọc được tệp JSON: {error or 'nội dung không phải một đối tượng JSON'}."
        log.warning("nomination %s skipped: %s", path.name, result.reason)
        return

    slug = mapping.make_slug(path.stem)
    screening, _ = _read_json(path.parent.parent / SCREENING_DIR / path.name)
    name = mapping.clean_line(data.get("name"))
    raw_name = data.get("name") if isinstance(data.get("name"), str) else ""
    nomination_reviews = reviews.get(raw_name) or reviews.get(name) or []
    if nomination_reviews:
        matched_names.add(raw_name if raw_name in reviews else name)
    nomination = Nomination(path.stem, slug, data, screening if isinstance(screening, dict) else None,
                            nomination_reviews, texts_vi.get(slug))

    result.slug = slug
    result.name = name
    result.stage = mapping.clean_line(data.get("stage"))
    result.names_vietnam = nomination.names_vietnam
    if slug != path.stem:
        nomination.notes.append(f"Tên tệp không ở dạng chữ thường và gạch ngang, dùng mã định danh \"{slug}\".")
    if nomination.names_vietnam and nomination.texts_vi is None:
        nomination.notes.append("Chưa có bản tiếng Việt trong dpga_vi.yaml, đề xuất chỉ có bản tiếng Anh.")

    if vietnam_only and not nomination.names_vietnam:
        result.skip_code, result.reason = NOT_VIETNAM, SKIP_REASONS[NOT_VIETNAM]
        return
    if approved_only and not nomination.approved:
        result.skip_code = NOT_APPROVED
        result.reason = f"Chưa được danh mục nguồn công nhận, giai đoạn \"{result.stage}\" (đã chọn --approved-only)."
        return
    if slug in slugs:
        result.skip_code = DUPLICATE
        result.reason = f"Trùng mã định danh \"{slug}\" với đề cử {slugs[slug]}."
        return
    slugs[slug] = path.stem

    proposal_path = report.output_dir / "proposals" / f"{slug}.yaml"
    record_path = report.output_dir / "evaluations" / f"{slug}.yaml"
    try:
        # Both texts are made and checked before either file is written, so a mapping error
        # never leaves a proposal without its record.
        files = [(proposal_path, render_yaml(mapping.build_proposal(nomination, snapshot), PROPOSAL_HEADER,
                                             f"proposals/{slug}.yaml"))]
        if nomination.approved:
            files.append((record_path, render_yaml(mapping.build_record(nomination, snapshot), RECORD_HEADER,
                                                   f"evaluations/{slug}.yaml")))
        for target, raw in files:
            write_atomically(target, raw)
            if target == proposal_path:
                result.proposal = target
            else:
                result.record = target
        result.status = WRITTEN
    except (OSError, RoundTripError) as error:
        result.skip_code, result.status = FAILED, SKIPPED
        result.reason = f"Không ghi được tệp: {error}."
        if result.proposal is not None:
            result.reason += f" Đề xuất {result.proposal} đã được ghi nhưng thiếu hồ sơ đánh giá."
        log.error("nomination %s: writing failed: %s", path.stem, error)
    finally:
        result.notes.extend(nomination.notes)
    log.debug("nomination %s -> %s (record: %s)", path.stem, result.proposal, result.record)


# --- command line -------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `portal import-dpga` to its subcommand parser."""
    parser.add_argument("source", metavar="DIR", type=Path,
                        help="thư mục dữ liệu của danh mục DPGA (có thư mục con nominees/)")
    parser.add_argument("--output", type=Path, default=Path("content"),
                        help="thư mục ghi kết quả; đề xuất vào proposals/, hồ sơ đánh giá vào "
                             "evaluations/ (mặc định: content)")
    parser.add_argument("--vietnam-only", action="store_true",
                        help="chỉ nhập sản phẩm ghi Việt Nam là nơi phát triển hoặc triển khai")
    parser.add_argument("--approved-only", action="store_true",
                        help="chỉ nhập sản phẩm đã được công nhận (giai đoạn DPG)")


def run(args: argparse.Namespace) -> int:
    """Run `portal import-dpga` and print its summary.

    Returns 0 on success, 1 when a file could not be written and 2 when the source folder is not
    a registry export.
    """
    try:
        report = import_registry(args.source, args.output, vietnam_only=args.vietnam_only,
                                 approved_only=args.approved_only)
    except SourceError as error:
        print(f"Lỗi: {error}", file=sys.stderr)
        return 2
    print("\n".join(report.summary_lines()))
    failed = [result for result in report.results if result.skip_code == FAILED]
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="portal import-dpga",
                                     description="Nhập dữ liệu danh mục DPGA thành đề xuất và hồ sơ đánh giá.")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    sys.exit(main())
