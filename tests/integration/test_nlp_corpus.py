"""The lead extractor over the whole development corpus and the seeds: never crashes, finds the right kind of leads."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest

from nlp.leads import LeadExtractor

pytestmark = pytest.mark.integration

# From the corpus README: passages about concrete signed / started / producing / negotiated projects.
CONCRETE = [
    "N001",
    "N003",
    "N008",
    "N010",
    "N019",
    "N020",
    "N022",
    "N027",
    "N031",
    "N033",
    "N049",
    "N051",
    "N053",
    "N054",
    "N056",
    "N057",
    "N021",
    "N023",
    "N028",
]
# Aggregate statistics passages (N005 also names one concrete project in its headline, so one lead is allowed).
AGGREGATE_NONE = ["N006", "N007", "N071", "N072", "N077"]
POLICY_RELEASES = [
    "N034",
    "N038",
    "N039",
    "N040",
    "N041",
    "N042",
    "N044",
    "N045",
    "N046",
    "N047",
    "N048",
    "N050",
    "N058",
    "N059",
    "N060",
    "N061",
    "N062",
    "N063",
    "N064",
    "N065",
    "N066",
    "N068",
    "N069",
    "N070",
    "N074",
    "N075",
    "N076",
]
METHODS = ["N015", "N016", "N017", "N029"]


@pytest.fixture(scope="module")
def extractor() -> LeadExtractor:
    return LeadExtractor()


SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="module")
def results(extractor: LeadExtractor) -> dict[str, list]:
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}")
    out: dict[str, list] = {}
    with (SHARED / "corpus" / "news.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            date = dt.date.fromisoformat(record["publish_date"]) if record["publish_date"] else None
            extraction = extractor.extract(record["text"], date)
            assert len(extraction.leads) == len(extraction.event_dates)
            out[record["id"]] = extraction.leads
    assert len(out) == 78
    return out


def test_concrete_project_passages_have_leads(results: dict[str, list]) -> None:
    missing = [pid for pid in CONCRETE if not results[pid]]
    assert len(missing) <= 1, missing


def test_aggregate_passages_have_no_leads(results: dict[str, list]) -> None:
    assert {pid: results[pid] for pid in AGGREGATE_NONE if results[pid]} == {}
    assert len(results["N005"]) <= 1


def test_policy_and_method_passages_have_few_leads(results: dict[str, list]) -> None:
    policy = sum(len(results[pid]) for pid in POLICY_RELEASES)
    methods = sum(len(results[pid]) for pid in METHODS)
    assert policy <= 4, policy
    assert methods <= 4, methods


def test_known_leads_are_found(results: dict[str, list]) -> None:
    n001 = {lead.location: lead for lead in results["N001"]}
    assert {"含山县", "明光市"} <= set(n001)
    assert n001["含山县"].amount_cny == pytest.approx(15e8)
    assert n001["明光市"].amount_cny == pytest.approx(17.2e8)
    n022 = {lead.project: lead for lead in results["N022"]}
    assert n022["高档家居商贸城项目"].stage == "在谈"
    assert n022["高档家居商贸城项目"].org == "红星美凯龙家居集团"
    assert n022["钟山县百里水墨画廊玉庐墅家项目"].stage == "签约"
    n008 = [lead for lead in results["N008"] if lead.currency == "USD"]
    assert n008 and n008[0].amount == pytest.approx(8e7) and n008[0].amount_cny is None


def test_every_lead_is_well_formed(results: dict[str, list]) -> None:
    for leads in results.values():
        for lead in leads:
            assert lead.org or lead.project
            # a 其他 lead is a named project (a work plan's, a planned one), a fund, or carries an amount
            assert lead.stage != "其他" or lead.amount is not None or lead.project or (lead.org or "").endswith("基金")
            assert lead.evidence and 0 <= lead.confidence <= 1
            assert lead.region_code is None or len(lead.region_code) == 6


def test_seeds_run_and_flag_garbage(shared_dir: Path, extractor: LeadExtractor) -> None:
    seeds = sorted((shared_dir / "seeds").glob("*.txt"))
    assert len(seeds) == 5
    found = {}
    for path in seeds:
        extraction = extractor.extract(path.read_text(encoding="utf-8"))
        found[path.name[:3]] = extraction
    assert any(f.startswith("garbage:") for f in found["000"].flags)
    projects = {lead.project: lead for lead in found["000"].leads}
    assert projects["中联重科智能装备制造产业园"].location == "马鞍山市"
    assert projects["共享装备生产基地"].location == "芜湖市"


def test_throughput(shared_dir: Path, extractor: LeadExtractor) -> None:
    text = (shared_dir / "corpus" / "news.jsonl").read_text(encoding="utf-8")
    start = time.perf_counter()
    extractor.extract(text[:150_000])
    rate = len(text[:150_000].encode()) / 1000 / (time.perf_counter() - start)
    assert rate > 50, f"{rate:.0f} KB/s"
