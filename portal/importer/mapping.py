"""Turn one registry nomination into a proposal and, when approved, an evaluation record.

The mapping rules are summarised in `portal.importer.dpga`. Builders here return plain dicts
whose keys follow the order of the properties in the schemas, plus a list of Vietnamese notes
about anything dropped or guessed, so the importer can report it.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from urllib.parse import quote
from dataclasses import dataclass, field

from .. import schemas
from .countries import country_code, is_vietnam

REGISTRY_NAME = "Digital Public Goods Alliance"
APPROVED_STAGE = "DPG"
COMMITMENTS = ["accurate_information", "deployed_in_vietnam", "agree_to_publication"]
NATIONWIDE = "Toàn quốc"
MAX_FIELDS = 4
MAX_LINKS = 30
SUMMARY_MIN = 20
SUMMARY_MAX = 600
# The first sentences of a description are kept as the summary up to this many characters.
SUMMARY_TARGET = 300

# Official short names of the 17 Sustainable Development Goals, in English and Vietnamese.
SDG_NAMES = {
    1: ("No poverty", "Xóa nghèo"),
    2: ("Zero hunger", "Xóa đói"),
    3: ("Good health and well-being", "Sức khỏe tốt và cuộc sống khỏe mạnh"),
    4: ("Quality education", "Giáo dục có chất lượng"),
    5: ("Gender equality", "Bình đẳng giới"),
    6: ("Clean water and sanitation", "Nước sạch và vệ sinh"),
    7: ("Affordable and clean energy", "Năng lượng sạch với giá hợp lý"),
    8: ("Decent work and economic growth", "Việc làm tốt và tăng trưởng kinh tế"),
    9: ("Industry, innovation and infrastructure", "Công nghiệp, đổi mới sáng tạo và hạ tầng"),
    10: ("Reduced inequalities", "Giảm bất bình đẳng"),
    11: ("Sustainable cities and communities", "Thành phố và cộng đồng bền vững"),
    12: ("Responsible consumption and production", "Tiêu dùng và sản xuất có trách nhiệm"),
    13: ("Climate action", "Hành động về khí hậu"),
    14: ("Life below water", "Tài nguyên và môi trường biển"),
    15: ("Life on land", "Tài nguyên và môi trường trên đất liền"),
    16: ("Peace, justice and strong institutions", "Hòa bình, công lý và thể chế vững mạnh"),
    17: ("Partnerships for the goals", "Quan hệ đối tác vì các mục tiêu"),
}

EDUCATION_HEALTH = "education_health_culture_society"
AGRICULTURE_ENVIRONMENT = "agriculture_resources_environment"
FINANCE_SERVICES = "finance_banking_trade_services"
PUBLIC_ADMINISTRATION = "public_administration"
INFORMATION = "information_communications"
INDUSTRY = "industry_construction"
TRANSPORT = "transport_post_logistics"

# Registry sectors onto the portal's fields. Sectors not listed here add no field.
SECTOR_FIELDS = {
    "Health": EDUCATION_HEALTH,
    "Education": EDUCATION_HEALTH,
    "Nutrition": EDUCATION_HEALTH,
    "Gender and Minority Groups": EDUCATION_HEALTH,
    "Social Protection": EDUCATION_HEALTH,
    "Youth": EDUCATION_HEALTH,
    "Humanitarian": EDUCATION_HEALTH,
    "Emergency Response": EDUCATION_HEALTH,
    "Livelihoods": EDUCATION_HEALTH,
    "Training & Employment": EDUCATION_HEALTH,
    "Civil society": EDUCATION_HEALTH,
    "World Population": EDUCATION_HEALTH,
    "Agriculture": AGRICULTURE_ENVIRONMENT,
    "Climate": AGRICULTURE_ENVIRONMENT,
    "Environment": AGRICULTURE_ENVIRONMENT,
    "Sustainability": AGRICULTURE_ENVIRONMENT,
    "Water and Sanitation": AGRICULTURE_ENVIRONMENT,
    "Resource Management": AGRICULTURE_ENVIRONMENT,
    "Natural Resource Conflicts": AGRICULTURE_ENVIRONMENT,
    "Economics/Finance": FINANCE_SERVICES,
    "Business Advocacy": FINANCE_SERVICES,
    "Enterprise Ecosystems": FINANCE_SERVICES,
    "Corporation and Business Management": FINANCE_SERVICES,
    "Travel and Hospitality": FINANCE_SERVICES,
    "Governance": PUBLIC_ADMINISTRATION,
    "Democracy": PUBLIC_ADMINISTRATION,
    "Transparency & Accountability": PUBLIC_ADMINISTRATION,
    "Conflict Resolution": PUBLIC_ADMINISTRATION,
    "Fragile States": PUBLIC_ADMINISTRATION,
    "Digital/Data/Tech": INFORMATION,
    "Big Data": INFORMATION,
    "Data Security": INFORMATION,
    "Data Collection": INFORMATION,
    "Data Management & Policy": INFORMATION,
    "Digital Development": INFORMATION,
    "Platform creation": INFORMATION,
    "Media": INFORMATION,
    "Fair & Responsible Media": INFORMATION,
    "Energy": INDUSTRY,
    "Sustainable Cities": INDUSTRY,
    "Supply Chain Solutions": TRANSPORT,
}

# SDG numbers onto the portal's fields. SDG 17 (partnerships) adds no field.
SDG_FIELDS = {
    1: FINANCE_SERVICES,
    2: AGRICULTURE_ENVIRONMENT,
    3: EDUCATION_HEALTH,
    4: EDUCATION_HEALTH,
    5: EDUCATION_HEALTH,
    6: AGRICULTURE_ENVIRONMENT,
    7: INDUSTRY,
    8: FINANCE_SERVICES,
    9: INDUSTRY,
    10: EDUCATION_HEALTH,
    11: INDUSTRY,
    12: AGRICULTURE_ENVIRONMENT,
    13: AGRICULTURE_ENVIRONMENT,
    14: AGRICULTURE_ENVIRONMENT,
    15: AGRICULTURE_ENVIRONMENT,
    16: PUBLIC_ADMINISTRATION,
}

# Legal-form endings that mark a company rather than a foundation, university or project.
_COMPANY_ENDING = re.compile(
    r"(?:^|[\s,])(inc|incorporated|ltd|limited|llc|gmbh|ggmbh|ag|as|asa|ab|oy|bv|b\.v|nv|sa|s\.a|sas|"
    r"sarl|srl|spa|plc|pbc|corp|corporation|co|company|pvt\.? ltd|pty\.? ltd)\.?$",
    re.IGNORECASE,
)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u3164\uffa0]")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass
class Review:
    """One registry reviewer's answers on one nomination."""

    reviewer: str
    timestamp: int
    criteria_passed: int
    criteria_total: int

    @property
    def moment(self) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(self.timestamp, tz=datetime.timezone.utc)


