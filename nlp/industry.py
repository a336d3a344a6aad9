"""Industry: classify a lead into an Anhui-taxonomy industry — keyword hits, fund targets, embeddings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from nlp.resources import NEUTRAL, industry_keywords, keyword_overrides, neutral_keywords, other_keywords
from nlp.trie import trie_pattern

OTHER = "其他"
_NAME_JOIN = re.compile(r"及|暨|以及")  # joins two parts of one project name
# How something is made, not what: these words decide only when nothing else in the text names an industry.
_MANNER = frozenset({"智能制造", "智能工厂", "精密制造", "先进制造", "数字化工厂", "智能化改造", "自动化", "装备", "装备制造", "设备", "制造",
                     "智能装备"})
# Data and compute centres are 新一代信息技术 whatever model or "smart" word the name adds; only 人工智能 itself
# makes them 人工智能 (the guide).
_COMPUTE_CENTRE = re.compile(r"数据中心|算力中心|智算中心|云计算中心")
_IT, _AI = "新一代信息技术", "人工智能"
_AI_NAMED = re.compile(r"人工智能|(?<![A-Za-z])AI(?![A-Za-z])")
# Field words that name a whole field, not a product (新能源 in 汽电新能源电驱动系统): they count one character, so
# any product word outweighs them, and they decide alone.
_GENERIC = frozenset({"新能源", "能源", "清洁能源", "绿色能源", "新材料", "材料", "光电", "电子科技", "电子信息", "信息技术",
                      "节能环保", "环保", "节能", "生物技术", "生物科技", "大健康", "健康产业", "电气", "智能"})
# Short latin keywords (AI, AR, VR, 5G) only count as whole tokens.
_LATIN = re.compile(r"^[A-Za-z0-9]+$")


# A fund's investment targets follow these words ("主要投向大数据、工业互联网…"): the first one named is its industry.
_FUND_TARGET = re.compile(r"投向|投资于|重点投资|主要投资|聚焦|专注于?|围绕|助力|支持|将为|用于")


def _glued(text: str, start: int, end: int) -> bool:
    """Whether a latin keyword at text[start:end] is part of a longer latin word (AI in MAIN)."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return bool((before and before.isascii() and before.isalnum()) or (after and after.isascii() and after.isalnum()))


class SemanticScorer(Protocol):
    """Embedding similarity of ``text`` to each industry: ``scorer(text) -> {industry: score}`` (higher is closer)."""

    def __call__(self, text: str) -> dict[str, float]: ...


class KeywordIndustryClassifier:
    """``classifier(text) -> industry name | 其他``; the keyword with most hits wins (longer keywords weigh more).

    ``others`` are words of fields outside the taxonomy (物流, 酒店 …): a hit claims its span, so 酒店 does not
    count as 酒, and text whose only hits are such words scores as 其他.
    """

    def __init__(
        self, keywords: dict[str, tuple[str, ...]] | None = None, others: tuple[str, ...] | None = None
    ) -> None:
        self.keywords = keywords or industry_keywords()
        self._owner: dict[str, str] = {}
        for industry, words in self.keywords.items():
            for word in words:
                self._owner.setdefault(word, industry)
        for word in other_keywords() if others is None else others:
            self._owner.setdefault(word, OTHER)
        if keywords is None:  # the guide's own choices where the taxonomy files a word elsewhere, and accidental words
            self._owner.update(keyword_overrides())
            self._owner.update(dict.fromkeys(neutral_keywords(), NEUTRAL))
        self._pattern = re.compile(trie_pattern(self._owner))

    def scores(self, text: str, *, keep_other: bool = False) -> Counter[str]:
        """Keyword weight per industry found in ``text`` (the trie takes the longest keyword at each place)."""
        scores: Counter[str] = Counter()
        manner: Counter[str] = Counter()
        for m in self._pattern.finditer(text or ""):
            word = m.group(0)
            if _LATIN.match(word) and _glued(text, m.start(), m.end()):
                continue
            if self._owner[word] == NEUTRAL:
                continue
            scores[self._owner[word]] += 1 if word in _GENERIC else len(word)
            if word in _MANNER:
                manner[self._owner[word]] += len(word)
        for industry, weight in manner.items():  # 乳制品智能制造项目: what is made decides, not how
            if scores[industry] == weight and len(scores) > 1:
                del scores[industry]
        if len(scores) > 1 and not keep_other:  # in free text a taxonomy keyword outweighs out-of-taxonomy words
            scores.pop(OTHER, None)
        return scores

    def first(self, text: str) -> str | None:
        """The industry of the leftmost keyword in ``text`` (a list of fields: the first one named decides, and
        one outside the taxonomy, 冰雪旅游, gives 其他)."""
        for m in self._pattern.finditer(text or ""):
            owner = self._owner[m.group(0)]
            if owner != NEUTRAL and not (_LATIN.match(m.group(0)) and _glued(text, m.start(), m.end())):
                return owner
        return None

    def __call__(self, text: str) -> str:
        scores = self.scores(text)
        if not scores:
            return OTHER
        return scores.most_common(1)[0][0]


