"""Fold Vietnamese text for comparison and search.

Two foldings are used across the portal:

- `search_key` drops every mark and maps đ to d, so "ca phe" finds "cà phê" and "Dak" finds
  "Đắk". The catalogue's search index and the browser fold text by the same rules.
- `name_key` keeps the tone marks but forgets where they sit in a word and the letter case, so
  "Trường học Hòa Bình" and "Trường Học Hoà Bình" are recognised as the same name while "Hòa"
  and "Hóa" stay different.
"""

from __future__ import annotations

import re
import unicodedata

# The five Vietnamese tone marks as combining characters: grave, acute, tilde, hook above, dot below.
TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def search_key(text: str) -> str:
    """Return `text` lower-cased with every diacritic removed and đ folded to d."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", unicodedata.normalize("NFC", bare).casefold()).strip()


def _word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    tones = sorted(char for char in decomposed if char in TONE_MARKS)
    letters = "".join(char for char in decomposed if char not in TONE_MARKS)
    return unicodedata.normalize("NFC", letters) + "".join(tones)


def name_key(text: str) -> str:
    """Return a key equal for names that differ only in case or tone-mark placement."""
    words = _WORD.findall(unicodedata.normalize("NFC", text))
    return " ".join(_word_key(word) for word in words)


# Vietnamese alphabetical order: a letter with a breve, circumflex or horn and đ are letters of
# their own that follow the bare letter (a < ă < â, d < đ, o < ô < ơ, u < ư). Tone marks only
# decide between words that are otherwise equal, in the order none, grave, hook above, tilde,
# acute, dot below (the order of Vietnamese dictionaries).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def collation_key(text: str) -> tuple:
    """Return a sort key that orders Vietnamese names as a dictionary does.

    Letters compare by the Vietnamese alphabet ("Đ" after every "D" word), then tone marks break
    ties, so "Da" < "Dà" < "Đa". Characters outside the alphabet (digits, punctuation) sort
    before letters by their code point.
    """
    letters: list[tuple[int, int]] = []
    tones: list[int] = []
    for char in unicodedata.normalize("NFC", text).casefold():
        decomposed = unicodedata.normalize("NFD", char)
        tone = next((_TONE_RANK[mark] for mark in decomposed if mark in _TONE_RANK), 0)
        base = unicodedata.normalize("NFC", "".join(mark for mark in decomposed if mark not in _TONE_RANK))
        if base in _LETTER_RANK:
            letters.append((1, _LETTER_RANK[base]))
            tones.append(tone)
        elif base.isspace():
            letters.append((0, 0))
            tones.append(0)
        else:
            letters.append((0, ord(base[0]) if base else 0))
            tones.append(0)
    return (tuple(letters), tuple(tones))
