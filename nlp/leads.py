"""Leads: normalised news text → investment leads (one per event) with the extract-contract fields."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import replace

from core.errors import InputError
from core.schemas import Lead
from nlp import leadfilters as lf
from nlp.confidence import ConfidenceModel, default_confidence_model
from nlp.entities.enumeration import find_enumerated
from nlp.entities.location import Place, PlaceFinder
from nlp.entities.money import Money, find_money
from nlp.entities.org import Org, OrgFinder
from nlp.entities.project import Project, find_projects
from nlp.entities.stage import detect_stage
from nlp.entities.time import find_dates, first_date
from nlp.industry import LeadIndustryClassifier, classify_lead
from nlp.leadrules import built_facility, consortium, event_stage, introduced_orgs, opening_orgs
from nlp.leadtext import (
    best_money,
    comma_piece_end,
    comma_piece_start,
    fold_investor_mentions,
    fullest_org,
    investor_profile,
    is_heading,
    local_places,
    merge_leads,
    o_valid,
    same_mention,
    section_place,
    short_owner,
    short_subject,
    split_enumerations,
    subject_stems,
)
from nlp.leadunits import Extraction, Unit, fuller_mention, lead_place, listed_item
from nlp.normalize import normalize
from nlp.regions import RegionIndex, default_regions
from nlp.resolve import LeadResolver
from nlp.resources import industry_keywords
from nlp.segment import Segmenter, load_segmenter
from nlp.sentences import Clause, split_clauses

DEFAULT_MAX_CHARS = 200_000
_CJK_RE = re.compile(r"[\u4e00-\u9fff]")
class LeadExtractor:
    """Extract leads from Chinese investment news; heavy parts are built once and reused."""

    def __init__(
        self,
        segmenter: Segmenter | None = None,
        regions: RegionIndex | None = None,
        classify_industry: Callable[[str], str | None] | None = None,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        confidence: ConfidenceModel | None = None,
    ) -> None:
        self.segmenter = segmenter or load_segmenter()
        self.regions = regions or default_regions()
        self.places = PlaceFinder(self.regions, cut=self.segmenter.tokenizer.lcut)
        self.orgs = OrgFinder(cut=self.segmenter.tokenizer.lcut, is_place=self._is_place)
        self.classify_industry = classify_industry or LeadIndustryClassifier()
        # one project named twice in a document; containment is not enough here (a park and its first project)
        self._same = LeadResolver(project_threshold=0.8, containment=False)
        self._generic = frozenset(w for words in industry_keywords().values() for w in words)
        self.max_chars = max_chars
        self.confidence = confidence or default_confidence_model()

    # -- public -----------------------------------------------------------
    def extract(self, text: str, publish_date: dt.date | None = None) -> Extraction:
        """Leads in ``text``; ``publish_date`` resolves relative dates. InputError only for non-str input."""
        if not isinstance(text, str):
            raise InputError(f"extract expects str text, got {type(text).__name__}")
        if publish_date is not None and not isinstance(publish_date, dt.date):
            raise InputError(f"publish_date must be a date, got {type(publish_date).__name__}")
        flags: list[str] = []
        if len(text) > self.max_chars:
            flags.append(f"truncated:{len(text)}>{self.max_chars}")
            text = text[: self.max_chars]
        norm = normalize(text)
        flags.extend(norm.flags)
        body = norm.text
        if not body or not _CJK_RE.search(body):
            if body:
                flags.append("no-chinese-text")
            return Extraction([], [], flags, body)
        clauses = split_clauses(body)
        doc_places = self.places.find(body)
        # 广州 in 广州视源…公司 says where the investor comes from (a fund's place, 台州…基金, is where it is set up)
        body_orgs = self.orgs.find(body)
        named = [(o.start, o.end) for o in body_orgs if not o.name.endswith("基金")]
        context = self.places.context_code([p for p in doc_places if not any(a <= p.start < b for a, b in named)]
                                           or doc_places)
        doc_places = self.places.refine(doc_places, context)
        if context:  # a short form of a place in another province (滨海 in 东莞滨海湾新区) is a false place
            doc_places = [p for p in doc_places
                          if p.code[:2] == context[:2] or p.text == p.name or len(p.text) > 2]
        stems = subject_stems(body_orgs, self._is_place)
        units = self._units(clauses, context, doc_places, body, stems)
        sections = [(p.start, p) for p in doc_places if is_heading(body, p)]
        units = [u if u.place or not sections else replace(u, place=section_place(sections, u.clause.start))
                 for u in units]
        return self._assemble(units, context, publish_date, flags, body, event_stage(clauses),
                              [o.name for o in body_orgs])

    def _is_place(self, name: str) -> bool:
        return bool(self.regions.candidates(name))

    def extract_batch(self, items: Iterable[tuple[str, dt.date | None]]) -> list[Extraction]:
        """``extract`` over (text, publish_date) pairs."""
        return [self.extract(text, date) for text, date in items]

    # -- units ------------------------------------------------------------
    def _units(self, clauses: list[Clause], context: str | None, doc_places: list[Place], body: str,
               stems: dict[str, str]) -> list[Unit]:
        units: list[Unit] = []
        header_stage: dict[int, str] = {}
        para_stage: dict[int, str] = {}
        last_org: Org | None = None
        for clause in split_enumerations(clauses):
            text = clause.text
            orgs = self.orgs.find(text)
            projects = [p for p in find_projects(text, self.segmenter.tokenizer.lcut)
                        if not any(o.start <= p.start and p.end <= o.end for o in orgs)
                        and not ((not orgs or lf.CATEGORY_NAME.fullmatch(lf.PROJECT_WORD.sub("", p.name)))
                                 and self._industry_only(p.name)) and not lf.host_park(text, p)]
            orgs = [o for o in orgs if not lf.name_opener(o, projects, body) and not lf.HOST_ROLE.match(text, o.end)]
            if projects and stems and not any(o.start < projects[0].start for o in orgs):
                subject = short_subject(text[: projects[0].start], stems, [])  # "远景能源将在射阳投资建设A、B和C"
                orgs = sorted([*orgs, subject], key=lambda o: o.start) if subject else orgs
            if lf.IPO.search(text) or lf.PUBLIC_WORKS.search(text) or lf.TRAINING.search(text):  # IPOs, public works, training
                continue
            if not orgs:  # "签约一个总投资30亿元的…项目": an unnamed project of an unnamed investor
                projects = [p for p in projects if not lf.INDEFINITE.search(text, 0, p.start)]
            enumerated = find_enumerated(text, generic=self._generic)
            listed = [i for i in enumerated
                      if not any(p.start < i.end and i.start < p.end for p in projects)]
            if detect_stage(text) == "其他":  # a list of named items is a lead only when the clause says what happened
                listed = []
            projects = sorted([*projects, *(Project(i.name, i.start, i.end) for i in listed
                                            if not i.name.endswith("基金"))], key=lambda p: p.start)
            places = local_places(doc_places, clause, orgs)
            if context:  # a place of another province inside a project name (吴江纺织产业园 in 芜湖) names, not locates
                places = [q for q in places if q.code[:2] == context[:2]
                          or not any(p.start <= q.start < p.end for p in projects)]
            all_money = find_money(text)
            money = [m for m in all_money if m.role in lf.INVEST_ROLES]
            if lf.POLICY.search(text) and (not money or len(money) < len(all_money)):
                continue
            stage = detect_stage(text)
            colon = max(text.find(":"), text.find("："))
            if colon > 0 and detect_stage(text[:colon]) != "其他":
                header_stage[clause.sentence] = detect_stage(text[:colon])
            if stage == "其他":
                stage = header_stage.get(clause.sentence, "其他")
            aggregate = bool(lf.AGGREGATE.search(text))
            if stage != "其他":
                para_stage.setdefault(clause.paragraph, stage)
            if not orgs and last_org is not None and lf.COREF.search(text):
                orgs = [Org(last_org.name, -1, -1, last_org.known)]
            if orgs and orgs[-1].start >= 0:
                last_org = orgs[-1]
            funds = [i for i in listed if i.name.endswith("基金")]
            for fund in funds:  # a place inside a fund's name (无锡太湖…基金) is part of the name
                place = self.places.most_specific(
                    [q for q in places if not any(f.start <= q.start < f.end for f in funds)])
                units.append(Unit(clause, None, Org(fund.name, fund.start, fund.end), None, place, stage, False))
            if not projects and not orgs:
                last = next((i for i in range(len(units) - 1, -1, -1) if units[i].project is not None), None)
                if last is not None and units[last].money is None and money and lf.ANAPHOR.search(text):
                    units[last] = replace(units[last], money=best_money(money))  # "该项目总投资9.8亿元"
                continue
            if not projects:
                projects = [f for o in orgs if (f := built_facility(text, o)) is not None][:1]
            brought = introduced_orgs(text, orgs, projects)
            if len(brought) > 1 or (brought and projects):  # 引进A、B、C等企业落户: each company is a lead (the guide)
                place = self.places.most_specific(places)
                units.extend(Unit(clause, None, o, None, place, "签约" if stage == "其他" else stage, False, listed=True)
                             for o in brought)
                if not projects:
                    continue
            if not projects:
                fund_only = bool(orgs) and orgs[0].name.endswith("基金")
                if (aggregate and not (fund_only and lf.SHARE_ONLY.fullmatch("".join(lf.AGGREGATE.findall(text))))
                        or (lf.MEETING.search(text) and not money)):
                    continue
                if lf.FRAMEWORK.search(text) and not money:
                    continue
                org, fund_project = lf.clause_investor(orgs, text)
                if org is None or (org.name.endswith("基金") and (
                        lf.FUND_PROMISE.search(text) or lf.POLICY_DOC.search(body) and not lf.FUND_DONE.search(text))):
                    continue
                org = consortium(text, orgs, org) or org  # "由A与B共同投资"
                units.append(
                    Unit(
                        clause,
                        fund_project,
                        org,
                        best_money(money),
                        self.places.most_specific(places),
                        stage,
                        aggregate,
                    )
                )
                continue
            if stage == "其他" and lf.PLANNED_START.search(text):
                stage = "签约" if para_stage.get(clause.paragraph) == "签约" else "其他"
            elif stage == "其他" and not lf.PLANNED.search(text) and not lf.WORKPLAN_PUSH.search(text):
                stage = para_stage.get(clause.paragraph, "其他")
            named = {i.name for i in listed}
            units.extend(
                listed_item(u) if u.project and (u.project.name in named or any(  # an item of a batch ("A和B等,总投资…")
                    i.start < u.project.end and u.project.start < i.end for i in enumerated)) else u
                for u in self._project_units(clause, projects, orgs, places, money, stage, aggregate)
            )
        return units

    def _industry_only(self, name: str) -> bool:
        """A "project" named only by industry words (集成电路项目, 风电和光伏项目) is an unnamed item, not a lead,
        unless an investor is named with it (parks such as 电动汽车产业园 are names)."""
        if not lf.PROJECT_WORD.search(name):
            return False
        core = lf.PROJECT_WORD.sub("", name)
        if lf.CATEGORY_NAME.fullmatch(core):  # 先进制造业项目, 产业链上下游项目, 超10亿元项目: a kind of project
            return True
        parts = [p for p in lf.JOIN_WORDS.split(lf.CATEGORY_WORDS.sub("", core)) if p]
        return bool(parts) and all(p in self._generic for p in parts)

    def _project_units(
        self,
        clause: Clause,
        projects: list[Project],
        orgs: list[Org],
        places: list[Place],
        money: list[Money],
        stage: str,
        aggregate: bool,
    ) -> list[Unit]:
        text = clause.text
        out: list[Unit] = []
        single = len(projects) == 1
        forward = [o for o in orgs if o.start >= 0 and lf.FORWARD.match(text, o.end)]
        bounds = [p.start for p in projects[1:]] + [len(text)]
        prev_end = 0
        # "总投资18亿元的B项目": an amount written as B's attribute is B's alone, and B starts a new item of a list
        owner = {id(m): p for m in money for p in projects if m.end <= p.start
                 and lf.ATTRIBUTIVE.fullmatch(text, m.end, p.start)}
        described = {id(p) for p in owner.values()}
        for proj, nxt in zip(projects, bounds, strict=True):
            broken = any(id(p) in described for p in projects[1 : projects.index(proj) + 1])
            piece_start = max(prev_end, comma_piece_start(text, proj.start))
            piece_end = min(nxt, comma_piece_end(text, proj.end))
            seg_start = 0 if single else piece_start
            seg_places = [p for p in places if p.end <= proj.start and lf.OF_NEXT.fullmatch(text, p.end, proj.start)] or [
                p for p in places if piece_start <= p.start < piece_end
                and not (nxt < len(text) and lf.OF_NEXT.fullmatch(text, p.end, nxt))] or [
                p for p in places if seg_start <= p.start < nxt
                and not (nxt < len(text) and lf.OF_NEXT.fullmatch(text, p.end, nxt))  # "…、惠城区的B项目": B's place
            ]
            in_piece = [m for m in money if proj.end <= m.start < piece_end]
            in_piece += [m for m in money if piece_start <= m.start < proj.start]
            after = [m for m in money if piece_end <= m.start < nxt and not lf.SHARED.search(text, piece_end, m.start)]
            in_piece = [m for m in in_piece if owner.get(id(m), proj) is proj]
            after = [m for m in after if owner.get(id(m), proj) is proj]
            pick = in_piece or after or ([] if not single or aggregate else money)
            amount = best_money(pick)
            own = [m for m in money if m.end <= proj.start and lf.ATTRIBUTIVE.fullmatch(text, m.end, proj.start)]
            if own:  # "总投资18亿元的鲁南…项目": the amount that describes this very project
                amount = own[-1]
            real = o_valid(orgs)
            seg_orgs = [o for o in orgs if seg_start <= o.start < nxt and not (o.start >= proj.end and o in forward)
                        ] if real else orgs
            if not seg_orgs and real and not broken:  # "X投资的A、B": X invests in every project it introduces
                seg_orgs = [o for o in forward if o.end <= proj.start and not lf.PIECE_END.search(text, o.end, proj.start)
                            ][-1:]
            if not seg_orgs and real and not broken:
                lead_in = [o for o in orgs if o.end <= projects[0].start
                           and (proj is projects[0] or text[o.end : projects[0].start] != "的")]  # X的A项目: A's only
                seg_orgs = lead_in[-1:] or ([orgs[0]] if single and orgs else [])
            org = seg_orgs[0] if seg_orgs else None
            if org is not None and real:
                org = consortium(text, orgs, org) or org
            opener = opening_orgs(text, orgs, proj)
            if opener is not None:  # "A学院、B学院繁昌项目": the full names that open the name are the investors
                org = opener
                proj = Project(text[opener.start : proj.end], opener.start, proj.end)
            elif proj.start > 0 and text[proj.start - 1] == "其" and lf.BARE_FACILITY.fullmatch(proj.name):
                near = [o for o in orgs if 0 <= o.end <= proj.start]  # "使其生产基地项目": its = the nearest investor
                if near:
                    org = near[-1]
                    proj = Project(near[-1].name + proj.name, proj.start, proj.end)
            seg_stage = detect_stage(text[piece_start:nxt])
            place = self.places.most_specific(seg_places) or (
                self.places.most_specific(places) if single else self._lead_in_place(text, places, projects[0]))
            if place is not None:
                pool = places if single else [q for q in places if seg_start <= q.start < nxt]
                deeper = [q for q in pool if q.rank > place.rank and self.regions.is_within(q.code, place.code)]
                place = self.places.most_specific(deeper) or place
            out.append(
                Unit(
                    clause,
                    proj,
                    org,
                    amount,
                    place,
                    seg_stage if seg_stage != "其他" else stage,
                    aggregate,
                    text[proj.start : nxt],
                )
            )
            prev_end = proj.end
        return out

    # -- assembly -----------------------------------------------------------
    def _assemble(
        self,
        units: list[Unit],
        context: str | None,
        publish_date: dt.date | None,
        flags: list[str],
        body: str,
        doc_stage: str = "其他",
        known: list[str] | None = None,
    ) -> Extraction:
        leads: list[Lead] = []
        dates: list[dt.date | None] = []
        seen: dict[str, int] = {}
        profiles: dict[str | None, str | None] = {}  # what the text says each investor does
        known = known or []
        doc_date = next(
            (d.date for d in find_dates(body[:5000], publish_date) if d.date and d.precision == "day"), None
        )
        silent = [unit.stage == "其他" and unit.money is None
                  and not lf.launched_fund(unit.project, unit.org, unit.clause.text)
                  and not (unit.project is not None and lf.WORKPLAN.search(unit.clause.text)) for unit in units]
        # projects named in full where nothing happens to them (调研组走进A公司B项目…), for a later short mention
        named_only = list({u.project.name: u for u, quiet in zip(units, silent, strict=True)
                           if quiet and u.project is not None}.values())  # one per name: repeated text adds none
        for unit, quiet in zip(units, silent, strict=True):
            if quiet:
                continue
            if unit.project is not None and unit.org is None:  # "在宣泰精密机械项目车间…": the full name given before
                unit = fuller_mention(unit, named_only)
            if unit.project is not None and unit.org is None:  # 万向电驱动总成项目 after 万向集团公司
                owner = short_owner(unit.project, unit.clause.text, known, self._is_place)
                unit = replace(unit, org=Org(owner, -1, -1)) if owner else unit
            if (unit.stage == "其他" and not lf.PLANNED.search(unit.clause.text)
                    and not (unit.project is not None and lf.PLANNED_START.search(unit.clause.text))
                    and not (unit.project is not None and lf.WORKPLAN_PUSH.search(unit.clause.text))  # a plan's list
                    and (unit.project is not None or not unit.org or not unit.org.name.endswith("基金"))
                    and not (unit.project is not None and unit.project.name.endswith("基金"))):  # a fund set up: 其他
                unit = replace(unit, stage=doc_stage)  # a lead of a signing report without its own stage word
            project = re.sub(r"[“”\"]", "", unit.project.name) if unit.project else None
            location, code = lead_place(self.regions, unit, context, body)
            amount = unit.money
            if amount is not None and code and code.startswith(lf.TAIWAN) and amount.currency == "CNY" and (
                    "人民币" not in amount.text):
                amount = replace(amount, currency="TWD")  # 亿元 in a Taiwan report is New Taiwan dollars (the guide)
            evidence = unit.clause.text
            org = unit.org.name if unit.org else None
            if org not in profiles:
                profiles[org] = investor_profile(org, body)
            industry = classify_lead(self.classify_industry, project, org, None if unit.listed else evidence,
                                     context=unit.context,
                                     profile=profiles[org])
            lead = Lead(
                org=fullest_org(unit.org.name, body, known) if unit.org else None,
                project=project,
                location=location,
                region_code=code,
                amount_cny=amount.amount_cny if amount else None,
                amount=amount.value if amount else None,
                currency=amount.currency if amount else None,
                industry=industry,
                stage=unit.stage,  # type: ignore[arg-type]
                evidence=evidence,
                confidence=0.5,  # set by the calibrated model once the leads are assembled
            )
            key = re.sub(r"项目$", "", project) if project else f"org:{lead.org}"
            same = same_mention(seen, leads, lead, key, self._same.similarity)
            if same is not None:
                leads[seen[same]] = merge_leads(leads[seen[same]], lead)
                continue
            seen[key] = len(leads)
            leads.append(lead)
            dates.append(first_date(evidence, publish_date) or doc_date)
        keep = fold_investor_mentions(leads)
        return Extraction(self.confidence.score([leads[i] for i in keep]), [dates[i] for i in keep], flags, body)

    def _lead_in_place(self, text: str, places: list[Place], first: Project) -> Place | None:
        """"与衡水市桃城区签约,将建设A、B和C": places in the pieces before a list, on one chain, locate all of it."""
        before = [p for p in places if p.end <= comma_piece_start(text, first.start)]  # not "在X区投资的A、B": A's
        deepest = self.places.most_specific(before)
        if deepest is None or not all(self.regions.is_within(deepest.code, p.code) for p in before):
            return None
        return deepest
