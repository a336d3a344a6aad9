"""Resolve: decide whether a freshly mined lead is a project already known from another document (fingerprint + fuzzy)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from core.errors import InputError
from core.schemas import region_prefix as strict_region_prefix

# Stage order for advancing a lead (其他 says nothing about progress, so it ranks lowest).
STAGE_RANK: dict[str, int] = {"其他": 0, "在谈": 1, "签约": 2, "开工": 3, "投产": 4}

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》()（）\[\]【】·•・,，、.。:：;；\-—–_/]+")
_LEGAL = re.compile(
    r"(?:股份有限公司|有限责任公司|有限公司|集团股份|控股集团|集团公司|集团|控股|股份|公司|总公司|分公司|子公司)$"
)
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|广西|海南|"
    "重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆|香港|澳门|台湾"
)
_LEADING_PLACE = re.compile(rf"^(?:中国|(?:{_PROVINCES})(?:省|市|自治区|特别行政区)?|[\u4e00-\u9fff]{{2,3}}(?:市|县|区))")
_PROJECT_TAIL = re.compile(r"(?:建设项目|项目|工程)$")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PHASE = re.compile(r"[一二三四五六七八九十\d]+期")


class LeadLike(Protocol):
    """What resolution reads from a lead (``core.schemas.Lead`` and ``LeadRecord`` both fit)."""

    org: str | None
    project: str | None
    region_code: str | None
    amount_cny: float | None
    amount: float | None


def _plain(text: str | None) -> str:
    if not text:
        return ""
    return _PUNCT.sub("", unicodedata.normalize("NFKC", text)).lower()


def org_core(name: str | None) -> str:
    """Comparable investor name: no punctuation, leading 中国/place name or legal suffixes (安徽龙源风力发电有限公司 → 龙源风力发电)."""
    text = _plain(name)
    for _ in range(3):
        stripped = _LEGAL.sub("", text)
        if stripped == text:
            break
        text = stripped
    short = _LEADING_PLACE.sub("", text)
    return short if len(short) >= 2 else text


def project_core(name: str | None, org: str | None = None) -> str:
    """Comparable project name: no punctuation, trailing 项目/工程, or a leading investor/place name."""
    text = _plain(name)
    if not text:
        return ""
    text = _PROJECT_TAIL.sub("", text) or text
    org_text = _plain(org)
    for prefix in (org_text, org_core(org)):
        if prefix and text.startswith(prefix) and len(text) - len(prefix) >= 2:
            text = text[len(prefix) :]
            break
    short = _LEADING_PLACE.sub("", text)
    return short if len(short) >= 2 else text


def region_prefix(code: str | None) -> str:
    """core.schemas.region_prefix, lenient: '' for a missing or malformed code (as for national)."""
    try:
        return strict_region_prefix(code) if code else ""
    except InputError:
        return ""


def fingerprint(lead: LeadLike) -> str:
    """``province|org core|project core`` — the stored key of a project across documents (≤ 200 chars)."""
    province = region_prefix(lead.region_code)[:2]
    return f"{province}|{org_core(lead.org)}|{project_core(lead.project, lead.org)}"[:200]


def name_similarity(a: str, b: str) -> float:
    """``2·LCS(a, b) / (|a| + |b|)`` over characters (1.0 for equal names, 0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0]
        for j, cb in enumerate(b, 1):
            cur.append(prev[j - 1] + 1 if ca == cb else max(prev[j], cur[j - 1]))
        prev = cur
    return 2 * prev[-1] / (len(a) + len(b))


def regions_compatible(a: str | None, b: str | None) -> bool:
    """True when either is unknown or one region lies within the other (3401 ⊂ 34; 3401 vs 3402 is not)."""
    pa, pb = region_prefix(a), region_prefix(b)
    if not pa or not pb:
        return True
    return pa.startswith(pb) or pb.startswith(pa)


def _amounts_compatible(a: LeadLike, b: LeadLike) -> bool:
    x = a.amount if a.amount is not None else a.amount_cny
    y = b.amount if b.amount is not None else b.amount_cny
    if x is None or y is None or x <= 0 or y <= 0:
        return True
    return max(x, y) / min(x, y) <= 2.5  # revised totals move a little; a different project usually much more


@dataclass(frozen=True)
class LeadResolver:
    """``resolver.match(lead, candidates) -> index | None``: the candidate that is the same project, if any.

    Same project means: compatible regions (one within the other), compatible amounts (within a factor 2.5),
    and either both project names similar (``project_threshold`` on the cores, or one core containing the
    other with ≥ 4 characters) with investors not contradicting each other, or — for leads without a
    project (funds, investor-only leads) — both without a project and investors with the same core.
    Phase numbers and other figures, when both names have them, must agree (一期 ≠ 二期, 15万千瓦 ≠ 20万千瓦).
    """

    project_threshold: float = 0.8
    org_threshold: float = 0.5
    containment: bool = True  # a core inside the other (≥ 4 chars) counts as the same project

    def similarity(self, a: LeadLike, b: LeadLike) -> float:
        """0 when they cannot be the same project, else the name similarity that supports it."""
        if not regions_compatible(a.region_code, b.region_code) or not _amounts_compatible(a, b):
            return 0.0
        oa, ob = org_core(a.org), org_core(b.org)
        orgs_agree = not oa or not ob or oa in ob or ob in oa or name_similarity(oa, ob) >= self.org_threshold
        pa, pb = project_core(a.project, a.org), project_core(b.project, b.org)
        if pa and pb:
            phases_a, phases_b = _PHASE.findall(pa), _PHASE.findall(pb)
            numbers_a, numbers_b = _NUMBER.findall(pa), _NUMBER.findall(pb)
            if (phases_a and phases_b and phases_a != phases_b) or not orgs_agree:
                return 0.0
            if numbers_a and numbers_b and numbers_a != numbers_b:  # 15万千瓦风电场 ≠ 20万千瓦风电场
                return 0.0
            sim = name_similarity(pa, pb)
            if self.containment and min(len(pa), len(pb)) >= 4 and (pa in pb or pb in pa):
                sim = max(sim, self.project_threshold)
            return sim if sim >= self.project_threshold else 0.0
        if pa or pb or not oa or not ob:
            return 0.0
        return 1.0 if oa == ob else 0.0

    def match(self, lead: LeadLike, candidates: Sequence[LeadLike]) -> int | None:
        """Index of the most similar candidate that is the same project, or None."""
        best, best_sim = None, 0.0
        for i, cand in enumerate(candidates):
            sim = self.similarity(lead, cand)
            if sim > best_sim:
                best, best_sim = i, sim
        return best