@dataclass
class Nomination:
    """Everything the registry contains about one nomination, as read from its JSON files."""

    source_id: str
    slug: str
    data: dict
    screening: dict | None
    reviews: list[Review]
    texts_vi: dict | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return clean_line(self.data.get("name"))

    @property
    def approved(self) -> bool:
        return self.data.get("stage") == APPROVED_STAGE

    def locations(self, key: str) -> list[str]:
        if not isinstance(self.screening, dict):
            return []
        locations = self.screening.get("locations")
        if not isinstance(locations, dict):
            return []
        return [clean_line(name) for name in _list(locations.get(key)) if isinstance(name, str)]

    @property
    def developed_in_vietnam(self) -> bool:
        return any(is_vietnam(name) for name in self.locations("developmentCountries"))

    @property
    def deployed_in_vietnam(self) -> bool:
        return any(is_vietnam(name) for name in self.locations("deploymentCountries"))

    @property
    def names_vietnam(self) -> bool:
        return self.developed_in_vietnam or self.deployed_in_vietnam


# --- text cleaning ------------------------------------------------------------------------------


def clean_text(value) -> str:
    """NFC-normalise text, unify line ends, drop control and invisible characters, trim it."""
    if not isinstance(value, str):
        return ""
    text = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", _CONTROL.sub("", text.replace("\t", " ")))
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def clean_line(value) -> str:
    """Clean text and join it onto one line with single spaces."""
    return " ".join(clean_text(value).split())


def _list(value) -> list:
    return value if isinstance(value, list) else []


def web_url(value) -> str | None:
    """Return the URL if it is an http(s) address the schemas accept, else None."""
    text = clean_line(value)
    pattern = schemas.load_schema(schemas.PROPOSAL)["$defs"]["web_url"]["pattern"]
    if text and len(text) <= 2000 and re.match(pattern, text):
        return text
    return None


