"""The public catalogue as the site shows it: published products, fields and organisations.

Everything here works on data that `portal.validate.validate_content` has already accepted. A
proposal enters the catalogue only when its latest evaluation record has the outcome `selected`.
What reaches a template is a display view built from an allow-list of public fields, so the
submitter's `contact:` block and non-public attachments are never copied into it.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import re
from dataclasses import dataclass, field

from babel import Locale
from babel.numbers import format_decimal

from portal import schemas
from portal.catalogue import format_date, is_published, latest_record
from portal.provinces import NATIONWIDE
from portal.textfold import collation_key, name_key, search_key

from .markup import MarkdownRenderer

LANGUAGE = "vi"
# Language of a proposal's single-language free text (deployment users, link titles written by the
# importer, decision basis): proposals and records are written in Vietnamese.
SOURCE_TEXT_LANGUAGE = "vi"
SLUG_MAX_LENGTH = 80

PRODUCT_URL = "san-pham/{slug}/"
FIELD_URL = "linh-vuc/{slug}/"
FIELD_INDEX_URL = "linh-vuc/"
ORGANISATION_URL = "to-chuc/{slug}/"
ORGANISATION_INDEX_URL = "to-chuc/"
CATALOGUE_URL = "danh-muc/"
CATALOGUE_PAGE_URL = "danh-muc/trang-{number}/"
ATTACHMENT_URL = "san-pham/{slug}/tep/{file}"

# Keys of a proposal that may appear on the public site. Anything else, `contact` above all,
# is left out of the display view, so a new private key in the schema stays private by default.
PUBLIC_PROPOSAL_KEYS = (
    "slug", "kind", "domains", "name", "summary", "description", "fields", "owner",
    "deployments", "effectiveness", "technology_mastery", "intellectual_property",
    "certifications", "awards", "links", "attachments", "seeking", "support_requested",
    "support_details", "source",
)
PUBLIC_OWNER_KEYS = ("type", "name", "country", "province", "website")

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Text:
    """A piece of submitted text together with the language it is written in."""

    value: str
    lang: str = LANGUAGE

    def __str__(self) -> str:
        return self.value

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclass
class Organisation:
    """An owner as the catalogue groups it: one page per name, whatever its case or tone marks."""

    key: str
    slug: str = ""
    name: str = ""
    products: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return ORGANISATION_URL.format(slug=self.slug)


@dataclass
class FieldPage:
    code: str
    label: str
    slug: str
    products: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return FIELD_URL.format(slug=self.slug)


@dataclass
class Catalogue:
    """Published products with the indexes the site is built from."""

    products: list = field(default_factory=list)
    fields: list = field(default_factory=list)
    organisations: list = field(default_factory=list)

    @property
    def newest(self) -> list:
        return sorted(self.products, key=lambda p: (p["decision"]["sort_date"], p["slug"]), reverse=True)

    @property
    def fields_in_use(self) -> list:
        return [item for item in self.fields if item.products]


# --- text helpers ---------------------------------------------------------------------------------


def pick_text(value, language: str = LANGUAGE) -> Text:
    """Choose the text in `language` from a {vi, en} mapping, falling back to the other one."""
    if isinstance(value, str):
        return Text(value, language)
    if not isinstance(value, dict) or not value:
        return Text("", language)
    if value.get(language):
        return Text(value[language], language)
    for other, text in value.items():
        if text:
            return Text(text, other)
    return Text("", language)


def ascii_slug(text: str) -> str:
    """Turn a name into lower-case ASCII words joined by hyphens ("Công ty Đất Việt" -> cong-ty-dat-viet)."""
    slug = _NOT_SLUG.sub("-", search_key(text)).strip("-")
    if len(slug) > SLUG_MAX_LENGTH:
        slug = slug[:SLUG_MAX_LENGTH].rsplit("-", 1)[0]
    return slug


def _short_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


@functools.cache
def _territories(language: str = LANGUAGE) -> dict:
    return dict(Locale.parse(language).territories)


def country_name(code: str | None, language: str = LANGUAGE) -> str:
    if not code:
        return ""
    return _territories(language).get(code, code)


def format_number(value, language: str = LANGUAGE) -> str:
    """Group the digits of an integer as the language does (vi: 35000 -> 35.000); leave text as written."""
    if isinstance(value, int) and not isinstance(value, bool):
        return format_decimal(value, locale=language)
    return "" if value is None else str(value)


# --- the public view of one product ---------------------------------------------------------------


def public_proposal(data: dict) -> dict:
    """Copy the public part of a proposal: no contact, no private attachments, no unknown keys."""
    public = {key: copy.deepcopy(data[key]) for key in PUBLIC_PROPOSAL_KEYS if key in data}
    owner = data.get("owner") if isinstance(data.get("owner"), dict) else {}
    public["owner"] = {key: owner[key] for key in PUBLIC_OWNER_KEYS if key in owner}
    public["attachments"] = [
        dict(item) for item in data.get("attachments") or []
        if isinstance(item, dict) and item.get("public") is True
    ]
    return public


def organisation_key(owner: dict) -> str:
    return name_key(owner.get("name") or "")


def default_organisation_slug(owner: dict) -> str:
    """Return the organisation's slug when no other organisation shares its ASCII form."""
    name = owner.get("name") or ""
    return ascii_slug(name) or f"to-chuc-{_short_hash(organisation_key(owner))}"


