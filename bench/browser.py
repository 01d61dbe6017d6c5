"""Page weight per page type and search cost in headless Chromium, on a built catalogue.

Weights are the gzip-compressed bytes of a page's HTML plus the stylesheets and scripts it links,
which is what a browser fetches from a host that compresses. The built site is served on
127.0.0.1 (an OS-chosen port) by the project's own preview server, which does not compress, so
search bytes are reported as the gzip size of each index file the page fetched.
"""

from __future__ import annotations

import gzip
import logging
import re
import statistics
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from portal.sitebuild import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SEARCH_PAGE = "tim-kiem/"
SEARCH_INDEX_PREFIX = "/tim-kiem/chi-muc/"
FIRST_QUERY = "ca phe"
NEXT_QUERY = "dien toan dam may"
LATENCY_QUERIES = ("ca phe", "quan ly van ban", "chữ ký số", "nông nghiệp thông minh", "giao thong")

_ASSET = re.compile(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"')


def _gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def _page_types(output: Path) -> dict[str, Path]:
    """Return one representative HTML file for each page type that exists in `output`."""
    def first(pattern: str) -> Path | None:
        return next(iter(sorted(output.glob(pattern))), None)

    candidates = {
        "Trang chủ": output / "index.html",
        "Danh mục (trang 1)": output / "danh-muc" / "index.html",
        "Sản phẩm": first("san-pham/*/index.html"),
        "Lĩnh vực": first("linh-vuc/*/index.html"),
        "Tổ chức": first("to-chuc/*/index.html"),
        "Tìm kiếm": output / "tim-kiem" / "index.html",
        "Thống kê": output / "thong-ke" / "index.html",
    }
    return {name: path for name, path in candidates.items() if path is not None and path.is_file()}


def page_weights(output: Path) -> dict[str, dict[str, int]]:
    """Return, per page type, the gzip bytes of its HTML, of its linked CSS and JS, and the total."""
    weights = {}
    for name, html_path in _page_types(output).items():
        html = html_path.read_text(encoding="utf-8")
        assets = 0
        for reference in sorted(set(_ASSET.findall(html))):
            asset = (html_path.parent / urlparse(reference).path).resolve()
            if asset.is_file() and output.resolve() in asset.parents:
                assets += _gzip_size(asset)
        page = _gzip_size(html_path)
        weights[name] = {"html": page, "assets": assets, "total": page + assets}
    return weights


@dataclass
class SearchCost:
    first_bytes: int
    first_files: int
    next_bytes: int
    next_files: int
    latencies_ms: list

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies_ms)


_RUN_QUERY = """
async (query) => {
  const input = document.getElementById('q');
  const status = document.getElementById('trang-thai-tim-kiem');
  status.textContent = '';
  const done = new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (status.textContent.length > 0) { observer.disconnect(); resolve(); }
    });
    observer.observe(status, {childList: true, characterData: true, subtree: true});
  });
  const started = performance.now();
  input.value = query;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await done;
  return performance.now() - started;
}
"""


def search_cost(output: Path, repeat: int = 3) -> SearchCost:
    """Load the search page, run a first and a next query, then time repeated queries."""
    from playwright.sync_api import sync_playwright

    # The preview server logs every request at INFO; hundreds of index fetches would bury the report.
    logging.getLogger("portal.sitebuild").setLevel(logging.WARNING)
    server = make_server(output, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.on("request", lambda request: fetched.append(urlparse(request.url).path))
                page.goto(site + SEARCH_PAGE, wait_until="load")
                fetched.clear()
                page.evaluate(_RUN_QUERY, FIRST_QUERY)
                first = [path for path in fetched if path.startswith(SEARCH_INDEX_PREFIX)]
                fetched.clear()
                page.evaluate(_RUN_QUERY, NEXT_QUERY)
                following = [path for path in fetched if path.startswith(SEARCH_INDEX_PREFIX)]
                latencies = []
                for _ in range(repeat):
                    for query in LATENCY_QUERIES:
                        latencies.append(page.evaluate(_RUN_QUERY, query))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()

    def size(paths: list[str]) -> int:
        return sum(_gzip_size(output / path.lstrip("/")) for path in set(paths)
                   if (output / path.lstrip("/")).is_file())

    return SearchCost(size(first), len(set(first)), size(following), len(set(following)), latencies)
