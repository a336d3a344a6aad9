"""Match step, lexical retrieval: an incremental Okapi BM25 index over pre-tokenised clauses."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

from core.errors import InputError


class BM25Index:
    """BM25 (k1, b) with postings kept per token, so documents can be added and removed one by one."""

    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        if k1 < 0 or not 0 <= b <= 1:
            raise InputError("BM25 needs k1 >= 0 and 0 <= b <= 1")
        self.k1 = k1
        self.b = b
        self._postings: dict[str, dict[int, int]] = {}
        self._lengths: dict[int, int] = {}
        self._tokens: dict[int, list[str]] = {}
        self._total = 0

    def __len__(self) -> int:
        return len(self._lengths)

    def __contains__(self, doc_id: int) -> bool:
        return doc_id in self._lengths

    def tokens(self, doc_id: int) -> list[str]:
        return self._tokens[doc_id]

    def add(self, doc_id: int, tokens: Sequence[str]) -> None:
        """Index ``tokens`` under ``doc_id`` (replacing an earlier version)."""
        if doc_id in self._lengths:
            self.remove(doc_id)
        tokens = list(tokens)
        for token, tf in Counter(tokens).items():
            self._postings.setdefault(token, {})[doc_id] = tf
        self._lengths[doc_id] = len(tokens)
        self._tokens[doc_id] = tokens
        self._total += len(tokens)

    def remove(self, doc_id: int) -> None:
        tokens = self._tokens.pop(doc_id, None)
        if tokens is None:
            return
        for token in set(tokens):
            posting = self._postings.get(token)
            if posting is not None:
                posting.pop(doc_id, None)
                if not posting:
                    del self._postings[token]
        self._total -= self._lengths.pop(doc_id)

    def idf(self, token: str) -> float:
        n = len(self._lengths)
        df = len(self._postings.get(token, ()))
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query_tokens: Sequence[str], allowed: set[int] | None = None) -> dict[int, float]:
        """doc_id → BM25 score for documents sharing at least one query token (optionally only ``allowed``)."""
        n = len(self._lengths)
        if n == 0:
            return {}
        avgdl = self._total / n or 1.0
        out: dict[int, float] = {}
        for token, qtf in Counter(query_tokens).items():
            posting = self._postings.get(token)
            if not posting:
                continue
            idf = self.idf(token)
            for doc_id, tf in posting.items():
                if allowed is not None and doc_id not in allowed:
                    continue
                norm = tf + self.k1 * (1 - self.b + self.b * self._lengths[doc_id] / avgdl)
                out[doc_id] = out.get(doc_id, 0.0) + qtf * idf * tf * (self.k1 + 1) / norm
        return out


def reciprocal_rank_fusion(rankings: Sequence[Sequence[int]], k: int = 60) -> dict[int, float]:
    """RRF: id → Σ 1/(k + rank) over the rankings (rank from 1); ids absent from a ranking add nothing."""
    if k < 0:
        raise InputError("RRF k must be non-negative")
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            fused[doc_id] = fused.get(doc_id, 0.0) + 1.0 / (k + rank)
    return fused
