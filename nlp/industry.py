"""Industry (keyword fallback): classify a lead's text into an Anhui-taxonomy industry by keyword hits, else 其他."""

from __future__ import annotations

import re
from collections import Counter

from nlp.resources import industry_keywords
from nlp.trie import trie_pattern

OTHER = "其他"
# Short latin keywords (AI, AR, VR, 5G) only count as whole tokens.
_LATIN = re.compile(r"^[A-Za-z0-9]+$")


class KeywordIndustryClassifier:
    """``classifier(text) -> industry name | 其他``; the keyword with most hits wins (longer keywords weigh more)."""

    def __init__(self, keywords: dict[str, tuple[str, ...]] | None = None) -> None:
        self.keywords = keywords or industry_keywords()
        self._owner: dict[str, str] = {}
        for industry, words in self.keywords.items():
            for word in words:
                self._owner.setdefault(word, industry)
        self._pattern = re.compile(trie_pattern(self._owner))

    def __call__(self, text: str) -> str:
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
        if not scores:
            return OTHER
        return scores.most_common(1)[0][0]
