"""Shared core of the portal: reading, checking and describing proposals and evaluation records.

The review bot, the catalogue's Pelican plugins and the command-line tool all import from here,
so a proposal is read and judged by exactly one set of rules.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
SCHEMA_DIR = REPO_ROOT / "schema"
DATA_DIR = PACKAGE_DIR / "data"
