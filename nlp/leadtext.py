"""Lead text helpers: clause pieces, section headings, local places, investor names and merging of mentions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from core.schemas import Lead
from nlp.entities.location import Place
from nlp.entities.money import Money
from nlp.entities.org import Org
from nlp.entities.project import Project
from nlp.leadfilters import ANAPHOR
from nlp.sentences import Clause

_ENUM = re.compile(r"[,，;；]\s*(?=(?:[二三四五六七八九十]是|其[二三四五六七八九十])[,，]?)")


def split_enumerations(clauses: list[Clause]) -> list[Clause]:
    """Cut "一是X,二是Y" / "其一…其二…" enumerations so each item is its own clause (one event each)."""
    out: list[Clause] = []
    for clause in clauses:
        cuts = [m.end() for m in _ENUM.finditer(clause.text)]
        if not cuts:
            out.append(clause)
            continue
        bounds = [0, *cuts, len(clause.text)]
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            if clause.text[lo:hi].strip():
                out.append(replace(clause, text=clause.text[lo:hi], start=clause.start + lo))
    return out


_COMPANY_TAIL = r"(?:有限公司|有限责任公司|股份公司|株式会社)"
_LEGAL_TAIL = r"(?:集团(?:股份)?有限公司|股份有限公司|有限责任公司|有限公司|控股集团|集团)"


def fullest_org(name: str, body: str, known: Sequence[str] = ()) -> str:
    """The most specific form of an investor name the text gives (碧桂园 → 碧桂园集团, 江西电子 → 江西省电子集团,
    海螺集团 → 安徽海螺集团有限责任公司 when ``known``, the organisations found in the text, has it)."""
    if len(name) < 2:
        return name
    if not re.search(_COMPANY_TAIL + "$", name):
        longer = [o for o in known if len(o) > len(name) and re.search(_COMPANY_TAIL + "$", o)
                  and (name[:2] in o or name[0] == o[0]) and abbreviates(name, o)]  # 中铝集团 → 中国铝业集团有限公司
        if longer:
            return max(longer, key=len)
    if re.search(_LEGAL_TAIL + "$", name):
        return name
    forms = re.findall(re.escape(name) + _LEGAL_TAIL, body)
    if not forms and len(name) >= 4:  # 江西电子 → 江西省电子集团: a short name drops the province's or city's 省/市
        forms = re.findall(re.escape(name[:2]) + "[省市]" + re.escape(name[2:]) + _LEGAL_TAIL, body)
    return max(forms, key=len) if forms else name


_PROFILE_AFTER = re.compile(r"[,，]?(?:是|为|系)(?:一家|国内|全国|全球|行业|国际|我国)|[,，]?(?:主营|主要从事|专注于?|致力于|主要生产)")
_PROFILE_BEFORE = re.compile(r"(?:主营|主要从事|专注于?|主要生产|主导产品为)([^，,。；;！？\n]{1,30})的$")
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def investor_profile(org: str | None, body: str) -> str | None:
    """What the passage says the investor does, for its industry when the project's name says nothing (the guide):
    "X有限公司是国内领先的光伏支架…企业" or "主营光伏支架的X公司". None when the text has no such words."""
    if not org:
        return None
    for name in org.split("、"):
        at = body.find(name)
        while at >= 0:
            end = at + len(name)
            if _PROFILE_AFTER.match(body, end):
                stop = _SENTENCE_END.search(body, end)
                return body[end : stop.start() if stop else len(body)]
            before = _PROFILE_BEFORE.search(body[max(0, at - 40) : at])
            if before:
                return before.group(1)
            at = body.find(name, end)
    return None


_SUBJECT_AFTER = re.compile(r"(?:将|拟|计划|已|正|还|也|则)?(?:在|于|投资|出资|投建|建设|新建|签约|落户)")


def subject_stems(orgs: Sequence[Org], is_place: Callable[[str], bool]) -> dict[str, str]:
    """Short forms of the passage's company names (远景能源有限公司 → 远景能源, 宁波均胜电子股份有限公司 → 均胜电子),
    each with its full name, for sentences that go on with the short form as subject."""
    stems: dict[str, str] = {}
    for org in orgs:
        if org.name.endswith("基金") or not re.search(_LEGAL_TAIL + "$", org.name):
            continue
        stem = re.sub(_LEGAL_TAIL + "$", "", org.name)
        forms = [stem, *(stem[k:] for k in (2, 3) if is_place(stem[:k]))]
        for form in forms:
            if len(form) >= 3 and not is_place(form):
                stems.setdefault(form, org.name)
    return stems


def short_subject(text: str, stems: dict[str, str], taken: Sequence[tuple[int, int]]) -> Org | None:
    """The passage's company written short as the subject of ``text`` ("远景能源将在射阳投资建设…"), outside ``taken``
    spans (project names); as an Org with the full name."""
    for stem, full in stems.items():
        at = text.find(stem)
        while at >= 0:
            if _SUBJECT_AFTER.match(text, at + len(stem)) and not any(a <= at < b for a, b in taken):
                return Org(full, at, at + len(stem))
            at = text.find(stem, at + 1)
    return None


# a project name's opening that names a field or a size, not an investor (新能源…, 年产…, 高端…)
_FIELD_HEAD = re.compile(r"年产|新能源|新材料|新型|高端|智能|绿色|数字|生物|医药|医疗|电子|光伏|储能|半导体|集成|汽车|现代|先进|精密|"
                         r"高效|大型|重点|首个|一期|二期|总部|国际|中国|全国|华东|华南|华北|西部|东部|北方|南方|[^\u4e00-\u9fffA-Za-z]")
_OWNER_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,8})(?:的|旗下的?)$")


def short_owner(project: Project, clause: str, known: Sequence[str], is_place: Callable[[str], bool]) -> str | None:
    """The full name of an investor the passage names in full and this project names short: in front of the name
    (万向电驱动总成项目 after 万向集团公司) or before 的 (华润医药的…项目 after 华润医药控股有限公司). None unless exactly
    one full name fits."""
    before = _OWNER_BEFORE.search(clause, 0, project.start)
    heads = [before.group(1)] if before and before.end() == project.start else []
    heads += [project.name[:k] for k in (4, 3, 2) if len(project.name) >= k + 4]
    for head in heads:
        if is_place(head) or _FIELD_HEAD.match(head):
            continue
        owners = set()
        for full in known:
            stem = re.sub(_LEGAL_TAIL + "$", "", full)
            if full.endswith("基金") or stem == full and not full.endswith("公司"):
                continue
            stem = re.sub(r"公司$", "", stem)
            opened = [stem, *(stem[k:] for k in (2, 3) if is_place(stem[:k]))]
            if any(form.startswith(head) and len(form) > len(head) for form in opened):
                owners.add(full)
        if len(owners) == 1:
            return owners.pop()
    return None


def is_heading(body: str, place: Place) -> bool:
    """A place opening a line and followed by a colon heads a section ("嵊州市:如何优化营商环境…")."""
    before = body[: place.start].rstrip(" \t")
    return (not before or before.endswith("\n")) and body[place.end : place.end + 1] in (":", "：")


def section_place(sections: list[tuple[int, Place]], offset: int) -> Place | None:
    """The place heading the section that holds ``offset`` (None before the first heading)."""
    found = [p for start, p in sections if start <= offset]
    return found[-1] if found else None


def local_places(doc_places: list[Place], clause: Clause, orgs: list[Org]) -> list[Place]:
    """The document's places that fall in ``clause`` (offsets made clause-relative), minus those inside orgs."""
    lo, hi = clause.start, clause.start + len(clause.text)
    out = []
    for place in doc_places:
        if lo <= place.start < hi:
            start = place.start - lo
            if not any(o.start <= start < o.end for o in orgs):
                out.append(replace(place, start=start, end=place.end - lo))
    return out


