"""Build the public catalogue with Pelican and serve the built folder for a local preview.

`build_site` runs a real Pelican build with the repository's `pelicanconf.py` (or
`publishconf.py`) into a temporary folder beside the output folder and swaps it in only when the
build succeeded, so invalid content leaves the previous site untouched and nothing half-written.
The site is built once per interface language: Vietnamese at the root, then English under `en/`
with the English catalogue of interface strings (see `plugins.portal_catalogue.rendering`).
"""

from __future__ import annotations

import functools
import http.server
from http import HTTPStatus
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import REPO_ROOT
from .parallel import run_builds
from .problems import Problem, render

log = logging.getLogger(__name__)

DEVELOPMENT_SETTINGS = REPO_ROOT / "pelicanconf.py"
PUBLICATION_SETTINGS = REPO_ROOT / "publishconf.py"
DEFAULT_CONTENT_DIR = REPO_ROOT / "content"
# Interface languages; the one named by DEFAULT_LANG in the settings is built at the site root and
# every other one in a folder named after its code.
INTERFACE_LANGUAGES = ("vi", "en")


class ContentError(Exception):
    """Raised when a proposal or evaluation record is invalid, so the site cannot be built."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        count = len(self.problems)
        heading = f"Không thể dựng trang danh mục: có {count} lỗi trong hồ sơ đề xuất hoặc hồ sơ đánh giá."
        return heading + "\n" + render(self.problems, "text")


class SiteBuildError(Exception):
    """Raised when Pelican itself fails, for a reason other than invalid content."""


@dataclass
class BuildResult:
    """The slugs of the pages a successful build wrote, and where it wrote them."""

    output_dir: Path
    product_slugs: list[str] = field(default_factory=list)
    organisation_slugs: list[str] = field(default_factory=list)
    field_slugs: list[str] = field(default_factory=list)

    @property
    def product_count(self) -> int:
        return len(self.product_slugs)


def build_site(output_dir: str | os.PathLike, content_dir: str | os.PathLike | None = None,
               settings_overrides: dict | None = None, publish: bool = False) -> BuildResult:
    """Build the catalogue into `output_dir` and return what was built.

    Raises `ContentError` (carrying the problems) when content is invalid and
    `SiteBuildError` when Pelican fails otherwise. In both cases `output_dir` is left as it was.
    """
    from pelican import Pelican
    from pelican.log import console
    from pelican.plugins import signals
    from pelican.settings import read_settings

    output_dir = Path(output_dir).resolve()
    content_dir = Path(content_dir or DEFAULT_CONTENT_DIR).resolve()
    settings_file = PUBLICATION_SETTINGS if publish else DEVELOPMENT_SETTINGS
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))

    # Pelican writes a translated Markdown page as "<slug>-<lang>.html" by default. Each language
    # has its own build here, so translations are not written beside the original.
    overrides = {"PATH": str(content_dir), "OUTPUT_PATH": str(staging), "PAGE_LANG_SAVE_AS": ""}
    overrides.update(settings_overrides or {})
    settings = read_settings(str(settings_file), override=overrides)
    runs = [settings]
    default_language = settings.get("DEFAULT_LANG") or "vi"
    for language in INTERFACE_LANGUAGES:
        if language == default_language:
            continue
        translated = dict(overrides)
        translated.update({
            "DEFAULT_LANG": language,
            "OUTPUT_PATH": str(staging / language),
            "SITEURL": (settings.get("SITEURL") or "").rstrip("/") + "/" + language,
        })
        runs.append(read_settings(str(settings_file), override=translated))

    # Validation does not depend on the interface language, so it runs once here, before the
    # per-language builds, instead of once in each of their processes. The builds (this process
    # and its forked children) find the result through `prevalidated`.
    cache_dir = settings.get("CATALOGUE_CACHE_DIR") or None
    validated_dir = Path(settings["PATH"]).resolve()

    captured = {}

    def capture(generators):
        for generator in generators:
            if hasattr(generator, "catalogue") and "catalogue" not in captured:
                captured["catalogue"] = generator.catalogue

    signals.all_generators_finalized.connect(capture)
    log.info("building the catalogue from %s into %s", content_dir, output_dir)
    # Pelican prints an English summary line on its console, but the callers report in Vietnamese.
    console_was_quiet = console.quiet
    console.quiet = True
    try:
        _VALIDATED[str(validated_dir)] = _validate(validated_dir, cache_dir)
        # One process per interface language, so the builds use every core.
        run_builds(runs, lambda run_settings: _run_pelican(Pelican, run_settings))
    except ContentError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except Exception as error:
        shutil.rmtree(staging, ignore_errors=True)
        log.exception("the Pelican build failed")
        raise SiteBuildError(f"Dựng trang danh mục thất bại: {error}") from error
    finally:
        _VALIDATED.pop(str(validated_dir), None)
        console.quiet = console_was_quiet
        signals.all_generators_finalized.disconnect(capture)

    if "catalogue" not in captured:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(
            "Dựng trang danh mục thất bại: trình cắm plugins.portal_catalogue không được nạp. "
            f"Kiểm tra mục PLUGINS trong {settings_file.name}.")

    # mkdtemp creates the folder readable by its owner only; a web server running as another user
    # must be able to read the published site.
    umask = os.umask(0)
    os.umask(umask)
    staging.chmod(0o777 & ~umask)
    _replace_folder(staging, output_dir)
    catalogue = captured["catalogue"]
    result = BuildResult(
        output_dir=output_dir,
        product_slugs=[product["slug"] for product in catalogue.products],
        organisation_slugs=[organisation.slug for organisation in catalogue.organisations],
        field_slugs=[item.slug for item in catalogue.fields],
    )
    log.info("built %d product pages into %s", result.product_count, output_dir)
    return result


# The validated content of the build in progress, by resolved content folder. Set by `build_site`
# for the duration of one build only, so a later build always validates what is on disk then.
_VALIDATED: dict = {}


def prevalidated(content_dir: str | os.PathLike):
    """Return the `ContentCheck` that the running `build_site` made of `content_dir`, or None."""
    return _VALIDATED.get(str(Path(content_dir).resolve()))


def _validate(content_dir: Path, cache_dir: str | None):
    """Validate the content folder, log its warnings and raise `ContentError` on any error."""
    from .validate import validate_content

    check = validate_content(content_dir, cache_dir=cache_dir)
    for problem in check.problems:
        if not problem.is_error:
            log.warning("%s", problem.as_text())
    if not check.ok:
        raise ContentError(check.errors)
    return check


def _run_pelican(pelican_class, run_settings: dict) -> None:
    log.info("building the %s pages", run_settings.get("DEFAULT_LANG"))
    pelican_class(run_settings).run()


def _replace_folder(new: Path, target: Path) -> None:
    # Rename the old folder aside first so that the target path is never missing a complete site
    # for longer than two renames.
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        old.rmdir()
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve the built site as a static host would: the site's own 404 page, no folder listings."""

    def log_message(self, format, *args):  # noqa: A002 - the name is fixed by http.server
        log.info("%s %s", self.address_string(), format % args)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == HTTPStatus.NOT_FOUND else None
        if page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _not_found_page(self) -> Path | None:
        root = Path(self.directory)
        language = self.path.lstrip("/").split("/", 1)[0]
        for candidate in (root / language / "404.html", root / "404.html"):
            if language and candidate.is_file():
                return candidate
        return (root / "404.html") if (root / "404.html").is_file() else None


def make_server(output_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000) -> http.server.ThreadingHTTPServer:
    """Create (without starting) an HTTP server for the built folder; port 0 lets the OS choose."""
    handler = functools.partial(_QuietHandler, directory=str(Path(output_dir).resolve()))
    return http.server.ThreadingHTTPServer((host, port), handler)


def serve(output_dir: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the built site until interrupted (Ctrl+C)."""
    output_dir = Path(output_dir)
    if not (output_dir / "index.html").is_file():
        raise FileNotFoundError(
            f"Không tìm thấy trang đã dựng trong {output_dir}. Hãy chạy \"portal build\" trước.")
    server = make_server(output_dir, host, port)
    address, actual_port = server.server_address[:2]
    log.info("serving %s at http://%s:%d/", output_dir, address, actual_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped serving %s", output_dir)
    finally:
        server.server_close()
