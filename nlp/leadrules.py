"""Lead rules: the stage a report is about, investors named together, and full names that open a project name."""

from __future__ import annotations

import re

from nlp.entities.org import Org
from nlp.entities.project import Project
from nlp.entities.stage import detect_stage, has_joint_stage
from nlp.sentences import Clause

_JOINT_SEP = re.compile(r"\s*(?:、|与|和|及|同|以及|[,，])\s*")
_JOINT_ACT = re.compile(r"\s*(?:组成的)?(?:联合体|共同|联合|合资|携手|一起|合作建设|合作投资)")
_SIGN_AFTER = re.compile(r"\s*(?:签约|签署|签订|洽谈|共建|三方|合作)")
_FULL_NAME = re.compile(r"(?:集团|公司|学院|大学|研究院|研究所)$")


# "X将在桃园市观音区新建5G通信基板厂", "X则在台南市扩建探针卡产线": the facility an investor builds somewhere.
_FACILITY = re.compile(
    r"(?:将|计划|拟|则|也|还)*(?:投资[^，,。；;]{0,12}[，,]\s*)?(?:在|于)(?P<place>[^，,。；;]{2,16}?)"
    r"(?:新建|兴建|扩建|扩充|建设|设置|建置|设立|投建)(?P<facility>[^，,。；;]{2,20}?(?:厂|产线|厂房|生产线|工厂))"
    r"(?=[，,。；;]|$)"
)


def built_facility(text: str, org: Org) -> Project | None:
    """The facility the investor named just before is said to build (a project without a name of its own)."""
    if org.start < 0:
        return None
    m = _FACILITY.match(text, org.end)
    if m is None:
        return None
    return Project(m.group("facility"), m.start("facility"), m.end("facility"))


# a district written before the full name that opens a project name (湾沚区安徽翼航…公司年产…项目) locates it
_PLACE_GAP = re.compile(r"[\u4e00-\u9fff]{1,6}?[市区县旗]")


def opening_orgs(text: str, orgs: list[Org], proj: Project) -> Org | None:
    """Full names with an organisation suffix that open a project name (奇瑞集团埃科泰克…项目; A学院、B学院繁昌项目),
    with co-investors listed right before it, as one investor; None when the name does not open with one."""
    first = next((o for o in orgs if proj.start <= o.start and o.end < proj.end and _FULL_NAME.search(o.name)
                  and (o.start == proj.start or _PLACE_GAP.fullmatch(text, proj.start, o.start))), None)
    if first is None:
        return None
    group = [first]
    for org in sorted((o for o in orgs if 0 <= o.end <= first.start), key=lambda o: -o.end):
        if _JOINT_SEP.fullmatch(text[org.end : group[0].start]) and _FULL_NAME.search(org.name):
            group.insert(0, org)
        else:
            break
    if len(group) == 1:
        return first
    return Org("、".join(o.name for o in group), group[0].start, first.end, False)


def consortium(text: str, orgs: list[Org], first: Org) -> Org | None:
    """Investors named together ("A与B联合体", "A、B共同投资") as one investor "A、B" (the guide joins with 、)."""
    group = [first]
    for org in orgs:
        if org.start > group[-1].end and _JOINT_SEP.fullmatch(text[group[-1].end : org.start]):
            group.append(org)
    together = _JOINT_ACT.match(text, group[-1].end) or (  # "与A、B签约": the government signs with both
        text[: group[0].start].endswith(("与", "同", "和"))
        and (all(_FULL_NAME.search(o.name) for o in group) or _SIGN_AFTER.match(text, group[-1].end)))
    if len(group) < 2 or not together:
        return None
    return Org("、".join(o.name for o in group), group[0].start, group[-1].end, False)


def event_stage(clauses: list[Clause]) -> str:
    """The stage a report is about: the stage most of its clauses state (ties: the earliest), else 其他.
    Clauses about batches count too (集中签约项目20个 says the report covers a signing); a report of a joint
    event (集中签约、开工) has none."""
    counts: dict[str, int] = {}
    for clause in clauses:
        if has_joint_stage(clause.text):  # 集中签约、开工: the report does not say which stage applies
            return "其他"
        stage = detect_stage(clause.text)
        if stage != "其他":
            counts[stage] = counts.get(stage, 0) + 1
    return max(counts, key=lambda s: counts[s]) if counts else "其他"


# companies said to have been brought in (引进A公司、B公司等12家企业落户…, 落户企业包括A、B): each one is a lead
_INTRODUCED = re.compile(r"引进|引入|招引|落户|入驻|(?:签约|落户|入驻|引进)?企业(?:为|有|包括)")
_LIST_BEFORE = re.compile(r"(?:[、，,：:和及]|以及|包括|为|有|引进|引入|招引)$")


def introduced_orgs(text: str, orgs: list[Org], projects: list[Project]) -> list[Org]:
    """The companies a clause says were brought in, listed by full name, that open no project of their own."""
    cue = _INTRODUCED.search(text)
    if cue is None:
        return []
    out = []
    for org in orgs:
        if (org.start < cue.start() or org.name.endswith("基金") or not _FULL_NAME.search(org.name)
                or not _LIST_BEFORE.search(text[max(0, org.start - 2) : org.start])):
            continue
        if any(p.start <= org.start < p.end or p.start == org.end for p in projects):
            continue  # 引进A公司B项目: A is B's investor
        out.append(org)
    return out
