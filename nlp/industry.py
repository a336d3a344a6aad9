"""Industry: classify a lead into an Anhui-taxonomy industry — keyword hits, well-known companies, embeddings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Protocol

from nlp.resources import industry_keywords, org_industries
from nlp.trie import trie_pattern

OTHER = "其他"
# Short latin keywords (AI, AR, VR, 5G) only count as whole tokens.
_LATIN = re.compile(r"^[A-Za-z0-9]+$")


class SemanticScorer(Protocol):
    """Embedding similarity of ``text`` to each industry: ``scorer(text) -> {industry: score}`` (higher is closer)."""

    def __call__(self, text: str) -> dict[str, float]: ...


class KeywordIndustryClassifier:
    """``classifier(text) -> industry name | 其他``; the keyword with most hits wins (longer keywords weigh more)."""

    def __init__(self, keywords: dict[str, tuple[str, ...]] | None = None) -> None:
        self.keywords = keywords or industry_keywords()
        self._owner: dict[str, str] = {}
        for industry, words in self.keywords.items():
            for word in words:
                self._owner.setdefault(word, industry)
        self._pattern = re.compile(trie_pattern(self._owner))

    def scores(self, text: str) -> Counter[str]:
        """Keyword weight per industry found in ``text`` (the trie takes the longest keyword at each place)."""
        scores: Counter[str] = Counter()
        for m in self._pattern.finditer(text or ""):
            word = m.group(0)
            if _LATIN.match(word):
                before = text[m.start() - 1 : m.start()]
                after = text[m.end() : m.end() + 1]
                if (before and before.isascii() and before.isalnum()) or (
                    after and after.isascii() and after.isalnum()
                ):
                    continue
            scores[self._owner[word]] += len(word)
        return scores

    def __call__(self, text: str) -> str:
        scores = self.scores(text)
        if not scores:
            return OTHER
        return scores.most_common(1)[0][0]


class LeadIndustryClassifier:
    """Industry of one lead from its parts, in order of reliability (measured on the dev split of the gold set).

    1. keyword hits in the project name, then in the investor name (longer keywords weigh more; ties go to
       the industry named first — the embedding scorer breaking ties measured one lead worse on dev);
    2. a well-known company named in the project or investor (比亚迪 → 新能源汽车和智能网联汽车);
    3. only for leads without a project name: keyword hits in the evidence clause, else the embedding
       scorer on the clause when its best score reaches ``clause_threshold``;
    4. otherwise 其他. A project name without any cue stays 其他: its clause often describes other projects.
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
        self.companies = companies if companies is not None else org_industries()
        self._company = re.compile(trie_pattern(self.companies)) if self.companies else None
        self.clause_threshold = clause_threshold

    def __call__(self, text: str) -> str:
        """Classify free text (a query or a clause): keyword hits, else the embedding scorer."""
        return self.classify(project=None, org=None, evidence=text)

    def classify(self, *, project: str | None, org: str | None, evidence: str | None) -> str:
        for part in (project, org):
            found = self._by_keywords(part)
            if found:
                return found
        for part in (project, org):
            if part and self._company is not None:
                m = self._company.search(part)
                if m:
                    return self.companies[m.group(0)]
        if project or not evidence or (org and org.endswith("基金")):  # a fund's own name states its field
            return OTHER
        found = self._by_keywords(evidence)
        if found:
            return found
        if self.semantic is not None:
            sims = self.semantic(evidence)
            if sims:
                name, score = max(sims.items(), key=lambda kv: kv[1])
                if score >= self.clause_threshold:
                    return name
        return OTHER

    def _by_keywords(self, text: str | None) -> str | None:
        if not text:
            return None
        scores = self.keywords.scores(text)
        if not scores:
            return None
        return scores.most_common(1)[0][0]  # ties go to the industry named first (a fund's first target field)


def classify_lead(
    classifier: Callable[[str], str | None], project: str | None, org: str | None, evidence: str | None
) -> str:
    """Industry for a lead with any classifier: a :class:`LeadIndustryClassifier` sees the parts, a plain
    ``text -> industry`` callable is tried on project, investor, then clause (first non-其他 wins)."""
    if isinstance(classifier, LeadIndustryClassifier):
        return classifier.classify(project=project, org=org, evidence=evidence)
    parts: Sequence[str | None] = (project, org, evidence)
    for part in parts:
        if part:
            found = classifier(part) or OTHER
            if found != OTHER:
                return found
    return OTHER
