"""Validate many files at once: a content-hash cache of results and a process pool over all cores.

A cached result is keyed on the file's bytes, its display name and path, the listing of its
attachment folder and today's date, because some checks compare dates with today. The key also
contains a fingerprint of the validator's code, message catalogue, schemas and library versions.
Changing any of them misses the cache, so a changed rule never serves a stale verdict. The cache
contains pickles written by this program: point it only at a folder that nobody else writes.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import multiprocessing
import os
import pickle
from pathlib import Path

from . import checks
from .fingerprint import add_library_versions

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = PACKAGE_DIR.parent / "schema"
# Below this many files to check, starting worker processes costs more than it saves.
POOL_THRESHOLD = 200
CHUNK_SIZE = 50
PROPOSAL = "proposal"
RECORD = "record"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash the validator's source, data and schemas, and the versions of the libraries it calls."""
    digest = hashlib.sha256()
    sources = sorted(PACKAGE_DIR.glob("*.py")) + sorted((PACKAGE_DIR / "data").glob("*"))
    sources += sorted(SCHEMA_DIR.glob("*.json"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    add_library_versions(digest, ("PyYAML", "jsonschema", "python-stdnum", "vietnam-provinces"))
    return digest.hexdigest()


def _attachments_listing(folder: Path) -> bytes:
    if not folder.is_dir():
        return b"-"
    parts = []
    for entry in sorted(folder.iterdir()):
        size = entry.lstat().st_size
        parts.append(f"{entry.name}|{entry.is_symlink()}|{entry.is_file()}|{size}")
    return "\n".join(parts).encode()


def cache_key(kind: str, path: Path, display_name: str, raw: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(code_fingerprint().encode())
    digest.update(f"\0{kind}\0{display_name}\0{path.resolve()}\0{checks._today().isoformat()}\0".encode())
    if kind == PROPOSAL:
        digest.update(_attachments_listing(path.parent / path.stem))
    digest.update(b"\0" + raw)
    return digest.hexdigest()


def _validate_one(job: tuple[str, str, str]):
    from .validate import validate_proposal_file, validate_record_file

    kind, path, display_name = job
    if kind == PROPOSAL:
        return validate_proposal_file(Path(path), display_name)
    return validate_record_file(Path(path), display_name)


class ValidationCache:
    """One pickle file per kind of document, mapping cache keys to validated `Document`s.

    One file instead of one per document because writing thousands of small files costs more
    than validating them. Each save keeps only the entries that the run used, so the file does
    not grow with every edit.
    """

    def __init__(self, folder: str | os.PathLike, kind: str):
        self.path = Path(folder) / f"validation-{kind}.pickle"
        self.entries: dict = {}
        self.used: dict = {}
        try:
            with open(self.path, "rb") as handle:
                loaded = pickle.load(handle)
            if isinstance(loaded, dict):
                self.entries = loaded
        except FileNotFoundError:
            pass
        except Exception as error:  # noqa: BLE001 - a damaged cache must never stop a build
            log.warning("ignoring unreadable validation cache %s: %s", self.path, error)

    def get(self, key: str):
        from .yamlread import Document

        document = self.entries.get(key)
        if not isinstance(document, Document):
            return None
        self.used[key] = document
        return document

    def put(self, key: str, document) -> None:
        self.used[key] = document

    def save(self) -> None:
        """Write the entries used by this run; a cache that cannot be written is only logged."""
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as handle:
                pickle.dump(self.used, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.path)
        except OSError as error:
            log.warning("could not write the validation cache %s: %s", self.path, error)
            try:
                temporary.unlink()
            except OSError:
                pass


def validate_files(jobs: list[tuple[str, Path, str]], cache_dir: str | os.PathLike | None = None,
                   workers: int | None = None) -> list:
    """Validate `(kind, path, display_name)` jobs and return their Documents in the same order.

    Results come from the cache when `cache_dir` is given and the key matches. The rest are
    validated in this process, or in a pool of `workers` processes (default: every core) when
    there are at least `POOL_THRESHOLD` of them.
    """
    kinds = {kind for kind, _, _ in jobs}
    cache = ValidationCache(cache_dir, "-".join(sorted(kinds))) if cache_dir and jobs else None
    results: list = [None] * len(jobs)
    keys: list = [None] * len(jobs)
    pending: list[int] = []
    for index, (kind, path, display_name) in enumerate(jobs):
        if cache is not None:
            try:
                raw = Path(path).read_bytes()
            except OSError:
                raw = None
            if raw is not None:
                keys[index] = cache_key(kind, Path(path), display_name, raw)
                results[index] = cache.get(keys[index])
        if results[index] is None:
            pending.append(index)

    work = [(jobs[index][0], str(jobs[index][1]), jobs[index][2]) for index in pending]
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(work) >= POOL_THRESHOLD and "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the loaded schemas and validators, so they start at once.
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            documents = pool.map(_validate_one, work, chunksize=CHUNK_SIZE)
    else:
        documents = [_validate_one(job) for job in work]

    for index, document in zip(pending, documents):
        results[index] = document
        if cache is not None and keys[index] is not None:
            cache.put(keys[index], document)
    if cache is not None:
        cache.save()
    log.info("validated %d files: %d from the cache, %d checked", len(jobs), len(jobs) - len(pending), len(pending))
    return results