def _list_of_dicts(value) -> list:
    return [item for item in value or [] if isinstance(item, dict)]


def _deployment_view(item: dict) -> dict:
    return {
        "user": item.get("user", ""),
        "province": item.get("province", ""),
        # "Toàn quốc" is a fixed choice, not a province: templates show it in the page's language.
        "nationwide": item.get("province") == NATIONWIDE,
        "since": format_date(item.get("since")),
        "scale": item.get("scale", ""),
        "url": item.get("url", ""),
    }


def _figure_view(item: dict, language: str = LANGUAGE) -> dict:
    return {
        "indicator": item.get("indicator", ""),
        "value": format_number(item.get("value"), language),
        "unit": item.get("unit", ""),
        "year": str(item.get("year") or ""),
    }


def _decision_view(record: dict, language: str = LANGUAGE) -> dict:
    decision = record.get("decision") if isinstance(record.get("decision"), dict) else {}
    return {
        "outcome": schemas.label("outcome", decision.get("outcome", ""), language),
        "date": format_date(decision.get("date")),
        "sort_date": str(decision.get("published") or decision.get("date") or ""),
        "published": format_date(decision.get("published")),
        "basis": decision.get("basis", ""),
        "reference": decision.get("reference", ""),
        "signer": decision.get("signer", ""),
        "document": decision.get("document", ""),
    }


def _source_view(proposal: dict, record: dict) -> dict | None:
    # Only the registry's name and the public address of the original entry are shown; reviewer
    # ids from the source registry stay in the evaluation record.
    source = proposal.get("source") if isinstance(proposal.get("source"), dict) else None
    if source is None and isinstance(record.get("source"), dict):
        source = record["source"]
    if not source:
        return None
    return {"registry": source.get("registry", ""), "url": source.get("url", "")}


