"""Ranking metrics over graded judgments: DCG, nDCG@k, capped Recall@k and reciprocal rank."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

RELEVANT = 2  # grade from which a result counts for Recall@k and the reciprocal rank


def dcg(gains: Sequence[int]) -> float:
    return sum((2**rel - 1) / math.log2(rank + 2) for rank, rel in enumerate(gains))


def ndcg_at(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float | None:
    """nDCG@k with gains 2^rel-1, ideal from the judgments; None when nothing is judged relevant."""
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return None
    return dcg([judgments.get(pid, 0) for pid in ranked[:k]]) / ideal


def recall_at(ranked: Sequence[str], judgments: Mapping[str, int], k: int = 5) -> float | None:
    """Share of the grade>=2 policies found in the top k, out of at most k (capped recall, so a perfect
    ranking scores 1 even when more than k policies are relevant); None when the query has none."""
    relevant = {pid for pid, g in judgments.items() if g >= RELEVANT}
    if not relevant:
        return None
    return len(relevant.intersection(ranked[:k])) / min(len(relevant), k)


def reciprocal_rank(ranked: Sequence[str], judgments: Mapping[str, int]) -> float | None:
    """1/rank of the first grade>=2 policy (0 when none is returned); None when the query has none."""
    if not any(g >= RELEVANT for g in judgments.values()):
        return None
    for rank, pid in enumerate(ranked, 1):
        if judgments.get(pid, 0) >= RELEVANT:
            return 1 / rank
    return 0.0
