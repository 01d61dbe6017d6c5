"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright, and the built site
served on the loopback interface."""

from __future__ import annotations

import contextlib
import threading
import urllib.parse
from pathlib import Path

import pytest

from portal.sitebuild import make_server

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking switches Chromium keeps trying to reach Google's hosts, which
# this sandbox's closed network refuses.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is missing at /usr/bin/chromium: run scripts/install-test-deps")


@contextlib.contextmanager
def serving(output_dir: Path):
    """Serve a built site on 127.0.0.1 with a port the OS chooses; yield its base address."""
    server = make_server(output_dir, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def launched_chromium():
    """Launch headless Chromium through Playwright and close it afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


def loopback_only(route) -> None:
    """Playwright route handler that aborts every request to a host other than loopback."""
    host = urllib.parse.urlsplit(route.request.url).hostname
    if host in LOOPBACK_HOSTS:
        route.continue_()
    else:
        route.abort()
