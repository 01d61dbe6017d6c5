"""Map the English country names used by the registry onto ISO 3166-1 alpha-2 codes.

Babel's English territory names are the reference. The registry spells some countries its own
way ("VietNam", "Czechia (Czech Republic)", "Palestine State"), so names are compared after
folding case, accents, "&"/"and" and "St."/"Saint", then with any bracketed part removed, and
the remaining differences are listed in `_ALIASES`.
"""

from __future__ import annotations

import functools
import re
import unicodedata

import babel

# Registry spellings that differ from Babel's English territory names even after folding.
_ALIASES = {
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "palestine state": "PS",
    "palestine": "PS",
    "congo congo brazzaville": "CG",
    "republic of the congo": "CG",
    "democratic republic of the congo": "CD",
    "cabo verde": "CV",
    "hong kong": "HK",
    "macao": "MO",
    "macau": "MO",
    "myanmar": "MM",
    "burma": "MM",
    "turkey": "TR",
    "holy see": "VA",
    "pitcairn": "PN",
    "saint helena ascension and tristan da cunha": "SH",
    "sint maarten dutch part": "SX",
    "saint martin french part": "MF",
    "united states minor outlying islands": "UM",
    "virgin islands british": "VG",
    "virgin islands u s": "VI",
    "sao tome and principe": "ST",
    "swaziland": "SZ",
    "czech republic": "CZ",
    "saint vincent and the grenadines": "VC",
    "french southern territories": "TF",
    "south georgia and the south sandwich islands": "GS",
}


def fold(name: str) -> str:
    """Fold a country name for comparison: no accents, no case, no punctuation except brackets."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = text.casefold().replace("&", " and ").replace("’", "'")
    text = re.sub(r"\bst\.", "saint ", text)
    text = re.sub(r"[^a-z0-9()]+", " ", text)
    return " ".join(text.split())


@functools.cache
def _babel_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for code, name in babel.Locale("en").territories.items():
        if len(code) == 2 and code.isalpha():
            index[fold(name)] = code
            index[fold(_without_brackets(name))] = code
    return index


def _without_brackets(name: str) -> str:
    return re.sub(r"\([^)]*\)", " ", name).strip()


def country_code(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for an English country name, or None if unknown."""
    if not name or not name.strip():
        return None
    index = _babel_index()
    # "Czechia (Czech Republic)" is tried whole without its brackets, then without the bracketed part.
    for candidate in (fold(name), fold(_without_brackets(name))):
        candidate = " ".join(candidate.replace("(", " ").replace(")", " ").split())
        if candidate in _ALIASES:
            return _ALIASES[candidate]
        if candidate in index:
            return index[candidate]
    return None


def is_vietnam(name: str) -> bool:
    """Tell whether a country name means Việt Nam ("Vietnam", "VietNam", "Viet Nam", "Việt Nam")."""
    return fold(name).replace(" ", "") == "vietnam"
