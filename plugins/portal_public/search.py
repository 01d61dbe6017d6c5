"""The catalogue's own search index: a prefix-sharded inverted index with precomputed scores.

A query costs the browser few bytes, whatever the size of the catalogue:

- `meta.json` (a few bytes): the number of products and the size of a metadata chunk.
- one shard per query word, named after the word's first two folded letters. A shard maps each
  folded word to three delta-encoded lists of product ids: every product with the word, the
  products whose name has it, and, per spelling of the word in names with its marks (`mark_key`),
  the products whose name has that spelling. Those lists give the ranking of `score` without
  any product's text.
- `tai-lieu-<n>.json`: small chunks of the metadata shown in a result, fetched only for the
  results on screen.
- `loc.json`: kind, fields, domains, province and date of every product as small numbers,
  fetched only when a filter or the newest-first order is used.

Product ids follow Vietnamese alphabetical order of the names, so "by name" is "by id". Words
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
# Products per metadata chunk: small, because results on screen are scattered over the catalogue.
CHUNK_SIZE = 8
SUMMARY_LENGTH = 160
FACETS_FILE = "loc.json"

_TOKEN = re.compile(r"[0-9a-z]+")
_SHARD_SAFE = re.compile(r"^[0-9a-z]{1,2}$")

# Positions inside one document entry of a chunk file. NAME and SUMMARY are in Vietnamese when
# the submitter gave them in Vietnamese; NAME_EN and SUMMARY_EN are the English texts or "".
(SLUG, NAME, NAME_LANG, ORGANISATION, PROVINCE, YEAR, DATE, KIND, FIELDS, DOMAINS, SUMMARY,
 NAME_EN, SUMMARY_EN) = range(13)

# Positions inside a shard's entry for one word.
ALL, IN_NAME, SPELLINGS = range(3)
# Points a product gets per query word: the word as typed (marks included) in its name, and the
# word with its marks folded in its name.
MARKED_NAME_POINTS = 10
NAME_POINTS = 3


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


def _shorten(text: str) -> str:
    if len(text) > SUMMARY_LENGTH:
        return text[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"
    return text


def _texts(value) -> dict[str, str]:
    if isinstance(value, dict):
        return {language: str(text) for language, text in value.items() if text}
    return {"vi": str(value)} if value else {}


def document_entry(product: dict, proposal: dict) -> list:
    sort_date = product["decision"]["sort_date"]
    names = _texts(proposal.get("name"))
    summaries = _texts(proposal.get("summary"))
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
        _shorten(product["summary"].value),
        names.get("en", "") if names.get("en") != product["name"].value else "",
        _shorten(summaries.get("en", "")) if summaries.get("en") != product["summary"].value else "",
    ]


def deltas(numbers: list[int]) -> list[int]:
    """Encode sorted ids as differences, which are small numbers that compress well."""
    previous, encoded = 0, []
    for number in numbers:
        encoded.append(number - previous)
        previous = number
    return encoded


def undeltas(encoded: list[int]) -> list[int]:
    total, numbers = 0, []
    for step in encoded:
        total += step
        numbers.append(total)
    return numbers


def _facets(documents: list[list]) -> dict:
    """Kind, fields, domains, province, year and date rank of every product, as small numbers."""
    kinds = sorted({entry[KIND] for entry in documents})
    fields = sorted({code for entry in documents for code in entry[FIELDS]})
    domains = sorted({code for entry in documents for code in entry[DOMAINS]})
    provinces = sorted({entry[PROVINCE] for entry in documents}, key=collation_key)
    # Newest first: rank 0 is the most recent publication.
    by_date = sorted(range(len(documents)), key=lambda number: (documents[number][DATE], -number), reverse=True)
    date_rank = [0] * len(documents)
    for rank_number, number in enumerate(by_date):
        date_rank[number] = rank_number
    return {
        "kinds": kinds, "fields": fields, "domains": domains, "provinces": provinces,
        "kind": [kinds.index(entry[KIND]) for entry in documents],
        "field": [[fields.index(code) for code in entry[FIELDS]] for entry in documents],
        "domain": [[domains.index(code) for code in entry[DOMAINS]] for entry in documents],
        "province": [provinces.index(entry[PROVINCE]) for entry in documents],
        "year": [int(entry[YEAR]) if entry[YEAR].isdigit() else 0 for entry in documents],
        "newest": date_rank,
    }


def build_index(products: list[dict], proposals: dict, output_dir: Path, meta_extra: dict | None = None) -> dict:
    """Write the index of `products` (display views, in the order of their ids) under `output_dir`.

    `proposals` maps each slug to its proposal data, for the codes of kind, fields and domains
    and the texts in every language.

    Returns the size in bytes of every file written, keyed by its path under `output_dir`.
    """
    root = Path(output_dir) / INDEX_URL
    root.mkdir(parents=True, exist_ok=True)
    postings: dict[str, set[int]] = {}
    in_name: dict[str, set[int]] = {}
    spellings: dict[str, dict[str, set[int]]] = {}
    documents = []
    for number, product in enumerate(products):
        proposal = proposals.get(product["slug"], {})
        documents.append(document_entry(product, proposal))
        names = list(_texts(proposal.get("name")).values()) + [product["name"].value]
        texts = names + list(_texts(proposal.get("summary")).values())
        texts += [product["owner"]["name"], product["owner"]["province"], product["summary"].value]
        for text in texts:
            for word in tokens(text):
                postings.setdefault(word, set()).add(number)
        for name in names:
            for word in tokens(name):
                in_name.setdefault(word, set()).add(number)
            for word in _words(name):
                folded = tokens(word)
                if folded:
                    spellings.setdefault(folded[0], {}).setdefault(mark_key(word), set()).add(number)

    shards: dict[str, dict[str, list]] = {}
    for word in sorted(postings):
        entry = [deltas(sorted(postings[word])), deltas(sorted(in_name.get(word, ())))]
        entry.append({key: deltas(sorted(ids)) for key, ids in sorted(spellings.get(word, {}).items())})
        shards.setdefault(shard_name(word), {})[word] = entry

    sizes = {}

    def write(name: str, value) -> None:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (root / name).write_bytes(data)
        sizes[INDEX_URL + name] = len(data)

    for name, words in shards.items():
        write(f"{name}.json", words)
    for start in range(0, len(documents), CHUNK_SIZE):
        write(f"tai-lieu-{start // CHUNK_SIZE}.json", documents[start:start + CHUNK_SIZE])
    write(FACETS_FILE, _facets(documents))
    meta = {"count": len(documents), "chunk": CHUNK_SIZE}
    meta.update(meta_extra or {})
    write("meta.json", meta)
    return sizes


# --- reference query -------------------------------------------------------------------------------


def scored_ids(query: str, load_shard) -> dict[int, int]:
    """Return {id: score} of the products with every query word (the last one also as a prefix).

    The score is `score` of the product's names, computed from the shards alone.
    """
    query_tokens = tokens(query)
    if not query_tokens:
        return {}
    # Shards of the query's tokens and of the first token of each typed word, which scoring needs.
    needed = {shard_name(token) for token in query_tokens}
    needed |= {shard_name(tokens(word)[0]) for word in _words(query) if tokens(word)}
    shards = {name: load_shard(name) or {} for name in needed}
    result: set[int] | None = None
    for position, token in enumerate(query_tokens):
        shard = shards[shard_name(token)]
        is_last = position == len(query_tokens) - 1
        ids: set[int] = set()
        for word, entry in shard.items():
            if word == token or (is_last and len(token) >= 2 and word.startswith(token)):
                ids.update(undeltas(entry[ALL]))
        result = ids if result is None else result & ids
        if not result:
            return {}
    scores = dict.fromkeys(result or (), 0)
    for word in _words(query):
        folded = tokens(word)
        if not folded:
            continue
        entry = shards[shard_name(folded[0])].get(folded[0])
        if not entry:
            continue
        for number in undeltas(entry[IN_NAME]):
            if number in scores:
                scores[number] += NAME_POINTS
        for number in undeltas(entry[SPELLINGS].get(mark_key(word), [])):
            if number in scores:
                scores[number] += MARKED_NAME_POINTS
    return scores


def matching_ids(query_tokens: list[str], load_shard) -> set[int]:
    """Return the ids of documents that contain every query word (the last one as a prefix)."""
    return set(scored_ids(" ".join(query_tokens), load_shard))


def score(query: str, entry: list) -> int:
    """Rank a matching document: words typed with their marks count most, then title words."""
    typed = [mark_key(word) for word in _words(query)]
    name_marked = {mark_key(word) for word in _words(entry[NAME])}
    name_folded = set(tokens(entry[NAME]))
    total = 0
    for word in typed:
        if word in name_marked:
            total += MARKED_NAME_POINTS
        folded = tokens(word)
        if folded and folded[0] in name_folded:
            total += NAME_POINTS
    return total


def rank(query: str, entries: list[list]) -> list[list]:
    return sorted(entries, key=lambda entry: (-score(query, entry), collation_key(entry[NAME])))


def find(index_dir: Path, query: str, limit: int | None = None) -> list[list]:
    """Run a query against a built index folder, as the browser does, and return ranked entries.

    Products are ranked by their score from the shards, then by id (Vietnamese name order);
    only the metadata chunks of the first `limit` results (all without a limit) are read.
    """
    index_dir = Path(index_dir)

    def load(name: str):
        path = index_dir / name
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None

    scores = scored_ids(query, lambda name: load(f"{name}.json"))
    ordered = sorted(scores, key=lambda number: (-scores[number], number))
    if limit is not None:
        ordered = ordered[:limit]
    meta = load("meta.json")
    chunks: dict[int, list] = {}
    entries = []
    for number in ordered:
        chunk_number = number // meta["chunk"]
        if chunk_number not in chunks:
            chunks[chunk_number] = load(f"tai-lieu-{chunk_number}.json")
        entries.append(chunks[chunk_number][number % meta["chunk"]])
    return entries
