"""The 34 provinces and centrally governed cities in force since 1 July 2025.

The official names come from the `vietnam-provinces` package. A proposal may write a name with
or without its "Tỉnh"/"Thành phố" prefix. Names that were valid before the 2025 reorganisation,
and names spelt with the old tone-mark placement ("Thanh Hoá"), get a message that names the
province to write instead.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass

from vietnam_provinces import Province

from .textfold import name_key, search_key

NATIONWIDE = "Toàn quốc"

_PREFIXES = ("Thành phố ", "Tỉnh ")

# Provinces that were merged into another on 1 July 2025 (Resolution 202/2025/QH15 of the
# National Assembly), keyed by their former name, valued by the short name of the province that
# now contains them. Provinces that kept their name are not listed.
FORMER_PROVINCES = {
    "Hà Giang": "Tuyên Quang",
    "Yên Bái": "Lào Cai",
    "Bắc Kạn": "Thái Nguyên",
    "Vĩnh Phúc": "Phú Thọ",
    "Hòa Bình": "Phú Thọ",
    "Bắc Giang": "Bắc Ninh",
    "Thái Bình": "Hưng Yên",
    "Hải Dương": "Hải Phòng",
    "Hà Nam": "Ninh Bình",
    "Nam Định": "Ninh Bình",
    "Quảng Bình": "Quảng Trị",
    "Thừa Thiên Huế": "Huế",
    "Quảng Nam": "Đà Nẵng",
    "Kon Tum": "Quảng Ngãi",
    "Bình Định": "Gia Lai",
    "Ninh Thuận": "Khánh Hòa",
    "Phú Yên": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng",
    "Bình Thuận": "Lâm Đồng",
    "Bình Phước": "Đồng Nai",
    "Bình Dương": "Hồ Chí Minh",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh",
    "Bà Rịa Vũng Tàu": "Hồ Chí Minh",
    "Long An": "Tây Ninh",
    "Tiền Giang": "Đồng Tháp",
    "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long",
    "Sóc Trăng": "Cần Thơ",
    "Hậu Giang": "Cần Thơ",
    "Bạc Liêu": "Cà Mau",
    "Kiên Giang": "An Giang",
}


@dataclass(frozen=True)
class ProvinceVerdict:
    """The outcome of checking one province name: accepted, or a message code and suggestion."""

    ok: bool
    canonical: str = ""
    code: str = ""
    suggestion: str = ""


def short_name(official: str) -> str:
    for prefix in _PREFIXES:
        if official.startswith(prefix):
            return official[len(prefix):]
    return official


def strip_prefix(text: str) -> str:
    """Drop a leading "Tỉnh", "Thành phố" or "TP." however it is spelt, marks and case included."""
    words = text.split()
    if len(words) > 1 and search_key(words[0]) in ("tinh", "tp", "tp."):
        return " ".join(words[1:])
    if len(words) > 2 and search_key(" ".join(words[:2])) == "thanh pho":
        return " ".join(words[2:])
    return text


@functools.cache
def official_names() -> tuple[str, ...]:
    """Return the 34 official names, for example "Thành phố Hà Nội" and "Cao Bằng"."""
    return tuple(province.name for province in Province.iter_all())


@functools.cache
def _index() -> tuple[dict, dict, dict]:
    exact: dict[str, str] = {}
    by_name_key: dict[str, str] = {}
    by_search_key: dict[str, str] = {}
    for official in official_names():
        for variant in {official, short_name(official)}:
            exact[variant] = official
            by_name_key[name_key(variant)] = official
            by_search_key[search_key(variant)] = official
    return exact, by_name_key, by_search_key


# Short names in the order the package lists them, which follows the official province codes.
PROVINCES = tuple(short_name(name) for name in official_names())


def check_province(text: str, allow_nationwide: bool = False) -> ProvinceVerdict:
    """Check a province name and say what to write instead when it is not one of the 34."""
    value = unicodedata.normalize("NFC", text).strip()
    exact, by_name_key, by_search_key = _index()

    if allow_nationwide and value == NATIONWIDE:
        return ProvinceVerdict(True, NATIONWIDE)
    if value in exact:
        return ProvinceVerdict(True, exact[value])

    bare = strip_prefix(value)
    if bare in exact:
        return ProvinceVerdict(True, exact[bare])
    for former, successor in FORMER_PROVINCES.items():
        if name_key(bare) == name_key(former) or search_key(bare) == search_key(former):
            return ProvinceVerdict(False, code="check.province_merged", suggestion=_display(successor))

    official = by_name_key.get(name_key(value)) or by_name_key.get(name_key(bare))
    if official:
        return ProvinceVerdict(False, code="check.province_spelling", suggestion=short_name(official))
    official = by_search_key.get(search_key(value)) or by_search_key.get(search_key(bare))
    if official:
        return ProvinceVerdict(False, code="check.province_spelling", suggestion=short_name(official))
    return ProvinceVerdict(False, code="check.province_unknown")


def _display(short: str) -> str:
    official = _index()[0].get(short) or _index()[0].get("Thành phố " + short)
    return short_name(official) if official else short