def product_view(proposal: dict, record: dict, renderer: MarkdownRenderer,
                 organisation_slug: str | None = None, language: str = LANGUAGE) -> dict:
    """Build the display view of one published product from its proposal and latest record.

    Texts are taken in `language` when the submitter wrote them in it, otherwise in the other
    language, and each `Text` keeps the language it is written in. Labels of codes follow
    `language`.
    """
    data = public_proposal(proposal)
    slug = data["slug"]
    owner = data["owner"]
    effectiveness = data.get("effectiveness") or {}
    mastery = data.get("technology_mastery") or {}
    name = pick_text(data.get("name"), language)

    def label(kind: str, code: str) -> str:
        return schemas.label(kind, code, language)

    def rendered(value) -> dict:
        return _rendered(renderer, value, language)

    return {
        "slug": slug,
        "url": PRODUCT_URL.format(slug=slug),
        "name": name,
        "sort_key": (collation_key(name.value), slug),
        "summary": pick_text(data.get("summary"), language),
        "description": rendered(data.get("description")),
        "kind": label("kind", data.get("kind", "")),
        "domains": [label("domains", code) for code in data.get("domains") or []],
        "fields": [
            {"code": code, "label": label("fields", code), "url": FIELD_URL.format(slug=field_slug(code))}
            for code in data.get("fields") or []
        ],
        "owner": {
            "name": owner.get("name", ""),
            "type": label("owner_type", owner.get("type", "")),
            "country": country_name(owner.get("country"), language),
            "province": owner.get("province", ""),
            "website": owner.get("website", ""),
            # A Vietnamese owner's name is Vietnamese. A foreign owner's name is in a language the
            # proposal does not state, so it is not marked.
            "lang": SOURCE_TEXT_LANGUAGE if owner.get("country", "VN") == "VN" else "",
            "url": ORGANISATION_URL.format(slug=organisation_slug or default_organisation_slug(owner)),
        },
        "deployments": [_deployment_view(item) for item in _list_of_dicts(data.get("deployments"))],
        "effectiveness": {
            "description": rendered(effectiveness.get("description")),
            "figures": [_figure_view(item, language) for item in _list_of_dicts(effectiveness.get("figures"))],
        },
        "technology_mastery": {
            "level": label("technology_mastery", mastery.get("level", "")),
            "description": rendered(mastery.get("description")),
        },
        "intellectual_property": [
            {
                "kind": label("ip_kind", item.get("kind", "")),
                "reference": item.get("reference", ""),
                "date": format_date(item.get("date")),
                "url": item.get("url", ""),
            }
            for item in _list_of_dicts(data.get("intellectual_property"))
        ],
        "certifications": [
            {
                "name": item.get("name", ""),
                "issuer": item.get("issuer", ""),
                "date": format_date(item.get("date")),
                "url": item.get("url", ""),
            }
            for item in _list_of_dicts(data.get("certifications"))
        ],
        "awards": [
            {
                "name": item.get("name", ""),
                "organiser": item.get("organiser", ""),
                "year": str(item.get("year") or ""),
                "url": item.get("url", ""),
            }
            for item in _list_of_dicts(data.get("awards"))
        ],
        "links": [
            {"title": item.get("title", ""), "url": item.get("url", "")}
            for item in _list_of_dicts(data.get("links"))
        ],
        "attachments": [
            {
                "title": item.get("title", ""),
                "file": item.get("file", ""),
                "kind": label("attachment_kind", item["kind"]) if item.get("kind") else "",
                "url": ATTACHMENT_URL.format(slug=slug, file=item.get("file", "")),
            }
            for item in data["attachments"]
        ],
        "seeking": [label("seeking", code) for code in data.get("seeking") or []],
        "support_requested": [label("support_requested", code) for code in data.get("support_requested") or []],
        "support_details": rendered(data.get("support_details")),
        "decision": _decision_view(record, language),
        "source": _source_view(data, record),
    }


def _rendered(renderer: MarkdownRenderer, value, language: str = LANGUAGE) -> dict:
    text = pick_text(value, language)
    return {"html": renderer.render(text.value), "lang": text.lang}


# Addresses of the field pages: ASCII forms of the Vietnamese labels, written out here so that an
# edit to a label's wording does not move a published page. Same address in every language.
FIELD_SLUGS = {
    "industry_construction": "cong-nghiep-va-xay-dung",
    "agriculture_resources_environment": "nong-nghiep-tai-nguyen-va-moi-truong",
    "transport_post_logistics": "giao-thong-van-tai-buu-chinh-va-logistics",
    "education_health_culture_society": "giao-duc-y-te-van-hoa-xa-hoi",
    "finance_banking_trade_services": "tai-chinh-ngan-hang-thuong-mai-dich-vu",
    "public_administration": "hanh-chinh-cong-va-quan-ly-nha-nuoc",
    "information_communications": "thong-tin-truyen-thong-va-ha-tang-so",
}


