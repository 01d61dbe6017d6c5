"""Measure search in headless Chromium at scale: bytes fetched and time of the first and next queries.

Run with `.venv/bin/python bench/search_browser.py [COUNT]` (default 10,000 products). It builds
the shipped catalogue (for the search page and its script), replaces the search index with one
built from COUNT generated proposals (bench/generate.py), serves the folder on 127.0.0.1 with a
port chosen by the system, and types queries into the search box. For each query it prints the
files fetched, their size gzipped (as a web server would send them) and the time from the input
event to the result list on screen.
"""

from __future__ import annotations

import gzip
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate  # noqa: E402
from plugins.portal_catalogue.model import build_catalogue  # noqa: E402
from plugins.portal_public import search  # noqa: E402
from portal.sitebuild import build_site, make_server  # noqa: E402
from portal.textfold import collation_key  # noqa: E402
from portal.validate import validate_content  # noqa: E402

QUERIES = ("ca phe", "quan ly van ban", "Dak", "hòa", "đường giao thông", "dien mat troi")
TIMED_QUERY = """async (query) => {
  const input = document.getElementById("q");
  const status = document.getElementById("trang-thai-tim-kiem");
  status.textContent = "";
  const started = performance.now();
  const done = new Promise(resolve => new MutationObserver((records, observer) => {
    if (status.textContent) { observer.disconnect(); resolve(performance.now() - started); }
  }).observe(status, {childList: true, characterData: true, subtree: true}));
  input.value = query;
  input.dispatchEvent(new Event("input"));
  return [await done, status.textContent, document.querySelectorAll("#ket-qua li").length];
}"""


def main(count: int) -> None:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        build_site(root / "output")
        generate(count, root / "content")
        check = validate_content(root / "content")
        catalogue = build_catalogue(check.proposals, check.records)
        proposals = {slug: document.data for slug, document in check.proposals.items()}
        ordered = sorted(catalogue.products, key=lambda product: collation_key(product["name"].value))
        shutil.rmtree(root / "output" / search.INDEX_URL)
        sizes = search.build_index(ordered, proposals, root / "output")
        total = sum(len(gzip.compress((root / "output" / name).read_bytes())) for name in sizes)
        print(f"{len(ordered)} products: {len(sizes)} index files, {total / 1024:.0f} KiB gzipped in total")

        server = make_server(root / "output", "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/tim-kiem/"
        fetched: list[str] = []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
                for first_query in QUERIES:
                    page = browser.new_page()
                    page.on("response", lambda response: fetched.append(urlparse(response.url).path))
                    page.goto(url)
                    page.wait_for_load_state("networkidle")
                    for position, query in enumerate((first_query, "thong minh")):
                        fetched.clear()
                        elapsed, status, shown = page.evaluate(TIMED_QUERY, query)
                        files = [path for path in fetched if "/chi-muc/" in path]
                        size = sum(len(gzip.compress((root / "output" / path.lstrip("/")).read_bytes())) for path in files)
                        label = "first" if position == 0 else "next "
                        print(f"{label} {query!r}: {elapsed:.1f} ms, {len(files)} files, {size / 1000:.1f} kB gzipped; "
                              f"{shown} shown; {status}")
                    page.close()
                browser.close()
        finally:
            server.shutdown()
            server.server_close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
