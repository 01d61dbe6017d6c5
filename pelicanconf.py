"""Pelican settings of the public catalogue for local builds (`portal build`, `portal serve`).

Pelican reads only the upper-case names of this file. `publishconf.py` imports these settings and
changes what differs for the published site.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imported rather than named as a string: Pelican only logs an error for a plugin it cannot load
# and then builds a site without products, while a failed import here stops the build.
import plugins.portal_catalogue as portal_catalogue  # noqa: E402
import plugins.portal_public as portal_public  # noqa: E402
import plugins.portal_form as portal_form  # noqa: E402

SITENAME = "Danh mục sản phẩm, giải pháp khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
SITE_SHORT_NAME = "Danh mục sản phẩm, giải pháp KH-CN, ĐMST và CĐS"
MINISTRY_NAME = "Bộ Khoa học và Công nghệ"
AUTHOR = MINISTRY_NAME
SITEURL = ""
RELATIVE_URLS = True

PATH = str(ROOT / "content")
OUTPUT_PATH = str(ROOT / "output")
THEME = str(ROOT / "theme")
THEME_STATIC_DIR = "theme"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

PLUGINS = [portal_catalogue, portal_public, portal_form]
# GitHub repository (owner/name) that receives proposals from the submission form's "Mở trên GitHub"
# button. Change it for each deployment.
PORTAL_GITHUB_REPOSITORY = "bo-khcn/danh-muc-san-pham"
CATALOGUE_PER_PAGE = 20
CATALOGUE_NEWEST = 6
CATALOGUE_SCHEMA_DIR = str(ROOT / "schema")

# Pelican's readers read only the project's own Markdown pages, because the catalogue plugin reads
# proposals and records. The site has no reStructuredText pages, so the rst reader is off and no
# docutils warning can fail a build run with --fatal warnings.
READERS = {"rst": None}
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DISPLAY_PAGES_ON_MENU = False
DISPLAY_CATEGORIES_ON_MENU = False

# The catalogue plugin writes the home page. Pelican's blog pages (archives, tags, authors,
# categories) and feeds are not part of the site.
DIRECT_TEMPLATES = []
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

# The content cache compares modification times only and misses plugin and settings changes.
LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
# The project's own build cache: validation results and sanitised Markdown HTML, keyed on the
# file's bytes and on a hash of the code and library versions that produce them, so changed code
# misses the cache. Git ignores the folder. Set CATALOGUE_CACHE_DIR to move it, or to "" to turn it off.
CATALOGUE_CACHE_DIR = os.environ.get("CATALOGUE_CACHE_DIR", str(ROOT / ".cache")) or None
DELETE_OUTPUT_DIRECTORY = False

# Autoescaping keeps text from YAML files from reaching pages as HTML. The plugin sanitises
# Markdown fields itself and passes them to templates as Markup.
JINJA_ENVIRONMENT = {
    "autoescape": True,
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
}
