"""Lead units: what the extractor returns (Extraction) and the event candidates it assembles (Unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from core.schemas import Lead
from nlp.entities.location import Place
from nlp.entities.money import Money
from nlp.entities.org import Org
from nlp.entities.project import Project
from nlp.leadfilters import ATTRIBUTIVE, PROJECT_WORD
from nlp.regions import RegionIndex
from nlp.sentences import Clause


@dataclass
class Extraction:
    """What ``LeadExtractor.extract`` found: leads, their event dates (parallel list) and flags."""

    leads: list[Lead] = field(default_factory=list)
    event_dates: list[dt.date | None] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Unit:
    """One event candidate inside a clause."""

    clause: Clause
    project: Project | None
    org: Org | None
    money: Money | None
    place: Place | None
    stage: str
    aggregate: bool
    context: str = ""  # the project's own stretch of the clause (its description), for the industry
    listed: bool = False  # one of several companies a clause names: its words describe the others too


def listed_item(unit: Unit) -> Unit:
    """An enumerated item: no amount (a batch total is not split); a company named by the item itself is no investor."""
    assert unit.project is not None
    itself = unit.org is not None and unit.org.name == unit.project.name
    text = unit.clause.text
    own = unit.money is not None and bool(ATTRIBUTIVE.fullmatch(text, unit.money.end, unit.project.start))
    return replace(unit, money=unit.money if own else None, org=None if itself else unit.org)


def fuller_mention(unit: Unit, named: list[Unit]) -> Unit:
    """A project named short (宣泰精密机械项目) that the passage also names in full (宣城宣泰精密机械有限公司数控机床
    整机装配项目) in a sentence where nothing happens to it: the full name and its investor."""
    assert unit.project is not None
    core = PROJECT_WORD.sub("", unit.project.name)
    if len(core) < 3:
        return unit
    full = {u.project.name: u for u in named if u.project is not None and core in u.project.name
            and len(u.project.name) > len(unit.project.name)}
    if len(full) != 1:
        return unit
    (other,) = full.values()
    assert other.project is not None
    return replace(unit, project=replace(unit.project, name=other.project.name), org=unit.org or other.org)


def lead_place(regions: RegionIndex, unit: Unit, context: str | None, body: str) -> tuple[str | None, str | None]:
    """(location, code) of a unit: its own place, a zone's city, else the document's place (``context``)."""
    place = unit.place
    if place is None:
        return context_place(regions, context)
    if place.level == "park" and place.code not in regions.divisions:
        return context_place(regions, regions.get(place.code).parent)  # a zone: its city
    if (unit.project is not None and unit.project.start <= place.start < unit.project.end and context
            and context != place.code and regions.is_within(context, place.code) and regions.mentions(body, context) >= 2):
        return context_place(regions, context)  # 海尔沈阳…工厂项目 in a 浑南区 report: 沈阳 names it, 浑南区 locates it
    return place.name, place.code


def context_place(regions: RegionIndex, context: str | None) -> tuple[str | None, str | None]:
    """(name, code) of the document's place; a zone with only a statistical code gives its city."""
    region = regions.by_code.get(context) if context else None
    if region is not None and region.code not in regions.divisions and region.parent:
        region = regions.by_code.get(region.parent)
    return (region.name, region.code) if region else (None, None)
