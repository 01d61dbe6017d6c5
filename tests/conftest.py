"""Shared test helpers: the repository root, the registry data folder and proposal builders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
VALID_PROPOSAL = FIXTURES / "valid" / "he-thong-quan-ly-van-ban.yaml"


def shared_dir() -> Path:
    return Path(os.environ.get("PORTAL_SHARED_DIR", REPO_ROOT.parent / "shared"))


def registry_dir() -> Path:
    """Return the registry data folder; skip the test where it is absent, fail instead under CI."""
    path = shared_dir() / "data" / "dpga"
    if not (path / "nominees").is_dir():
        if os.environ.get("PORTAL_REQUIRE_SHARED"):
            pytest.fail(f"registry data missing at {path}, and PORTAL_REQUIRE_SHARED is set")
        pytest.skip(f"registry data not found at {path} (set PORTAL_SHARED_DIR)")
    return path


@pytest.fixture
def dpga_dir() -> Path:
    """The registry data under shared/; skipped where it is absent, except in CI."""
    return registry_dir()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the run."""
    from browser_support import launched_chromium

    with launched_chromium() as instance:
        yield instance


@pytest.fixture
def valid_text() -> str:
    return VALID_PROPOSAL.read_text(encoding="utf-8")


@pytest.fixture
def write_proposal(tmp_path):
    """Write proposal text as content/proposals/<slug>.yaml under tmp_path and return its path."""

    def write(text: str, slug: str = "he-thong-quan-ly-van-ban") -> Path:
        folder = tmp_path / "content" / "proposals"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{slug}.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(autouse=True, scope="session")
def _build_cache_outside_the_repository(tmp_path_factory):
    """Builds in tests keep their cache in a temporary folder, not in the repository's .cache/."""
    previous = os.environ.get("CATALOGUE_CACHE_DIR")
    os.environ["CATALOGUE_CACHE_DIR"] = str(tmp_path_factory.mktemp("build-cache"))
    yield
    if previous is None:
        os.environ.pop("CATALOGUE_CACHE_DIR", None)
    else:
        os.environ["CATALOGUE_CACHE_DIR"] = previous
