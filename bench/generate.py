"""Generate N realistic proposals and evaluation records for benchmarks.

The text is Vietnamese, assembled from word lists, with summary and description lengths drawn
around those of the shipped `content/` (summaries of about 150 to 400 characters, descriptions of
three to six paragraphs) and field shares close to the registry data's (health and education
most common). Every generated proposal passes `portal validate`: tax codes carry a correct
check digit, provinces are among the 34, and each proposal has one to three deployments.

The same seed always gives the same files, so two runs measure the same work.

    python bench/generate.py 10000 /tmp/bench-content --seed 7
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import yaml
from stdnum.vn import mst

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from portal.provinces import PROVINCES  # noqa: E402

PRODUCT_WORDS = [
    "Hệ thống", "Nền tảng", "Ứng dụng", "Giải pháp", "Phần mềm", "Cổng thông tin", "Bộ công cụ",
]
SUBJECT_WORDS = [
    "quản lý văn bản", "chăm sóc sức khỏe", "học trực tuyến", "truy xuất nguồn gốc nông sản",
    "giám sát chất lượng không khí", "điều hành giao thông", "thanh toán không tiền mặt",
    "quản lý bệnh viện", "dịch vụ công trực tuyến", "cảnh báo thiên tai", "quản lý đất đai",
    "thư viện số", "quản lý kho vận", "nông nghiệp thông minh", "đo đạc điện mặt trời",
    "quản lý cà phê xuất khẩu", "hồ sơ sức khỏe điện tử", "đường giao thông nông thôn",
    "chữ ký số", "định danh điện tử", "phân tích dữ liệu lớn", "trí tuệ nhân tạo hỗ trợ chẩn đoán",
]
QUALIFIERS = ["", " thông minh", " thế hệ mới", " mở", " đa nền tảng", " cho cấp xã", " trên thiết bị di động"]
ORGANISATION_KINDS = ["Công ty Cổ phần", "Công ty TNHH", "Viện", "Trung tâm", "Trường Đại học"]
ORGANISATION_NAMES = [
    "Công nghệ Sông Hồng", "Giải pháp số Phương Nam", "Hòa Bình", "Đổi mới Sáng tạo Miền Trung",
    "Phần mềm Tây Nguyên", "Dữ liệu Việt", "Khoa học Ứng dụng", "Điện toán Đám mây Hà Thành",
    "Nông nghiệp Công nghệ cao", "Y tế Số", "Thuỷ lợi và Môi trường", "Logistics Cửu Long",
]
SENTENCES = [
    "Sản phẩm giúp cơ quan, đơn vị số hóa toàn bộ quy trình nghiệp vụ và giảm thời gian xử lý hồ sơ.",
    "Dữ liệu được lưu trữ an toàn, tuân thủ các quy định về bảo vệ dữ liệu cá nhân.",
    "Giải pháp đã được triển khai tại nhiều tỉnh, thành phố và nhận được phản hồi tích cực từ người dùng.",
    "Hệ thống hỗ trợ kết nối, chia sẻ dữ liệu với các nền tảng quốc gia theo chuẩn mở.",
    "Người dân có thể tra cứu thông tin, gửi phản ánh và nhận kết quả trực tuyến mọi lúc, mọi nơi.",
    "Đội ngũ kỹ sư trong nước làm chủ hoàn toàn mã nguồn và quy trình vận hành.",
    "Các báo cáo thống kê được cập nhật theo thời gian thực, phục vụ công tác chỉ đạo, điều hành.",
    "Ứng dụng chạy tốt trên điện thoại phổ thông, kể cả ở vùng có kết nối mạng yếu.",
]
FIELDS = [
    ("education_health_culture_society", 40),
    ("information_communications", 20),
    ("agriculture_resources_environment", 12),
    ("finance_banking_trade_services", 10),
    ("public_administration", 10),
    ("transport_post_logistics", 5),
    ("industry_construction", 3),
]
DOMAINS = ["digital_transformation", "innovation", "science_technology"]


def tax_code(rng: random.Random) -> str:
    """Return a 10-digit tax code with a valid check digit (bodies whose check is 10 are skipped)."""
    while True:
        body = f"{rng.randrange(1, 99):02d}{rng.randrange(0, 10**7):07d}"
        check = mst.calc_check_digit(body)
        if len(check) == 1:
            return body + check


def pick_fields(rng: random.Random) -> list[str]:
    names = [name for name, _ in FIELDS]
    weights = [weight for _, weight in FIELDS]
    chosen = []
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
        field = rng.choices(names, weights)[0]
        if field not in chosen:
            chosen.append(field)
    return chosen


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(SENTENCES) for _ in range(sentences))


def make_proposal(index: int, rng: random.Random) -> tuple[dict, dict]:
    """Return one proposal and its selected evaluation record."""
    slug = f"san-pham-{index:05d}"
    name = f"{rng.choice(PRODUCT_WORDS)} {rng.choice(SUBJECT_WORDS)}{rng.choice(QUALIFIERS)} {index}"
    owner_name = f"{rng.choice(ORGANISATION_KINDS)} {rng.choice(ORGANISATION_NAMES)}"
    year = rng.randrange(2015, 2026)
    published = f"{rng.randrange(2023, 2026)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
    deployments = [
        {
            "user": f"Ủy ban nhân dân {rng.choice(['phường', 'xã', 'tỉnh'])} số {rng.randrange(1, 200)}",
            "province": rng.choice(PROVINCES),
            "since": f"{year}-{rng.randrange(1, 13):02d}",
            "scale": f"{rng.randrange(1, 900) * 100:,} người dùng".replace(",", "."),
        }
        for _ in range(rng.randrange(1, 4))
    ]
    proposal = {
        "schema_version": 1,
        "slug": slug,
        "kind": rng.choice(["product", "product", "solution"]),
        "domains": rng.sample(DOMAINS, rng.randrange(1, 3)),
        "name": {"vi": name},
        "summary": {"vi": paragraph(rng, rng.randrange(2, 4))},
        "description": {"vi": "\n\n".join(paragraph(rng, rng.randrange(2, 5)) for _ in range(rng.randrange(3, 7)))},
        "fields": pick_fields(rng),
        "owner": {
            "type": "enterprise",
            "name": owner_name,
            "country": "VN",
            "tax_code": tax_code(rng),
            "province": rng.choice(PROVINCES),
            "website": f"https://doanh-nghiep-{index}.example.vn",
        },
        "contact": {"name": "Phòng Kinh doanh", "email": f"lien-he-{index}@example.vn", "phone": "024 3123 4567"},
        "deployments": deployments,
        "effectiveness": {"description": {"vi": paragraph(rng, 2)}},
        "technology_mastery": {"level": rng.choice(["full", "most", "partial"])},
        "commitments": ["accurate_information", "deployed_in_vietnam", "agree_to_publication"],
    }
    record = {
        "schema_version": 1,
        "slug": slug,
        "sequence": 1,
        "decision": {"outcome": "selected", "date": published, "basis": "Báo cáo đánh giá của Hội đồng."},
        "history": [{"date": f"{published}T09:00:00+07:00", "action": "published", "actor": "can-bo-tiep-nhan-1"}],
    }
    return proposal, record


class _QuotedDumper(yaml.SafeDumper):
    """Quote every string, so the strict reader reads back exactly what was written."""


def _quote_strings(dumper, value):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


_QuotedDumper.add_representer(str, _quote_strings)


def generate(count: int, content_dir: Path, seed: int = 7) -> None:
    rng = random.Random(seed)
    proposals = content_dir / "proposals"
    evaluations = content_dir / "evaluations"
    proposals.mkdir(parents=True, exist_ok=True)
    evaluations.mkdir(parents=True, exist_ok=True)
    for index in range(1, count + 1):
        proposal, record = make_proposal(index, rng)
        slug = proposal["slug"]
        (proposals / f"{slug}.yaml").write_text(
            yaml.dump(proposal, Dumper=_QuotedDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        (evaluations / f"{slug}.yaml").write_text(
            yaml.dump(record, Dumper=_QuotedDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")


SUMMARY_START = '"summary":\n  "vi": "'


def change_summary(path: Path, marker: str) -> None:
    """Toggle `marker` at the start of a generated proposal's summary, so the file's bytes change."""
    text = path.read_text(encoding="utf-8")
    if SUMMARY_START + marker + " " in text:
        text = text.replace(SUMMARY_START + marker + " ", SUMMARY_START, 1)
    elif SUMMARY_START in text:
        text = text.replace(SUMMARY_START, SUMMARY_START + marker + " ", 1)
    else:
        raise ValueError(f"{path} has no Vietnamese summary written as bench/generate.py writes it")
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Sinh N đề xuất và hồ sơ đánh giá mẫu để đo hiệu năng.")
    parser.add_argument("count", type=int, help="số đề xuất cần sinh")
    parser.add_argument("content_dir", type=Path, help="thư mục content đích (tạo proposals/ và evaluations/)")
    parser.add_argument("--seed", type=int, default=7, help="hạt giống ngẫu nhiên (mặc định 7)")
    args = parser.parse_args(argv)
    generate(args.count, args.content_dir, args.seed)
    print(f"Đã sinh {args.count} đề xuất vào {args.content_dir}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
