"""Open data of the catalogue: JSON, CSV, an Atom feed, the sitemap and robots.txt.

Every value comes from `plugins.portal_catalogue.model.public_proposal`, the allow-list of public
proposal keys, so the submitter's `contact:` block never reaches a file written here. XML is
built with `xml.etree.ElementTree` after removing the characters XML 1.0 forbids, so a control
character in a proposal cannot make a feed unreadable.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from plugins.portal_catalogue.model import public_proposal
from portal import schemas

OPEN_DATA_URL = "du-lieu/"
PRODUCT_JSON_URL = "du-lieu/san-pham/{slug}.json"
FEED_URL = "feeds/atom.xml"
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
FEED_SIZE = 50

# Characters that XML 1.0 does not allow anywhere, not even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

CSV_COLUMNS = (
    "slug", "ten", "ten_tieng_anh", "loai", "mien", "linh_vuc", "to_chuc", "loai_chu_so_huu",
    "tinh_thanh_pho", "tom_tat", "ngay_cong_bo", "so_quyet_dinh", "dia_chi",
)


def xml_text(value) -> str:
    """Return `value` as text with the characters XML 1.0 forbids removed."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def product_record(product: dict, proposal: dict, record: dict, site_url: str) -> dict:
    """Build the open-data entry of one published product: public fields and the decision."""
    public = public_proposal(proposal)
    decision = record.get("decision") if isinstance(record.get("decision"), dict) else {}
    public["decision"] = {
        key: decision[key] for key in ("outcome", "date", "published", "reference", "basis", "document")
        if key in decision
    }
    public["url"] = site_url + product["url"]
    return public


def write_json(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def _both(value) -> tuple[str, str]:
    if isinstance(value, dict):
        return value.get("vi", ""), value.get("en", "")
    return str(value or ""), ""


def csv_row(entry: dict) -> list[str]:
    name_vi, name_en = _both(entry.get("name"))
    summary_vi, summary_en = _both(entry.get("summary"))
    owner = entry.get("owner") or {}
    decision = entry.get("decision") or {}
    return [
        entry.get("slug", ""),
        name_vi or name_en,
        name_en,
        schemas.label("kind", entry.get("kind", "")),
        "; ".join(schemas.label("domains", code) for code in entry.get("domains") or []),
        "; ".join(schemas.label("fields", code) for code in entry.get("fields") or []),
        owner.get("name", ""),
        schemas.label("owner_type", owner.get("type", "")),
        owner.get("province", ""),
        summary_vi or summary_en,
        str(decision.get("published") or decision.get("date") or ""),
        decision.get("reference", ""),
        entry.get("url", ""),
    ]


# A spreadsheet reads a cell starting with one of these as a formula (CSV formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: str) -> str:
    """Return `value` safe for a spreadsheet: control characters removed, and a leading `'` when
    the text would otherwise start a formula. Only the CSV file is changed; JSON keeps the text."""
    text = _NOT_XML.sub("", value)
    if value.startswith(_FORMULA_START) or text.startswith(_FORMULA_START):
        return "'" + text
    return text


def catalogue_csv(entries: list[dict]) -> bytes:
    """Return the catalogue as CSV in UTF-8 with a byte order mark, so Excel shows diacritics."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in entries:
        writer.writerow([csv_cell(value) for value in csv_row(entry)])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def _timestamp(date_text: str) -> str:
    date_text = str(date_text or "1970-01-01")
    if "T" in date_text:
        return date_text
    return f"{date_text[:10]}T00:00:00+07:00"


def atom_feed(entries: list[dict], site_url: str, title: str, updated_fallback: str = "1970-01-01") -> bytes:
    """Return an Atom feed of the newest publications (at most FEED_SIZE entries)."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed", {"xml:lang": "vi"})
    newest = sorted(entries, key=lambda e: str((e.get("decision") or {}).get("published") or (e.get("decision") or {}).get("date") or ""), reverse=True)[:FEED_SIZE]
    dates = [str((e.get("decision") or {}).get("published") or (e.get("decision") or {}).get("date") or "") for e in newest]

    ElementTree.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ElementTree.SubElement(feed, f"{{{ATOM}}}id").text = xml_text(site_url + FEED_URL)
    ElementTree.SubElement(feed, f"{{{ATOM}}}updated").text = _timestamp(dates[0] if dates else updated_fallback)
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": xml_text(site_url + FEED_URL)})
    author = ElementTree.SubElement(feed, f"{{{ATOM}}}author")
    ElementTree.SubElement(author, f"{{{ATOM}}}name").text = xml_text(title)

    for entry, date in zip(newest, dates):
        name_vi, name_en = _both(entry.get("name"))
        summary_vi, summary_en = _both(entry.get("summary"))
        item = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        ElementTree.SubElement(item, f"{{{ATOM}}}title").text = xml_text(name_vi or name_en)
        ElementTree.SubElement(item, f"{{{ATOM}}}id").text = xml_text(entry.get("url", ""))
        ElementTree.SubElement(item, f"{{{ATOM}}}link", {"href": xml_text(entry.get("url", ""))})
        ElementTree.SubElement(item, f"{{{ATOM}}}updated").text = _timestamp(date)
        ElementTree.SubElement(item, f"{{{ATOM}}}summary").text = xml_text(summary_vi or summary_en)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def sitemap(urls: list[str]) -> bytes:
    ElementTree.register_namespace("", SITEMAP)
    root = ElementTree.Element(f"{{{SITEMAP}}}urlset")
    for url in urls:
        ElementTree.SubElement(ElementTree.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = xml_text(url)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)


def robots_txt(site_url: str) -> str:
    lines = ["User-agent: *", "Allow: /"]
    if site_url.startswith(("http://", "https://")):
        lines.append(f"Sitemap: {site_url}sitemap.xml")
    return "\n".join(lines) + "\n"
