"""Match step, policy search: hybrid BM25 + dense retrieval over clauses, fused by RRF, region-aware."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from core.errors import InputError, ModelError
from core.schemas import Policy
from models.applicability import RegionRules, is_expired
from models.bm25 import BM25Index, reciprocal_rank_fusion
from models.conditions import Condition, ConditionAnnotator, QueryFacts, parse_facts
from models.embedder import Embedder
from models.index import VectorIndex, replace_dir
from models.industries import TAXONOMIES, load_taxonomy
from models.policy_match import ClauseHit, MatchFilter, PolicyMatch, display_clause
from models.scopes import FALSE_PLACES, NATIONAL, NATIONAL_NAMES, resolve_issuer_region
from models.text import STOPWORDS, JiebaTokenizer, Tokenize, to_simplified
from nlp.regions import RegionIndex

__all__ = ["ClauseHit", "MatchFilter", "PolicyMatch", "PolicySearch", "policy_vectors"]

FORMAT_VERSION = 1
SearchMode = Literal["hybrid", "bm25", "dense"]
TITLE_SEQ = -1  # pseudo-clause holding the policy title


@dataclass
class _Entry:
    policy_id: str
    seq: int


class PolicySearch:
    """Clauses of policies in a BM25 index and a FAISS index; search fuses both rankings (RRF, k=60),
    keeps the policies applicable in the query region, and sums each policy's best clause scores.

    Build once (``build`` or ``load``) and inject; ``upsert`` replaces policies incrementally.
    """

    def __init__(
        self,
        embedder: Embedder,
        regions: RegionIndex,
        tokenize: Tokenize | None = None,
        rrf_k: int = 20,
        clause_weights: tuple[float, ...] = (1.0, 0.3),
        depth: int = 50,
        partial_weight: float = 0.8,
        industry_boost: float = 1.2,
        filters: Sequence[MatchFilter] = (),
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.embedder = embedder
        self.regions = regions
        self.rules = RegionRules(regions)
        self.tokenize = tokenize or JiebaTokenizer(self._taxonomy_words(), STOPWORDS)
        self.rrf_k = rrf_k
        self.clause_weights = clause_weights
        self.depth = depth
        self.partial_weight = partial_weight
        self.industry_boost = industry_boost
        self.filters = list(filters)
        self.today = today
        self.policies: dict[str, Policy] = {}
        self._entries: dict[int, _Entry] = {}
        self._by_policy: dict[str, list[int]] = {}
        self._next_id = 0
        self._bm25 = BM25Index()
        self._vectors = VectorIndex(embedder.dim)
        self._conditions: dict[str, list[Condition]] = {}  # policy id -> conditions, filled on first match

    @staticmethod
    def _taxonomy_words() -> list[str]:
        return [k for e in load_taxonomy("anhui_ten_emerging").entries for k in e.keywords]

    # -- building ----------------------------------------------------------
    @classmethod
    def build(
        cls, policies: Iterable[Policy], embedder: Embedder, regions: RegionIndex, **kwargs: object
    ) -> PolicySearch:
        search = cls(embedder, regions, **kwargs)  # type: ignore[arg-type]
        search.upsert(policies)
        return search

    def _entry_texts(self, policy: Policy) -> list[tuple[int, str]]:
        items = [(TITLE_SEQ, policy.title)]
        items.extend(
            (c.seq, f"{c.heading or ''} {c.text}" if c.heading and c.heading not in c.text else c.text)
            for c in policy.clauses
        )
        if not policy.clauses:
            items.append((0, policy.text))
        return [(seq, to_simplified(text)) for seq, text in items]

    def upsert(self, policies: Iterable[Policy]) -> int:
        """Add or replace policies (by id); returns how many were written."""
        batch = list(policies)
        for policy in batch:
            if not isinstance(policy, Policy):
                raise InputError(f"upsert takes Policy objects, got {type(policy).__name__}")
            if policy.region_code is None:
                raise InputError(f"policy {policy.id} has no region_code; run parse_policy first")
        self.remove([p.id for p in batch])
        ids: list[int] = []
        texts: list[str] = []
        for policy in batch:
            self.policies[policy.id] = policy
            for seq, text in self._entry_texts(policy):
                entry_id = self._next_id
                self._next_id += 1
                self._entries[entry_id] = _Entry(policy.id, seq)
                self._by_policy.setdefault(policy.id, []).append(entry_id)
                self._bm25.add(entry_id, self.tokenize(text))
                ids.append(entry_id)
                texts.append(text)
        if texts:
            self._vectors.add(ids, self.embedder.encode(texts))
        return len(batch)

    def remove(self, policy_ids: Iterable[str]) -> int:
        removed = 0
        for pid in policy_ids:
            entry_ids = self._by_policy.pop(pid, [])
            self._conditions.pop(pid, None)
            if pid in self.policies:
                del self.policies[pid]
                removed += 1
            for entry_id in entry_ids:
                self._entries.pop(entry_id, None)
                self._bm25.remove(entry_id)
            self._vectors.remove(entry_ids)
        return removed

    def __len__(self) -> int:
        return len(self.policies)

    # -- query region ------------------------------------------------------
    def resolve_region(self, region: str | None) -> str | None:
        """A query region name (合肥市, 安庆, 安徽省, 广州市黄埔区) or code → code; None stays None;
        InputError if unknown."""
        if region is None or not region.strip():
            return None
        if region.strip() in NATIONAL_NAMES:
            return NATIONAL
        try:
            return self.regions.resolve(region).code
        except InputError:
            return resolve_issuer_region(region, self.regions)  # compound names: 广州市黄埔区

    def infer_region(self, query: str) -> str | None:
        """The most specific region named in the query text (安庆 生物医药 → 340800), when the named
        regions are nested; None when none or when they conflict."""
        found: list[str] = []
        for name in re.findall(r"[\u4e00-\u9fff]{2,}", to_simplified(query)):
            for start in range(len(name)):
                for end in range(min(len(name), start + 12), start + 1, -1):
                    word = name[start:end]
                    if word in FALSE_PLACES or word in NATIONAL_NAMES:
                        continue
                    region = self.regions.lookup(word)
                    if region is not None and region.level == "county" and word != region.name:
                        continue  # short county names (东方, 永康) are too often ordinary words
                    if region is not None and region.code != NATIONAL:
                        found.append(region.code)
                        break
        if not found:
            return None
        deepest = max(found, key=lambda c: len(self.regions.ancestors(c)))
        if all(self.regions.is_within(deepest, c) for c in found):
            return deepest
        return None

    # -- search ------------------------------------------------------------
    def _industry_words(self, industry: str) -> list[str]:
        for name in TAXONOMIES:
            for entry in load_taxonomy(name).entries:
                if industry in (entry.name, entry.code):
                    return sorted({entry.name, *entry.keywords}, key=len, reverse=True)
        return [industry]

    def search(
        self,
        query: str,
        region: str | None = None,
        top: int = 10,
        industry: str | None = None,
        include_expired: bool = False,
        infer_region: bool = True,
        mode: SearchMode = "hybrid",
        facts: QueryFacts | None = None,
    ) -> list[PolicyMatch]:
        """Policies for ``query``, best first. ``region`` (name or code) limits them to those applicable
        there; without it the region named in the query is used (``infer_region``). ``mode`` picks the
        rankings fused: hybrid (BM25 + dense), bm25 or dense alone (for evaluation). Expired policies are
        dropped unless ``include_expired`` (then flagged valid=False). Each match carries its policy's
        conditions checked against ``facts`` (default: the amounts stated in the query, see
        models.conditions.parse_facts; pass facts_from_lead(lead) for a lead); they do not change the ranking."""
        if not isinstance(query, str) or not query.strip():
            raise InputError("query must be non-empty text")
        if top < 1:
            raise InputError("top must be at least 1")
        if mode not in ("hybrid", "bm25", "dense"):
            raise InputError(f"unknown search mode {mode!r}; expected hybrid, bm25 or dense")
        code = self.resolve_region(region)
        if code is None and infer_region:
            code = self.infer_region(query)
        today = self.today()
        allowed_policies: dict[str, Literal["full", "partial"]] = {}
        for pid, policy in self.policies.items():
            if not include_expired and is_expired(policy, today):
                continue
            applies = self.rules.applicability(policy, code)
            if applies is not None:
                allowed_policies[pid] = applies
        if not allowed_policies:
            return []
        allowed = {eid for pid in allowed_policies for eid in self._by_policy.get(pid, [])}
        text = to_simplified(query)
        industry_words = self._industry_words(industry) if industry else []
        if industry_words:
            text = f"{text} {industry_words[0]}"
        tokens = self.tokenize(text)
        rankings: list[list[int]] = []
        if mode in ("hybrid", "bm25"):
            bm25 = self._bm25.scores(tokens, allowed)
            rankings.append(sorted(bm25, key=lambda i: (-bm25[i], i))[: self.depth])
        if mode in ("hybrid", "dense") and len(self._vectors):
            # exact top-depth among the allowed clauses (FAISS ID selector), at any index size
            subset = None if len(allowed) == len(self._entries) else np.fromiter(allowed, np.int64, len(allowed))
            _, ids = self._vectors.search(self.embedder.encode([text]), self.depth, allowed=subset)
            rankings.append([int(i) for i in ids[0] if i >= 0])
        fused = reciprocal_rank_fusion(rankings, self.rrf_k)
        annotate = ConditionAnnotator(parse_facts(text) if facts is None else facts, self._conditions)
        return self._aggregate(fused, allowed_policies, industry_words, today, top, [*self.filters, annotate])

    def _aggregate(
        self,
        fused: dict[int, float],
        allowed_policies: dict[str, Literal["full", "partial"]],
        industry_words: list[str],
        today: dt.date,
        top: int,
        filters: Sequence[MatchFilter],
    ) -> list[PolicyMatch]:
        per_policy: dict[str, list[tuple[float, int]]] = {}
        for entry_id, score in fused.items():
            entry = self._entries[entry_id]
            per_policy.setdefault(entry.policy_id, []).append((score, entry.seq))
        matches: list[PolicyMatch] = []
        for pid, scored in per_policy.items():
            scored.sort(key=lambda s: (-s[0], s[1]))
            policy = self.policies[pid]
            score = sum(s * w for (s, _), w in zip(scored, self.clause_weights, strict=False))
            applicability = allowed_policies[pid]
            if applicability == "partial":
                score *= self.partial_weight
            industry_match: bool | None = None
            if industry_words:
                plain = to_simplified(f"{policy.title} {policy.text}")
                industry_match = any(w in plain for w in industry_words)
                if industry_match:
                    score *= self.industry_boost
            clauses = {c.seq: c for c in policy.clauses}
            hits = [
                ClauseHit(
                    seq=seq,
                    number=clauses[seq].number,
                    heading=clauses[seq].heading,
                    text=clauses[seq].text,
                    score=round(s, 6),
                )
                for s, seq in scored
                if seq in clauses
            ][:3]
            match: PolicyMatch | None = PolicyMatch(
                policy_id=pid,
                score=round(score, 6),
                title=policy.title,
                matched_clause=display_clause(hits, policy),
                issuer_region=policy.issuer_region,
                region_code=policy.region_code,
                applicable_region=policy.applicable_region,
                doc_number=policy.doc_number,
                publish_date=policy.publish_date,
                effective_date=policy.effective_date,
                expiry_date=policy.expiry_date,
                valid=not is_expired(policy, today),
                applicability=applicability,
                matched_clauses=hits,
                industry_match=industry_match,
            )
            for condition in filters:
                match = condition(match, policy) if match is not None else None
            if match is not None:
                matches.append(match)
        matches.sort(key=lambda m: (-m.score, m.policy_id))
        return matches[:top]

    # -- persistence -------------------------------------------------------
    def save(self, directory: Path | str) -> None:
        """Write policies, clause map, BM25 tokens and vectors to ``directory`` atomically (temp dir + rename)."""
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            with (tmp / "policies.jsonl").open("w", encoding="utf-8") as fh:
                for policy in self.policies.values():
                    fh.write(policy.model_dump_json() + "\n")
            entries = [
                {"id": i, "policy_id": e.policy_id, "seq": e.seq, "tokens": self._bm25.tokens(i)}
                for i, e in self._entries.items()
            ]
            (tmp / "entries.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
            meta = {
                "format": FORMAT_VERSION,
                "embedder": self.embedder.name,
                "dim": self.embedder.dim,
                "next_id": self._next_id,
                "policies": len(self.policies),
            }
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            self._vectors.save(tmp / "vectors")
            replace_dir(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: Path | str, embedder: Embedder, regions: RegionIndex, **kwargs: object) -> PolicySearch:
        directory = Path(directory)
        try:
            meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
            entries = json.loads((directory / "entries.json").read_text(encoding="utf-8"))
            lines = (directory / "policies.jsonl").read_text(encoding="utf-8").splitlines()
        except FileNotFoundError as exc:
            raise ModelError(f"no policy index in {directory}: {exc.filename} missing") from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ModelError(f"policy index in {directory} is unreadable: {exc}") from exc
        if meta.get("format") != FORMAT_VERSION:
            raise ModelError(f"policy index in {directory} has format {meta.get('format')}, expected {FORMAT_VERSION}")
        if meta.get("embedder") != embedder.name or meta.get("dim") != embedder.dim:
            raise ModelError(
                f"policy index in {directory} was built with {meta.get('embedder')} ({meta.get('dim')}-d), "
                f"not {embedder.name} ({embedder.dim}-d); rebuild it"
            )
        search = cls(embedder, regions, **kwargs)  # type: ignore[arg-type]
        for line in lines:
            if line.strip():
                policy = Policy.model_validate_json(line)
                search.policies[policy.id] = policy
        for item in entries:
            entry_id = int(item["id"])
            search._entries[entry_id] = _Entry(str(item["policy_id"]), int(item["seq"]))
            search._by_policy.setdefault(str(item["policy_id"]), []).append(entry_id)
            search._bm25.add(entry_id, item["tokens"])
        search._next_id = int(meta["next_id"])
        search._vectors = VectorIndex.load(directory / "vectors")
        if set(search._vectors.ids().tolist()) != set(search._entries):
            raise ModelError(f"policy index in {directory}: vectors and clause map disagree")
        return search


def policy_vectors(search: PolicySearch) -> np.ndarray:
    """All stored clause vectors (for inspection and tests)."""
    return search._vectors.vectors()