def o_valid(orgs: list[Org]) -> bool:
    """True when the orgs carry real spans (not a coreference stand-in)."""
    return all(o.start >= 0 for o in orgs)


def comma_piece_start(text: str, pos: int) -> int:
    """Start of the comma-delimited piece of ``text`` that holds ``pos``."""
    cut = max(text.rfind(c, 0, pos) for c in "，,:：")
    return cut + 1 if cut >= 0 else 0


def comma_piece_end(text: str, pos: int) -> int:
    """End of the comma-delimited piece of ``text`` that holds ``pos``."""
    ends = [i for i in (text.find(c, pos) for c in "，,:：") if i >= 0]
    return min(ends) if ends else len(text)


def best_money(candidates: list[Money]) -> Money | None:
    if not candidates:
        return None
    for role in ("investment", "other", "fund", "first_phase"):
        for m in candidates:
            if m.role == role:
                return m
    return candidates[0]


_STAGE_RANK = {"其他": 0, "在谈": 1, "签约": 2, "开工": 3, "投产": 4}


def merge_leads(first: Lead, second: Lead) -> Lead:
    """Fill the first lead's gaps from a later mention of the same project; keep the most advanced stage."""
    data = first.model_dump()
    for key, value in second.model_dump().items():
        if data.get(key) in (None, "其他") and value not in (None, "其他"):
            data[key] = value
    if _STAGE_RANK[second.stage] > _STAGE_RANK[first.stage]:
        data["stage"] = second.stage
    data["confidence"] = max(first.confidence, second.confidence)
    return Lead(**data)


