"""Match step, applicability: does a policy apply in the query's region, and is it still in force."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Literal

from core.schemas import Policy
from models.scopes import NATIONAL, scope_codes
from nlp.regions import RegionIndex

Applicability = Literal["full", "partial"]
_UNNAMED_CHILD = re.compile(r"[（(]\s*(?:区级|县级)")


class RegionRules:
    """Region applicability of policies for a query region (a 6-digit code).

    full: the policy's region (or one of its scope's regions) contains the query region — a 芜湖市 query
    gets national, 安徽省 and 芜湖市 policies; partial: the policy covers only a part of the query region
    (a district or park under it); None: it does not apply (another province or city, or outside the scope
    of a scoped national policy such as 西部地区).
    """

    def __init__(self, regions: RegionIndex) -> None:
        self.regions = regions
        self._scope = lru_cache(maxsize=4096)(lambda text: scope_codes(text, regions))
        self._decide = lru_cache(maxsize=65_536)(self._applicability)  # policies share regions: decide once
        self._chain = lru_cache(maxsize=16_384)(lambda code: frozenset(r.code for r in regions.ancestors(code)))

    def policy_codes(self, policy: Policy) -> tuple[str, ...]:
        if policy.applicable_region:
            return self._scope(policy.applicable_region)
        return (policy.region_code or NATIONAL,)

    def applicability(self, policy: Policy, query_code: str | None) -> Applicability | None:
        if query_code is None:
            return "full"
        unnamed = bool(_UNNAMED_CHILD.search(policy.issuer_region)) and not policy.applicable_region
        return self._decide(self.policy_codes(policy), unnamed, query_code)

    def _applicability(self, codes: tuple[str, ...], unnamed: bool, query_code: str) -> Applicability | None:
        # is_within(a, b) is "b in the chain of a" (a itself, then its parents); chains are cached per code
        if unnamed:
            # 无锡市(区级,区名页面未写明): some district of the city, which one is unknown — it covers only a
            # part of the city, and cannot be said to apply in any particular district
            return "partial" if query_code in self._chain(codes[0]) else None
        query_chain = self._chain(query_code)
        if any(code in query_chain for code in codes):
            return "full"
        if any(query_code in self._chain(code) for code in codes):
            return "partial"
        return None


def is_expired(policy: Policy, today: dt.date) -> bool:
    """True when the policy states an expiry date before ``today``."""
    return policy.expiry_date is not None and policy.expiry_date < today


def is_in_force(policy: Policy, today: dt.date) -> bool:
    """Not expired and already effective (a policy without stated dates counts as in force)."""
    if is_expired(policy, today):
        return False
    return policy.effective_date is None or policy.effective_date <= today
