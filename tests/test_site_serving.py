"""The local server and the build output behave like the static host the site is published on."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from portal.sitebuild import build_site, make_server

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built_site(tmp_path_factory):
    output = tmp_path_factory.mktemp("serving") / "output"
    previous = os.umask(0o022)
    try:
        build_site(output)
    finally:
        os.umask(previous)
    return output


@pytest.fixture(scope="module")
def site_url(built_site):
    server = make_server(built_site, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_output_folder_readable_by_others(built_site):
    mode = stat.S_IMODE(built_site.stat().st_mode)
    assert mode == 0o755


def test_missing_page_gets_site_404(site_url):
    status, body = fetch(f"{site_url}/khong-co-trang-nay/")
    assert status == 404
    assert 'lang="vi"' in body
    assert "Error response" not in body


def test_missing_english_page_gets_english_404(site_url):
    status, body = fetch(f"{site_url}/en/no-such-page/")
    assert status == 404
    assert 'lang="en"' in body


def test_folder_without_index_not_listed(site_url):
    status, body = fetch(f"{site_url}/du-lieu/")
    assert status == 404
    assert "Directory listing" not in body


def test_preview_on_busy_port_explained(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "portal.cli", "preview", "tests/fixtures/valid/he-thong-quan-ly-van-ban.yaml",
             "--port", str(port)], capture_output=True, text=True, cwd=REPO_ROOT, timeout=300)
    assert result.returncode == 2
    assert "Không mở được cổng" in result.stderr
    assert "Traceback" not in result.stderr