def abbreviates(short: str, full: str) -> bool:
    """Whether ``short`` is a shorter name of ``full``: its characters in order (兴发集团 → 湖北兴发化工集团股份有限公司)."""
    if len(short) >= len(full):
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def fold_investor_mentions(leads: list[Lead]) -> list[int]:
    """Fold investor-only leads into the project they speak of (in place); the indexes of the leads that remain.

    An investor-only mention of a project's investor, a follow-up sentence (该项目由X投资…) and a company
    introduced before its product's project (引进X公司,由其生产的…) all add to that project."""
    keep = []
    for i, lead in enumerate(leads):  # an investor-only mention of a project's investor adds to that project
        owner = None if lead.project or not lead.org else next(
            (j for j, o in enumerate(leads) if o.project and (o.org == lead.org or o.project.startswith(lead.org))),
            None)
        if owner is None and lead.project and not lead.org and i > 0 and ANAPHOR.search(lead.evidence):
            # "该项目分两期实施,一期规划建设X项目,投资N亿元": a phase of the project named just before
            owner = next((j for j in range(i - 1, -1, -1) if leads[j].project and j in keep), None)
            if owner is not None and leads[owner].evidence == lead.evidence:
                owner = None  # both named in one sentence: two projects
        if owner is None and lead.org and not lead.project and ANAPHOR.search(lead.evidence):
            # "该项目由X投资建设,总投资N亿元" speaks of the project named just before; "该基金由X发起" of the fund
            fund = "该基金" in lead.evidence[:16]
            owner = next((j for j in range(i - 1, -1, -1) if j in keep and (
                (leads[j].org or "").endswith("基金") and not leads[j].project if fund else leads[j].project)), None)
            if owner is not None and fund:
                merged = merge_leads(leads[owner], lead.model_copy(update={"org": leads[owner].org,
                                                                          "evidence": leads[owner].evidence}))
                leads[owner] = merged
                continue
            owner_org = leads[owner].org if owner is not None else None
            if owner is not None and (owner_org is None or abbreviates(owner_org, lead.org)):
                leads[owner] = leads[owner].model_copy(update={"org": lead.org})
        if owner is None and lead.org and not lead.project and not lead.org.endswith("基金"):
            # "引进X公司,由其生产的太阳能发电玻璃…" and, later, an investor-less 太阳能发电玻璃项目: one project
            owner = next((j for j, o in enumerate(leads) if o.project and not o.org
                          and len(core := re.sub(r"项目$", "", o.project)) >= 4 and core in lead.evidence), None)
        if owner is None:
            keep.append(i)
            continue
        merged = merge_leads(leads[owner], lead.model_copy(update={"evidence": leads[owner].evidence}))
        leads[owner] = merged.model_copy(update={"org": leads[owner].org or lead.org})
    return keep


def same_mention(
    seen: dict[str, int], leads: list[Lead], lead: Lead, key: str, similarity: Callable[[Lead, Lead], float]
) -> str | None:
    """The key of an earlier lead that ``lead`` mentions again (same name, one name ending the other, a resolver
    match, or a short name of the earlier lead's investor: "长风机器人项目" after 重庆长风机器人科技有限公司), else None."""
    project = lead.project
    for k in seen:
        if k == key or (min(len(k), len(key)) >= 4 and (k.endswith(key) or key.endswith(k))):
            return k
    for k in seen:
        if project and leads[seen[k]].project and similarity(lead, leads[seen[k]]) > 0:
            return k
    for k in seen:
        org = leads[seen[k]].org
        if project and lead.org in (None, org) and len(key) >= 4 and org and key in org:
            return k
    return None
