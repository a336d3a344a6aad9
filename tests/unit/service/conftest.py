"""Fixtures for the service tests: a real temp SQLite store filled from ../shared, fake extractor and search."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from core.config import Settings, get_settings
from core.schemas import Lead, Policy
from core.store import Store
from nlp.regions import RegionIndex, default_regions
from service.app import create_app
from service.deps import Services
from tests.corpus import document_from_record, policy_from_record, read_jsonl

STAGE_WORDS = (("投产", "投产"), ("开工", "开工"), ("签约", "签约"), ("签署", "签约"), ("签订", "签约"), ("洽谈", "在谈"))
NEWS_IDS = ("N001", "N003", "N008", "N009", "N010", "N019", "N020", "N027")
POLICY_COUNT = 12


@dataclass
class FakeExtraction:
    leads: list[Lead]
    event_dates: list[dt.date | None]
    flags: list[str] = field(default_factory=list)


class FakeExtractor:
    """Deterministic stand-in for nlp.leads.LeadExtractor: one lead per sentence with a stage word and a place."""

    def __init__(self, regions: RegionIndex) -> None:
        self.regions = regions
        self.names = sorted((n for n in regions.names() if len(n) >= 3), key=len, reverse=True)
        self.calls = 0

    def extract(self, text: str, publish_date: dt.date | None = None) -> FakeExtraction:
        self.calls += 1
        leads: list[Lead] = []
        for sentence in re.split(r"(?<=[。！？\n])", text):
            sentence = sentence.strip()
            stage = next((s for word, s in STAGE_WORDS if word in sentence), None)
            place = next((n for n in self.names if n in sentence), None)
            if not stage or not place:
                continue
            region = self.regions.lookup(place)
            amount = re.search(r"(\d+(?:\.\d+)?)亿元", sentence)
            leads.append(Lead(location=region.name if region else place, region_code=region.code if region else None,
                              amount_cny=float(amount.group(1)) * 1e8 if amount else None,
                              currency="CNY" if amount else None, stage=stage, evidence=sentence, confidence=0.6,
                              industry="新能源" if "风" in sentence or "能" in sentence else "其他"))
        return FakeExtraction(leads=leads, event_dates=[publish_date] * len(leads))


@dataclass
class FakeMatch:
    policy_id: str
    score: float
    title: str
    matched_clause: str | None
    issuer_region: str
    region_code: str | None
    publish_date: dt.date | None
    expired: bool
    matched_clauses: list[str]
    applicability: str


class FakePolicySearch:
    """Bigram overlap over the stored policies; a policy applies when the investor's region lies inside its issuer's."""

    def __init__(self, policies: list[Policy], regions: RegionIndex) -> None:
        self.policies, self.regions = policies, regions
        self.last_call: dict | None = None

    def __len__(self) -> int:
        return len(self.policies)

    def search(self, query: str, region: str | None = None, top: int = 10, industry: str | None = None,
               include_expired: bool = False) -> list[FakeMatch]:
        self.last_call = {"query": query, "region": region, "top": top, "industry": industry,
                          "include_expired": include_expired}
        grams = {query[i : i + 2] for i in range(len(query) - 1)}
        out: list[FakeMatch] = []
        for policy in self.policies:
            code = policy.region_code or "000000"
            if region and not self.regions.is_within(region, code):
                continue
            scored = sorted(((sum(g in c.text for g in grams), c.text) for c in policy.clauses), reverse=True)
            if not scored or scored[0][0] == 0:
                continue
            best = [t for s, t in scored[:2] if s > 0]
            out.append(FakeMatch(policy.id, float(scored[0][0]) / max(len(grams), 1), policy.title, best[0],
                                 policy.issuer_region, code, policy.publish_date, False, best,
                                 f"issued by {policy.issuer_region}"))
        out.sort(key=lambda m: -m.score)
        return out[:top]


@pytest.fixture(scope="session")
def regions() -> RegionIndex:
    return default_regions()


@pytest.fixture
def settings(zs_home: Path) -> Settings:
    return get_settings()


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    settings.ensure_dirs()
    store = Store.connect(settings.db_url)
    yield store
    store.close()


@pytest.fixture
def seeded(store: Store, regions: RegionIndex, shared_dir: Path) -> dict:
    """Real corpus passages as documents, their leads from the fake extractor, a dozen real policies."""
    extractor = FakeExtractor(regions)
    news = {r["id"]: r for r in read_jsonl(shared_dir / "corpus" / "news.jsonl")}
    lead_ids: list[int] = []
    doc_ids: list[int] = []
    for nid in NEWS_IDS:
        doc_id, _ = store.save_document(document_from_record(news[nid]))
        result = extractor.extract(news[nid]["text"], None)
        lead_ids += store.replace_document_leads(doc_id, result.leads, event_dates=result.event_dates)
        doc_ids.append(doc_id)
    policies = [policy_from_record(r, regions) for r in read_jsonl(shared_dir / "corpus" / "policies.jsonl")[:POLICY_COUNT]]
    store.upsert_policies(policies)
    return {"lead_ids": lead_ids, "doc_ids": doc_ids, "policies": policies, "extractor": extractor}


@pytest.fixture
def services(store: Store, regions: RegionIndex, seeded: dict, settings: Settings) -> Services:
    return Services(store=store, regions=regions, extractor=seeded["extractor"],
                    policy_search=FakePolicySearch(seeded["policies"], regions), settings=settings)


@pytest.fixture
def client(settings: Settings, services: Services) -> Iterator[TestClient]:
    with TestClient(create_app(settings, services)) as c:
        yield c


@pytest.fixture
def analyst(client: TestClient) -> TestClient:
    client.headers["X-Actor"] = "analyst-1"
    return client


# -- auth (round 2) --------------------------------------------------------------
@pytest.fixture
def api_keys(store: Store) -> dict[str, str]:
    """One real key per role in the store (so dev mode is off); role → full key."""
    from core.store import ROLES, ApiKeys

    repo = ApiKeys(store.db)
    names = {"public": "投资者门户", "platform": "招商平台", "analyst": "王分析", "admin": "管理员"}
    return {role: repo.create(names[role], role)[1] for role in ROLES}


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
