"""Pelican settings for the published catalogue: the development settings plus the public address.

The address comes from the PORTAL_SITEURL environment variable (for example
https://example.gov.vn/danh-muc-san-pham). Without it, links stay relative, which works on any
host and sub-path.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("PORTAL_SITEURL", "").rstrip("/")
RELATIVE_URLS = not SITEURL