def field_slug(code: str) -> str:
    """Return the address slug of a field: fixed for known codes, else from its Vietnamese label."""
    return FIELD_SLUGS.get(code) or ascii_slug(schemas.label("fields", code, LANGUAGE)) or code.replace("_", "-")


# --- the whole catalogue --------------------------------------------------------------------------


def published_pairs(proposals: dict, records: dict) -> list[tuple[dict, dict]]:
    """Return (proposal, latest record) for every proposal whose latest record is `selected`."""
    pairs = []
    for slug in sorted(proposals):
        proposal = getattr(proposals[slug], "data", proposals[slug])
        record = latest_record(records.get(slug, []))
        if isinstance(proposal, dict) and is_published(record):
            pairs.append((proposal, record))
    return pairs


def assign_organisation_slugs(organisations: list[Organisation], first_published: dict[str, str]) -> None:
    """Give each organisation a URL slug that no other organisation has.

    Names that fold to the same ASCII form ("Cà phê Việt" and "Cá phê Việt") collide. Within a
    collision, the organisation published first keeps the plain slug, and the others get a suffix
    from a hash of their name key. Existing slugs therefore stay the same when later
    organisations arrive. `first_published` maps name keys to ISO dates.
    """
    groups: dict[str, list[Organisation]] = {}
    for organisation in organisations:
        base = ascii_slug(organisation.name) or f"to-chuc-{_short_hash(organisation.key)}"
        groups.setdefault(base, []).append(organisation)

    for base, members in groups.items():
        members.sort(key=lambda org: (first_published.get(org.key, ""), org.key))
        members[0].slug = base
        for organisation in members[1:]:
            organisation.slug = f"{base}-{_short_hash(organisation.key)}"


def _display_name(spellings: list[str]) -> str:
    # The spelling most products use; ties go to the alphabetically first, so builds agree.
    counts: dict[str, int] = {}
    for spelling in spellings:
        counts[spelling] = counts.get(spelling, 0) + 1
    return sorted(counts, key=lambda spelling: (-counts[spelling], spelling))[0]


def build_catalogue(proposals: dict, records: dict, renderer: MarkdownRenderer | None = None,
                    language: str = LANGUAGE) -> Catalogue:
    """Build the catalogue from validated proposals and records (as `validate_content` returns them).

    Names sort in Vietnamese alphabetical order (`collation_key`) whatever `language` is.
    """
    renderer = renderer or MarkdownRenderer()
    pairs = published_pairs(proposals, records)

    # Organisations are grouped first so that each product view can link to its final slug.
    by_key: dict[str, Organisation] = {}
    spellings: dict[str, list[str]] = {}
    first_published: dict[str, str] = {}
    for proposal, record in pairs:
        owner = proposal.get("owner") or {}
        key = organisation_key(owner)
        by_key.setdefault(key, Organisation(key=key))
        spellings.setdefault(key, []).append(owner.get("name", ""))
        date = _decision_view(record)["sort_date"]
        first_published[key] = min(first_published.get(key, date), date)
    for key, organisation in by_key.items():
        organisation.name = _display_name(spellings[key])
    assign_organisation_slugs(list(by_key.values()), first_published)

    catalogue = Catalogue()
    for proposal, record in pairs:
        organisation = by_key[organisation_key(proposal.get("owner") or {})]
        view = product_view(proposal, record, renderer, organisation.slug, language)
        catalogue.products.append(view)
        organisation.products.append(view)

    catalogue.products.sort(key=lambda product: product["sort_key"])
    for organisation in by_key.values():
        organisation.products.sort(key=lambda product: product["sort_key"])
    catalogue.organisations = sorted(by_key.values(), key=lambda org: (collation_key(org.name), org.slug))

    for code in schemas.codes("fields"):
        page = FieldPage(code=code, label=schemas.label("fields", code, language), slug=field_slug(code))
        page.products = [p for p in catalogue.products if code in {f["code"] for f in p["fields"]}]
        catalogue.fields.append(page)
    catalogue.fields.sort(key=lambda page: collation_key(page.label))
    return catalogue
