"""The `portal preview FILE` command: show a proposal's product page before it is submitted.

The real catalogue build runs on a temporary copy of the content folder. The copy contains the
proposal and a synthetic evaluation record whose decision is "selected", so the page looks
exactly as it would once published. Nothing in the repository's
content folder is changed, and the preview is served on 127.0.0.1 only.
"""

from __future__ import annotations

import datetime
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from .importer.yamlwrite import RECORD_HEADER, write_yaml
from .problems import render
from .sitebuild import DEFAULT_CONTENT_DIR, ContentError, SiteBuildError, build_site, make_server
from .validate import validate_proposal_file

log = logging.getLogger(__name__)

PRODUCT_PATH = "san-pham/{slug}/"
PREVIEW_NOTE = "Xem trước: hồ sơ chưa được gửi, chưa được đánh giá và chưa được công bố."


class PreviewError(Exception):
    """Raised when the preview cannot be built; carries a Vietnamese message for the user."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        self.problems = problems or []


def synthetic_record(slug: str, today: datetime.date | None = None) -> dict:
    """Return an evaluation record that marks `slug` as selected today, for the preview only."""
    day = (today or datetime.date.today()).isoformat()
    return {
        "schema_version": 1,
        "slug": slug,
        "sequence": 1,
        "decision": {"outcome": "selected", "date": day, "basis": PREVIEW_NOTE},
        "history": [{"date": f"{day}T00:00:00+07:00", "action": "published", "note": PREVIEW_NOTE}],
    }


def prepare_content(proposal_file: Path, content_dir: Path, work_dir: Path) -> tuple[Path, str]:
    """Copy the content folder into `work_dir` with the proposal shown as published.

    Returns the new content folder and the proposal's slug. Raises PreviewError when the proposal
    itself is invalid.
    """
    proposal_file = Path(proposal_file)
    if not proposal_file.is_file():
        raise PreviewError(f"Không tìm thấy tệp {proposal_file}. Cách sửa: kiểm tra lại đường dẫn tệp đề xuất.")
    document = validate_proposal_file(proposal_file)
    errors = [problem for problem in document.problems if problem.is_error]
    if errors:
        raise PreviewError(f"Tệp {proposal_file} chưa hợp lệ nên chưa thể xem trước.", errors)
    slug = document.data["slug"]

    content = work_dir / "content"
    if Path(content_dir).is_dir():
        shutil.copytree(content_dir, content)
    proposals = content / "proposals"
    evaluations = content / "evaluations"
    proposals.mkdir(parents=True, exist_ok=True)
    evaluations.mkdir(parents=True, exist_ok=True)

    shutil.copyfile(proposal_file, proposals / f"{slug}.yaml")
    attachments = proposal_file.parent / proposal_file.stem
    if attachments.is_dir():
        shutil.rmtree(proposals / slug, ignore_errors=True)
        shutil.copytree(attachments, proposals / slug)

    # Earlier decisions on the same slug (a resubmission) would hide the proposal, so the preview
    # replaces them with the one synthetic record.
    for old in evaluations.glob(f"{slug}.*yaml"):
        if old.name == f"{slug}.yaml" or old.name.split(".")[1].isdigit():
            old.unlink()
    write_yaml(evaluations / f"{slug}.yaml", synthetic_record(slug), RECORD_HEADER)
    log.info("prepared preview content for %s in %s", slug, content)
    return content, slug


def build_preview(proposal_file: Path, work_dir: Path, content_dir: Path | None = None) -> tuple[Path, str]:
    """Build the preview site into `work_dir/site`; return the site folder and the product path."""
    content, slug = prepare_content(proposal_file, Path(content_dir or DEFAULT_CONTENT_DIR), work_dir)
    site = work_dir / "site"
    try:
        build_site(site, content_dir=content)
    except ContentError as error:
        raise PreviewError("Nội dung có lỗi nên chưa thể dựng trang xem trước.", error.problems) from error
    except SiteBuildError as error:
        raise PreviewError(str(error)) from error
    return site, PRODUCT_PATH.format(slug=slug)


def command_preview(args) -> int:
    """Build the preview in a temporary folder and serve it until Ctrl+C."""
    with tempfile.TemporaryDirectory(prefix="portal-preview-") as temporary:
        try:
            site, product_path = build_preview(Path(args.file), Path(temporary),
                                               Path(args.content) if args.content else None)
        except PreviewError as error:
            if error.problems:
                print(render(error.problems, "text"), file=sys.stderr)
            print(str(error), file=sys.stderr)
            return 1

        try:
            server = make_server(site, host=args.host, port=args.port)
        except OSError as error:
            print(f"Không mở được cổng {args.port} trên {args.host}: {error.strerror}. "
                  "Hãy chọn cổng khác bằng --port (hoặc --port 0 để tự chọn).", file=sys.stderr)
            return 2
        host, port = server.server_address[:2]
        print(f"Trang sản phẩm xem trước: http://{host}:{port}/{product_path}")
        print("Nhấn Ctrl+C để dừng.", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("Đã dừng xem trước.")
        finally:
            server.server_close()
    return 0