class LeadIndustryClassifier:
    """Industry of one lead from its parts, following the gold guide (evaluation/gold/GUIDE_leads.md).

    0. a fund (investor name ending in 基金, no project) whose clause lists its targets (主要投向A、B…) takes
       the first target named;
    1. keyword hits in the project name, then in the investor name (longer keywords weigh more; ties go to
       the industry named first); an out-of-taxonomy word (物流, 供应链, 纺织, 酒店 …) in the name gives 其他;
    2. only when ``companies`` is given (e.g. ``nlp.resources.org_industries()``): a well-known company named in
       the project or investor. Off by default: the guide gives 其他 when the text has no cue beyond a company;
    3. a project without a cue in its name: keyword hits in its own stretch of the clause (``context``, "X项目,
       主要生产锂电池"), else 其他 — the rest of the clause often describes other projects;
    4. a lead without a project name: keyword hits in the evidence clause, else the embedding scorer on the
       clause when its best score reaches ``clause_threshold``; otherwise 其他.
    """

    def __init__(
        self,
        keywords: KeywordIndustryClassifier | None = None,
        semantic: SemanticScorer | Callable[[str], dict[str, float]] | None = None,
        *,
        companies: dict[str, str] | None = None,
        clause_threshold: float = 0.55,
    ) -> None:
        self.keywords = keywords or KeywordIndustryClassifier()
        self.semantic = semantic
        self.companies = companies or {}
        self._company = re.compile(trie_pattern(self.companies)) if self.companies else None
        self.clause_threshold = clause_threshold

    def __call__(self, text: str) -> str:
        """Classify free text (a query or a clause): keyword hits, else the embedding scorer."""
        return self.classify(project=None, org=None, evidence=text)

    def classify(
        self, *, project: str | None, org: str | None, evidence: str | None, context: str | None = None,
        profile: str | None = None,
    ) -> str:
        if org and not project and org.endswith("基金") and evidence:
            target = _FUND_TARGET.search(evidence, evidence.find(org) + len(org) if org in evidence else 0)
            found = self.keywords.first(evidence[target.end() :]) if target else None
            if found:
                return found
        found = self._by_keywords(project, name=True)  # 纺织 anywhere in the name, the investor's part too: 其他
        own = _without_investor(project, org)
        if own != project and found not in (None, OTHER):
            found = self._by_keywords(own, name=True)
        if found or (found := self._by_keywords(org, name=True)):
            return found
        for part in (project, org):  # a well-known company only when its name carries no keyword (比亚迪新能源: 新能源)
            if part and self._company is not None:
                m = self._company.search(part)
                if m:
                    return self.companies[m.group(0)]
        if project and context:  # the project's own description ("X项目…主要生产锂电池"): keywords only
            found = self._by_keywords(context)
            if found:
                return found
        if project or (org and org.endswith("基金")):  # a fund's own name states its field
            return self._by_keywords(profile) or OTHER  # what the text says the investor makes (X是…光伏支架企业)
        found = self._by_keywords(evidence) or self._by_keywords(profile)
        if found or not evidence:
            return found or OTHER
        if self.semantic is not None:
            sims = self.semantic(evidence)
            if sims:
                name, score = max(sims.items(), key=lambda kv: kv[1])
                if score >= self.clause_threshold:
                    return name
        return OTHER

    def _by_keywords(self, text: str | None, *, name: bool = False) -> str | None:
        """Best-scoring industry of ``text`` (其他 when only out-of-taxonomy words hit), None without any hit.
        In a ``name`` an out-of-taxonomy word decides: 海洋产品供应链产业园 is trade, not food (the guide)."""
        if not text:
            return None
        if name and _NAME_JOIN.search(text):  # 健康食品制造及国际医养健康产业园: two fields, the first named decides
            first = self._by_keywords(_NAME_JOIN.split(text, 1)[0], name=True)
            if first is not None:
                return first
        if name and _COMPUTE_CENTRE.search(text) and {_AI, _IT} <= self.keywords.keywords.keys():
            return _AI if _AI_NAMED.search(text) else _IT
        if name and OTHER in self.keywords.scores(text, keep_other=True):
            return OTHER
        scores = self.keywords.scores(text)
        if not scores:
            return None
        return scores.most_common(1)[0][0]  # ties go to the industry named first (a fund's first target field)


def _without_investor(project: str | None, org: str | None) -> str | None:
    """A project name that opens with its investor's full name (江西锂拓新能源有限公司年产5万吨电池级碳酸锂项目) is
    judged by what follows the name: the project's product decides, the investor's name only when it says nothing."""
    if project and org:
        for name in org.split("、"):
            if len(name) > 1 and project.startswith(name) and len(project) > len(name):
                return project[len(name) :]
    return project


def classify_lead(
    classifier: Callable[[str], str | None],
    project: str | None,
    org: str | None,
    evidence: str | None,
    *,
    context: str | None = None,
    profile: str | None = None,
) -> str:
    """Industry for a lead with any classifier: a :class:`LeadIndustryClassifier` sees the parts (``context``: the
    project's own stretch of the clause), a plain ``text -> industry`` callable is tried on project, investor, then
    clause (first non-其他 wins)."""
    if isinstance(classifier, LeadIndustryClassifier):
        return classifier.classify(project=project, org=org, evidence=evidence, context=context, profile=profile)
    parts: Sequence[str | None] = (project, org, evidence)
    for part in parts:
        if part:
            found = classifier(part) or OTHER
            if found != OTHER:
                return found
    return OTHER
