"""The catalogue's own search index: folded words sharded by their first two letters.

The browser fetches `meta.json` once, then for each word of a query only the shard named after
the word's first two folded letters, and finally the document chunks that hold the matches. Words
are folded by `portal.textfold.search_key` here and by the same rules in `search.js`, which the
shared table `tests/fixtures/folding_cases.json` checks in both places.

`find` below is the reference implementation of the query: the browser script follows the same
steps, and the tests run both against one built index.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from portal.textfold import TONE_MARKS, collation_key, search_key

INDEX_URL = "tim-kiem/chi-muc/"
CHUNK_SIZE = 200
SUMMARY_LENGTH = 160

_TOKEN = re.compile(r"[0-9a-z]+")
_SHARD_SAFE = re.compile(r"^[0-9a-z]{1,2}$")

# Positions inside one document entry of a chunk file.
SLUG, NAME, NAME_LANG, ORGANISATION, PROVINCE, YEAR, DATE, KIND, FIELDS, DOMAINS, SUMMARY = range(11)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(search_key(text or ""))


def shard_name(token: str) -> str:
    """Return the shard file stem for a folded word: its first two letters."""
    prefix = token[:2]
    return prefix if _SHARD_SAFE.match(prefix) else "_"


def mark_key(word: str) -> str:
    """Fold case and tone-mark placement only, so "Hoà" equals "hòa" but not "hoa"."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    marks = sorted(char for char in decomposed if char in TONE_MARKS)
    letters = "".join(char for char in decomposed if char not in TONE_MARKS)
    return unicodedata.normalize("NFC", letters) + "".join(marks)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFC", text or ""))


def document_entry(product: dict, proposal: dict) -> list:
    summary = product["summary"].value
    if len(summary) > SUMMARY_LENGTH:
        summary = summary[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
    sort_date = product["decision"]["sort_date"]
    return [
        product["slug"],
        product["name"].value,
        product["name"].lang,
        product["owner"]["name"],
        product["owner"]["province"],
        sort_date[:4],
        sort_date,
        proposal.get("kind", ""),
        list(proposal.get("fields") or []),
        list(proposal.get("domains") or []),
        summary,
    ]


def build_index(products: list[dict], proposals: dict, output_dir: Path, meta_extra: dict | None = None) -> dict:
    """Write the index of `products` (display views) under `output_dir`.

    `proposals` maps each slug to its proposal data, for the codes of kind, fields and domains
    and the name in the other language.

    Returns the size in bytes of every file written, keyed by its path under `output_dir`.
    """
    root = Path(output_dir) / INDEX_URL
    root.mkdir(parents=True, exist_ok=True)
    shards: dict[str, dict[str, list[int]]] = {}
    documents = []
    for number, product in enumerate(products):
        proposal = proposals.get(product["slug"], {})
        documents.append(document_entry(product, proposal))
        names = proposal.get("name") if isinstance(proposal.get("name"), dict) else {}
        words = set()
        for text in (*names.values(), product["name"].value, product["owner"]["name"],
                     product["owner"]["province"], product["summary"].value):
            words.update(tokens(text))
        for word in words:
            shards.setdefault(shard_name(word), {}).setdefault(word, []).append(number)

    sizes = {}

    def write(name: str, value) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (root / name).write_bytes(data)
        sizes[INDEX_URL + name] = len(data)

    for name, words in shards.items():
        write(f"{name}.json", words)
    for start in range(0, len(documents), CHUNK_SIZE):
        write(f"tai-lieu-{start // CHUNK_SIZE}.json", documents[start:start + CHUNK_SIZE])
    meta = {"count": len(documents), "chunk": CHUNK_SIZE, "shards": sorted(shards)}
    meta.update(meta_extra or {})
    write("meta.json", meta)
    return sizes


# --- reference query -------------------------------------------------------------------------------


def matching_ids(query_tokens: list[str], load_shard) -> set[int]:
    """Return the ids of documents that contain every query word (the last one as a prefix)."""
    result: set[int] | None = None
    for position, token in enumerate(query_tokens):
        shard = load_shard(shard_name(token)) or {}
        is_last = position == len(query_tokens) - 1
        ids: set[int] = set()
        for word, numbers in shard.items():
            if word == token or (is_last and len(token) >= 2 and word.startswith(token)):
                ids.update(numbers)
        result = ids if result is None else result & ids
        if not result:
            return set()
    return result or set()


def score(query: str, entry: list) -> int:
    """Rank a matching document: words typed with their marks count most, then title words."""
    typed = [mark_key(word) for word in _words(query)]
    name_marked = {mark_key(word) for word in _words(entry[NAME])}
    name_folded = set(tokens(entry[NAME]))
    total = 0
    for word in typed:
        if word in name_marked:
            total += 10
        folded = tokens(word)
        if folded and folded[0] in name_folded:
            total += 3
    return total


def rank(query: str, entries: list[list]) -> list[list]:
    return sorted(entries, key=lambda entry: (-score(query, entry), collation_key(entry[NAME])))


def find(index_dir: Path, query: str) -> list[list]:
    """Run a query against a built index folder, as the browser does."""
    index_dir = Path(index_dir)
    query_tokens = tokens(query)
    if not query_tokens:
        return []

    def load_shard(name: str):
        path = index_dir / f"{name}.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    ids = matching_ids(query_tokens, load_shard)
    meta = json.loads((index_dir / "meta.json").read_text(encoding="utf-8"))
    chunks: dict[int, list] = {}
    entries = []
    for number in sorted(ids):
        chunk_number = number // meta["chunk"]
        if chunk_number not in chunks:
            chunks[chunk_number] = json.loads(
                (index_dir / f"tai-lieu-{chunk_number}.json").read_text(encoding="utf-8"))
        entries.append(chunks[chunk_number][number % meta["chunk"]])
    return rank(query, entries)
