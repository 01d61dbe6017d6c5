"""Measure the search index at scale: bytes fetched per query and query time, with seeded data.

Run with `.venv/bin/python bench/search_index.py [COUNT]` (default 10,000 products). It writes the
index into a temporary folder and prints, for sample queries, the gzipped bytes of the files a
browser fetches and the time of the reference query in Python. The browser fetches meta.json,
one shard per word and every document chunk that holds a match, because it ranks all matches.
"""

from __future__ import annotations

import gzip
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plugins.portal_catalogue.model import Text  # noqa: E402
from plugins.portal_public import search  # noqa: E402

WORDS = ("cà phê", "điện", "mặt trời", "Đắk Lắk", "hòa", "thủy lợi", "đường", "giao thông", "nông sản",
         "quản lý", "văn bản", "y tế", "giáo dục", "du lịch", "ngân hàng", "bản đồ", "môi trường",
         "truy xuất", "nguồn gốc", "thông minh", "dịch vụ", "công", "số", "dữ liệu", "an toàn")
PROVINCES = ("Hà Nội", "Đắk Lắk", "Đà Nẵng", "Cần Thơ", "Huế", "Lâm Đồng", "Hải Phòng")
SHOWN = 20
QUERIES = ("ca phe", "dien mat troi", "Dak", "hòa", "đường giao thông", "quan ly van ban")


def products(count: int, seed: int = 7):
    rng = random.Random(seed)
    for number in range(count):
        name = " ".join(rng.sample(WORDS, 4)).capitalize() + f" {number}"
        yield {
            "slug": f"san-pham-{number}",
            "name": Text(name, "vi"),
            "summary": Text(" ".join(rng.choices(WORDS, k=14)), "vi"),
            "owner": {"name": f"Công ty {rng.choice(WORDS)} {number % 900}", "province": rng.choice(PROVINCES)},
            "decision": {"sort_date": f"{rng.randint(2020, 2025)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"},
        }


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder)
        listed = list(products(count))
        ordered = listed
        proposals = {item["slug"]: {"kind": "product", "fields": ["public_administration"]} for item in listed}
        sizes = search.build_index(listed, proposals, output)
        index_dir = output / search.INDEX_URL
        total = sum(gzip.compress((index_dir / Path(name).name).read_bytes()).__len__() for name in sizes)
        print(f"{count} products: {len(sizes)} index files, {total / 1024:.0f} KiB gzipped in total")
        meta = gzip.compress((index_dir / "meta.json").read_bytes())
        for query in QUERIES:
            started = time.perf_counter()
            results = search.find(index_dir, query, limit=SHOWN)
            elapsed = time.perf_counter() - started
            files = {"meta.json"} | {f"{search.shard_name(token)}.json" for token in search.tokens(query)}
            files = {name for name in files if (index_dir / name).is_file()}
            slugs = {entry[search.SLUG] for entry in results}
            files |= {f"tai-lieu-{number // search.CHUNK_SIZE}.json"
                      for number, product in enumerate(ordered) if product["slug"] in slugs}
            fetched = sum(len(gzip.compress((index_dir / name).read_bytes())) for name in files)
            print(f"{query!r}: {len(results)} results, {len(files)} files, {fetched / 1024:.0f} KiB gzipped, "
                  f"{elapsed * 1000:.0f} ms in Python (meta.json {len(meta)} B)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
