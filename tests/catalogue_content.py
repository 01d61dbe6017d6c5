"""Build a small content folder for site tests: published, revoked and withdrawn products.

Names are chosen for the search table (cà phê, Điện mặt trời, Đắk, Hoà/Hòa, thuỷ, Đường/Dương),
and every proposal carries a contact block with values that must never reach the output.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import VALID_PROPOSAL

PRODUCTS = [
    # slug, Vietnamese name, province, field, outcome history (latest last)
    ("truy-xuat-ca-phe", "Truy xuất nguồn gốc cà phê", "Đắk Lắk", "agriculture_resources_environment", ["selected"]),
    ("dien-mat-troi", "Giám sát Điện mặt trời áp mái", "Hà Nội", "industry_construction", ["selected"]),
    ("nong-san-dak-lak", "Sàn nông sản Đắk Lắk", "Đắk Lắk", "agriculture_resources_environment", ["selected"]),
    ("duong-giao-thong", "Đường giao thông thông minh", "Đà Nẵng", "transport_post_logistics", ["selected"]),
    ("duong-lieu", "Dương liễu số", "Hà Nội", "agriculture_resources_environment", ["selected"]),
    ("truong-hoc-hoa-binh", "Trường học Hoà Bình số", "Phú Thọ", "education_health_culture_society", ["selected"]),
    ("quan-ly-thuy-loi", "Quản lý thủy lợi", "Cần Thơ", "agriculture_resources_environment", ["selected"]),
    ("hoa-chat-an-toan", "Hóa chất an toàn", "Hải Phòng", "industry_construction", ["selected"]),
    ("san-pham-thu-hoi", "Cổng dịch vụ bị thu hồi", "Hà Nội", "public_administration", ["selected", "revoked"]),
    ("san-pham-da-rut", "Ứng dụng đã rút sau công bố", "Hà Nội", "public_administration", ["selected", "withdrawn"]),
    ("khong-duoc-chon", "Giải pháp không được lựa chọn", "Hà Nội", "public_administration", ["not_selected"]),
]

OPEN_DOSSIERS = [
    {"slug": "ho-so-dang-xu-ly", "number": 42, "stage": 4, "stage_label": "4 · Đánh giá",
     "days_in_stage": 6, "deadline": "2025-07-01", "overdue": False, "fields": ["public_administration"]},
]


def contact_for(slug: str) -> dict:
    return {"name": f"Nguyễn Văn Liên Hệ {slug}", "email": f"lienhe.{slug}@example.vn",
            "phone": f"0912 {abs(hash(slug)) % 1000000:06d}"}


def _record(slug: str, sequence: int, outcome: str, month: int) -> dict:
    day = f"2024-{month:02d}"
    decision = {"outcome": outcome, "date": f"{day}-20", "basis": "Báo cáo đánh giá của Hội đồng."}
    if outcome == "selected":
        decision["published"] = f"{day}-22"
    else:
        decision["reason"] = "Sản phẩm không còn đáp ứng tiêu chí công bố."
    history = [
        {"date": f"{day}-01T09:00:00+07:00", "action": "submitted"},
        {"date": f"{day}-05T09:00:00+07:00", "action": "accepted"},
        {"date": f"{day}-08T09:00:00+07:00", "action": "assigned"},
        {"date": f"{day}-15T09:00:00+07:00", "action": "report"},
    ]
    if outcome == "selected":
        history.append({"date": f"{day}-22T09:00:00+07:00", "action": "published"})
    record = {"schema_version": 1, "slug": slug, "sequence": sequence, "decision": decision, "history": history}
    if outcome == "revoked":
        record["revocation_of"] = {"outcome": "selected", "date": f"{day}-01"}
    return record


def write_content(root: Path, with_snapshot: bool = True) -> Path:
    """Write proposals, records and the open-dossier snapshot under `root`; return the content dir."""
    base = yaml.safe_load(VALID_PROPOSAL.read_text(encoding="utf-8"))
    content = root / "content"
    (content / "proposals").mkdir(parents=True, exist_ok=True)
    (content / "evaluations").mkdir(parents=True, exist_ok=True)
    for index, (slug, name, province, field, outcomes) in enumerate(PRODUCTS):
        proposal = dict(base, slug=slug, name={"vi": name}, fields=[field], contact=contact_for(slug))
        proposal["owner"] = dict(base["owner"], name=f"Công ty {name}", province=province)
        proposal["summary"] = {"vi": f"Giải pháp {name.lower()} đã triển khai tại {province}."}
        (content / "proposals" / f"{slug}.yaml").write_text(
            yaml.safe_dump(proposal, allow_unicode=True, sort_keys=False), encoding="utf-8")
        if len(outcomes) == 1:
            record = _record(slug, 1, outcomes[0], 1 + index % 6)
            (content / "evaluations" / f"{slug}.yaml").write_text(
                yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        elif outcomes[-1] == "revoked":
            # A revocation changes the existing record and keeps the earlier decision in it.
            record = _record(slug, 1, "revoked", 1 + index % 6)
            record["decision"]["by"] = "can-bo-bo"
            (content / "evaluations" / f"{slug}.yaml").write_text(
                yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        else:
            # An update of a published product that was withdrawn gets a record of its own.
            for sequence, outcome in enumerate(outcomes, start=1):
                record = _record(slug, sequence, outcome, 1 + index % 6)
                name_suffix = "" if sequence == 1 else f".{sequence}"
                (content / "evaluations" / f"{slug}{name_suffix}.yaml").write_text(
                    yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    if with_snapshot:
        (root / "data").mkdir(exist_ok=True)
        (root / "data" / "open-dossiers.json").write_text(json.dumps(OPEN_DOSSIERS, ensure_ascii=False), encoding="utf-8")
    return content
