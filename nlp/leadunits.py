"""Lead units: what the extractor returns (Extraction) and the event candidates it assembles (Unit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from core.schemas import Lead
from nlp.entities.location import Place
from nlp.entities.money import Money
from nlp.entities.org import Org
from nlp.entities.project import Project
from nlp.leadfilters import ATTRIBUTIVE
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


def listed_item(unit: Unit) -> Unit:
    """An enumerated item: no amount (a batch total is not split); a company named by the item itself is no investor."""
    assert unit.project is not None
    itself = unit.org is not None and unit.org.name == unit.project.name
    text = unit.clause.text
    own = unit.money is not None and bool(ATTRIBUTIVE.fullmatch(text, unit.money.end, unit.project.start))
    return replace(unit, money=unit.money if own else None, org=None if itself else unit.org)