def make_slug(source_id: str) -> str:
    """Return `source_id` as lowercase ASCII kebab-case."""
    text = unicodedata.normalize("NFKD", source_id.replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", text))


# --- proposal parts -----------------------------------------------------------------------------


def summary_from_description(description: str, name: str) -> str:
    """Return the first sentences of a description, between 20 and 600 characters."""
    text = clean_line(description)
    sentences = _SENTENCE_END.split(text) if text else []
    summary = ""
    for sentence in sentences:
        candidate = f"{summary} {sentence}".strip()
        if summary and len(candidate) > SUMMARY_TARGET:
            break
        summary = candidate
    if len(summary) > SUMMARY_MAX:
        cut = summary[: SUMMARY_MAX - 1].rsplit(" ", 1)[0]
        summary = cut.rstrip(",;:") + "…"
    if len(summary) < SUMMARY_MIN and name and not summary.startswith(name):
        summary = f"{name}: {summary}" if summary else name
    return summary


def kind_of(types: list[str]) -> str:
    """Classify software and AI models as products, and standards, content or data alone as solutions."""
    return "product" if {"software", "aimodel"} & set(types) else "solution"


def domains_of(types: list[str]) -> list[str]:
    domains = ["digital_transformation"]
    if {"data", "aimodel"} & set(types):
        domains.insert(0, "science_technology")
    return domains


def fields_of(nomination: Nomination) -> list[str]:
    """Map sectors and SDG numbers onto at most four fields, strongest evidence first.

    A sector counts twice and an SDG once. Ties keep the order of first appearance.
    """
    override = (nomination.texts_vi or {}).get("fields")
    if override:
        return list(override)[:MAX_FIELDS]

    weight: dict[str, int] = {}
    order: list[str] = []

    def add(code: str | None, points: int) -> None:
        if code is None:
            return
        if code not in weight:
            order.append(code)
            weight[code] = 0
        weight[code] += points

    for sector in _list(nomination.data.get("sectors")):
        add(SECTOR_FIELDS.get(clean_line(sector)), 2)
    for sdg in _list(nomination.data.get("SDGs")):
        if isinstance(sdg, dict) and isinstance(sdg.get("SDGNumber"), int):
            add(SDG_FIELDS.get(sdg["SDGNumber"]), 1)
    if not order:
        return [INFORMATION]
    ranked = sorted(order, key=lambda code: (-weight[code], order.index(code)))
    return ranked[:MAX_FIELDS]


def _owner_organisation(data: dict) -> dict | None:
    organisations = [item for item in _list(data.get("organizations")) if isinstance(item, dict)]
    for organisation in organisations:
        if organisation.get("org_type") == "owner":
            return organisation
    return organisations[0] if organisations else None


def owner_of(nomination: Nomination) -> dict:
    """Build the owner block. A foreign owner gets no tax code, because the registry has none."""
    organisation = _owner_organisation(nomination.data) or {}
    name = clean_line(organisation.get("name"))
    owner: dict = {"type": "enterprise" if _COMPANY_ENDING.search(name) else "organisation"}
    if name:
        owner["name"] = name
    else:
        nomination.notes.append("Không có tổ chức chủ sở hữu nào trong đề cử: trường owner.name để trống.")

    override = (nomination.texts_vi or {}).get("owner_country")
    development = nomination.locations("developmentCountries")
    if override:
        owner["country"] = override
        nomination.notes.append(
            f"Quốc gia của chủ sở hữu lấy theo tệp dpga_vi.yaml ({override}), "
            f"không theo nước phát triển đầu tiên ({development[0] if development else 'không có'}).")
    elif development:
        code = country_code(development[0])
        if code:
            owner["country"] = code
        else:
            nomination.notes.append(f"Không nhận ra tên quốc gia \"{development[0]}\": trường owner.country để trống.")
    else:
        nomination.notes.append("Danh mục không ghi nước phát triển: trường owner.country để trống.")

    website = web_url(organisation.get("website"))
    if website:
        owner["website"] = website
    return owner


def contact_of(nomination: Nomination) -> dict | None:
    """Return the owner's contact person, which is personal data and goes nowhere but `contact`."""
    organisation = _owner_organisation(nomination.data) or {}
    contact: dict = {}
    name = clean_line(organisation.get("contact_name"))
    email = clean_line(organisation.get("contact_email"))
    if name:
        contact["name"] = name[:300]
    if email and _EMAIL.match(email) and len(email) <= 254:
        contact["email"] = email
    return contact or None


def deployments_of(nomination: Nomination, snapshot: datetime.datetime) -> list[dict]:
    """Return one nationwide deployment for a product the registry places in Việt Nam.

    The registry names no user and no date of deployment. `since` is the month of the earliest
    review, because that is the first time the registry is known to have listed the entry.
    Without a review it is the year of the newest review anywhere in the registry data.
    """
    if not nomination.names_vietnam:
        return []
    if nomination.deployed_in_vietnam:
        user = ("Tổ chức, cộng đồng sử dụng tại Việt Nam theo ghi nhận của danh mục DPGA "
                "(danh mục không nêu tên đơn vị sử dụng)")
        scale = "Chưa có số liệu: danh mục DPGA chỉ ghi Việt Nam trong danh sách quốc gia triển khai"
    else:
        user = ("Nhóm phát triển tại Việt Nam theo ghi nhận của danh mục DPGA "
                "(danh mục không nêu tên đơn vị sử dụng)")
        scale = "Chưa có số liệu: danh mục DPGA chỉ ghi Việt Nam trong danh sách quốc gia phát triển"
    if nomination.reviews:
        since = min(review.moment for review in nomination.reviews).strftime("%Y-%m")
    else:
        since = snapshot.strftime("%Y")
    return [{"user": user, "province": NATIONWIDE, "since": since, "scale": scale}]


def _evidence_groups(data: dict) -> list[tuple[list[int], str]]:
    """Group SDG numbers that share one evidence text, in the order the texts first appear."""
    groups: dict[str, list[int]] = {}
    for sdg in _list(data.get("SDGs")):
        if not isinstance(sdg, dict) or not isinstance(sdg.get("SDGNumber"), int):
            continue
        text = clean_text(sdg.get("evidenceText"))
        if text:
            groups.setdefault(text, []).append(sdg["SDGNumber"])
    return [(numbers, text) for text, numbers in groups.items()]


def _sdg_numbers(data: dict) -> list[int]:
    numbers = []
    for sdg in _list(data.get("SDGs")):
        if isinstance(sdg, dict) and isinstance(sdg.get("SDGNumber"), int) and sdg["SDGNumber"] not in numbers:
            numbers.append(sdg["SDGNumber"])
    return numbers


def effectiveness_of(nomination: Nomination) -> dict:
    """Build the effectiveness text from the SDG evidence, with a Vietnamese text where one is kept."""
    paragraphs = []
    for numbers, text in _evidence_groups(nomination.data):
        goals = ", ".join(f"SDG {number} ({SDG_NAMES[number][0]})" for number in numbers if number in SDG_NAMES)
        paragraphs.append(f"**{goals}:** {text}")
    english = "\n\n".join(paragraphs) or (
        "The registry entry gives no evidence text for the Sustainable Development Goals it names.")
    description: dict = {}
    if nomination.texts_vi is not None:
        description["vi"] = nomination.texts_vi.get("effectiveness_vi") or _effectiveness_vi(nomination)
    description["en"] = english
    return {"description": description}


def _effectiveness_vi(nomination: Nomination) -> str:
    numbers = [number for number in _sdg_numbers(nomination.data) if number in SDG_NAMES]
    goals = "\n".join(f"- Mục tiêu {number}: {SDG_NAMES[number][1]}." for number in numbers)
    with_evidence = sum(1 for _ in _evidence_groups(nomination.data))
    text = ("Theo hồ sơ trên danh mục hàng hóa công cộng số của Liên minh Hàng hóa công cộng số (DPGA), "
            "sản phẩm góp phần vào các Mục tiêu phát triển bền vững sau:\n\n" + goals)
    if with_evidence:
        text += ("\n\nCác minh chứng do chủ sở hữu cung cấp (bằng tiếng Anh) được giữ nguyên ở bản tiếng Anh "
                 "của mục này.")
    else:
        text += "\n\nHồ sơ gốc không kèm minh chứng bằng văn bản cho các mục tiêu trên."
    return text


def technology_mastery_of(nomination: Nomination, owner: dict) -> dict:
    """Rate mastery `full` when the owner publishes the source code, `most` otherwise."""
    repositories = [url for url in (web_url(item.get("url")) for item in _list(nomination.data.get("repositories"))
                                    if isinstance(item, dict)) if url]
    owner_name = owner.get("name", "chủ sở hữu")
    if repositories:
        count = len(repositories)
        return {
            "level": "full",
            "description": {
                "vi": (f"{owner_name} công bố và duy trì mã nguồn của sản phẩm tại {count} kho mã nguồn "
                       f"công khai, ví dụ {repositories[0]}."),
                "en": (f"{owner_name} publishes and maintains the source code in {count} public "
                       f"repositor{'y' if count == 1 else 'ies'}, for example {repositories[0]}."),
            },
        }
    return {
        "level": "most",
        "description": {
            "vi": (f"{owner_name} sở hữu sản phẩm theo giấy phép mở, nhưng danh mục nguồn không ghi "
                   "kho mã nguồn công khai nào."),
            "en": (f"{owner_name} owns the product under an open licence, but the registry lists no "
                   "public source repository."),
        },
    }


def intellectual_property_of(nomination: Nomination) -> list[dict]:
    rights = []
    for licence in _list(nomination.data.get("license")):
        if not isinstance(licence, dict):
            continue
        spdx = clean_line(licence.get("spdx"))
        if not spdx:
            continue
        right = {"kind": "open_source_licence", "reference": spdx}
        url = web_url(licence.get("licenseURL"))
        if url:
            right["url"] = url
        elif clean_line(licence.get("licenseURL")):
            nomination.notes.append(f"Bỏ địa chỉ giấy phép {spdx} không phải http(s): {clean_line(licence.get('licenseURL'))!r}.")
        if right not in rights:
            rights.append(right)
    return rights


def _documentation_links(entry) -> list[tuple[str, object]]:
    """Split a documentation entry such as `User guide - https://…` into titled links.

    An entry that is a bare address is kept as it is. Any other text yields every http(s)
    address found in it, titled by the label before the first address when there is one.
    """
    text = clean_line(entry)
    if not text or web_url(text):
        return [("Tài liệu hướng dẫn", text)] if text else []
    addresses = [address.rstrip(".,;:)]'\"") for address in _ADDRESS.findall(text)]
    if not addresses:
        return [("Tài liệu hướng dẫn", text)]
    label = text.split(addresses[0], 1)[0].strip(" -–—:(").strip()
    title = f"Tài liệu hướng dẫn: {label}" if label and len(label) <= 80 else "Tài liệu hướng dẫn"
    return [(title, address) for address in addresses]


def links_of(nomination: Nomination) -> list[dict]:
    """Collect the website, repositories and documentation as http(s) links, dropping the rest."""
    candidates: list[tuple[str, object]] = [("Trang chủ", nomination.data.get("website"))]
    for repository in _list(nomination.data.get("repositories")):
        if isinstance(repository, dict):
            label = clean_line(repository.get("name"))
            candidates.append((f"Mã nguồn: {label}" if label else "Mã nguồn", repository.get("url")))
    documentation = (nomination.screening or {}).get("documentation") if isinstance(nomination.screening, dict) else None
    if isinstance(documentation, dict):
        for entry in _list(documentation.get("documentationURL")):
            candidates.extend(_documentation_links(entry))

    links: list[dict] = []
    seen: set[str] = set()
    for title, raw in candidates:
        text = clean_line(raw)
        if not text:
            continue
        url = web_url(text)
        if url is None:
            nomination.notes.append(f"Bỏ liên kết \"{title}\" vì không phải địa chỉ http(s) hợp lệ: {text!r}.")
            continue
        if url in seen:
            continue
        seen.add(url)
        links.append({"title": title[:300], "url": url})
    if len(links) > MAX_LINKS:
        nomination.notes.append(f"Chỉ giữ {MAX_LINKS} trong {len(links)} liên kết.")
        links = links[:MAX_LINKS]
    return links


# The registry's nominations lived in this public repository, one JSON file per nomination; GitHub
# resolves "HEAD" in a blob address to the repository's default branch.
REGISTRY_FILE_URL = "https://github.com/DPGAlliance/publicgoods-candidates/blob/HEAD/nominees/{source_id}.json"


def source_url_of(nomination: Nomination) -> str:
    """Return the address of the nomination's own file in the source registry."""
    return REGISTRY_FILE_URL.format(source_id=quote(nomination.source_id))


def _description_en(data: dict) -> str:
    text = clean_text(data.get("description"))
    aliases = [clean_line(alias) for alias in _list(data.get("aliases")) if clean_line(alias)]
    if aliases:
        text += ("\n\n" if text else "") + "Also known as: " + ", ".join(aliases) + "."
    return text


def build_proposal(nomination: Nomination, snapshot: datetime.datetime) -> dict:
    """Return the proposal for a nomination, keys in the order of the proposal schema."""
    data = nomination.data
    types = [clean_line(item) for item in _list(data.get("type"))]
    texts_vi = nomination.texts_vi
    name = nomination.name

    proposal: dict = {"schema_version": 1, "slug": nomination.slug, "kind": kind_of(types),
                      "domains": domains_of(types)}

    proposal["name"] = {}
    if texts_vi is not None:
        proposal["name"]["vi"] = texts_vi.get("name_vi") or name
    if name:
        proposal["name"]["en"] = name[:200]

    proposal["summary"] = {}
    if texts_vi is not None:
        proposal["summary"]["vi"] = texts_vi["summary_vi"]
    summary_en = summary_from_description(data.get("description"), name)
    if summary_en:
        proposal["summary"]["en"] = summary_en

    proposal["description"] = {}
    if texts_vi is not None:
        proposal["description"]["vi"] = texts_vi["description_vi"]
    description_en = _description_en(data)
    if description_en:
        proposal["description"]["en"] = description_en

    proposal["fields"] = fields_of(nomination)
    owner = owner_of(nomination)
    proposal["owner"] = owner
    contact = contact_of(nomination)
    if contact:
        proposal["contact"] = contact
    proposal["deployments"] = deployments_of(nomination, snapshot)
    proposal["effectiveness"] = effectiveness_of(nomination)
    proposal["technology_mastery"] = technology_mastery_of(nomination, owner)
    rights = intellectual_property_of(nomination)
    if rights:
        proposal["intellectual_property"] = rights
    links = links_of(nomination)
    if links:
        proposal["links"] = links
    proposal["commitments"] = list(COMMITMENTS)

    source = {"registry": REGISTRY_NAME, "id": nomination.source_id}
    url = source_url_of(nomination)
    if url:
        source["url"] = url
    proposal["source"] = source
    return proposal


# --- evaluation record --------------------------------------------------------------------------


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_record(nomination: Nomination, snapshot: datetime.datetime) -> dict:
    """Return the evaluation record of an approved nomination, keys in the order of its schema.

    The decision is dated by the latest review, or by the registry snapshot when the entry has
    no review. Dates come from the data and never from the clock, so a re-import writes the
    same bytes.
    """
    reviews = sorted(nomination.reviews, key=lambda review: (review.timestamp, review.reviewer))
    decided = reviews[-1].moment if reviews else snapshot
    record: dict = {
        "schema_version": 1,
        "slug": nomination.slug,
        "sequence": 1,
        "decision": {
            "outcome": "selected",
            "date": decided.strftime("%Y-%m-%d"),
            "basis": ("Được Liên minh Hàng hóa công cộng số (Digital Public Goods Alliance) công nhận "
                      "là hàng hóa công cộng số sau khi thẩm định trên danh mục của Liên minh; "
                      "hồ sơ được nhập từ dữ liệu công khai của danh mục này."),
        },
        "history": [{
            "date": _timestamp(decided),
            "action": "imported",
            "note": (f"Nhập từ danh mục DPGA, mã bản ghi gốc {nomination.source_id}, trạng thái gốc "
                     f"{APPROVED_STAGE} (đã được công nhận), {len(reviews)} ý kiến thẩm định. "
                     "Thời điểm ghi là ngày của dữ liệu nguồn, không phải ngày chạy lệnh nhập."),
        }],
    }
    source: dict = {"registry": REGISTRY_NAME, "id": nomination.source_id}
    url = source_url_of(nomination)
    if url:
        source["url"] = url
    source["status"] = APPROVED_STAGE
    if reviews:
        source["reviews"] = [
            {
                "reviewer": review.reviewer,
                "date": _timestamp(review.moment),
                "criteria_passed": review.criteria_passed,
                "criteria_total": review.criteria_total,
            }
            for review in reviews
        ]
    record["source"] = source
    return record
