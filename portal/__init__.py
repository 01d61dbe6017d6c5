"""Shared core of the portal: reading, checking and describing proposals and evaluation records.

The review bot, the catalogue's Pelican plugins and the command-line tool all import from here,
so a proposal is read and judged by exactly one set of rules.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"


def _find_repo_root() -> Path:
    """Locate the portal repository: `PORTAL_ROOT`, the checkout this package sits in, or the
    current directory (a non-editable install run from a checkout, as in GitHub Actions)."""
    configured = os.environ.get("PORTAL_ROOT")
    if configured:
        return Path(configured).resolve()
    if (PACKAGE_DIR.parent / "schema").is_dir():
        return PACKAGE_DIR.parent
    return Path.cwd().resolve()


REPO_ROOT = _find_repo_root()
SCHEMA_DIR = REPO_ROOT / "schema"
