"""Dedup: canonical URLs, exact content hashes and near-duplicate (repost) grouping with MinHash LSH."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from datasketch import MinHash, MinHashLSH
from w3lib.url import canonicalize_url as _w3lib_canonicalize

from core.errors import InputError

TRACKING_PARAMS = frozenset({
    "spm", "from", "source", "share", "share_token", "sharer", "fbclid", "gclid", "wfr", "isappinstalled",
    "scene", "clicktime", "enterid", "timestamp", "_t", "t", "ref", "referer", "vd_source", "uid",
})
_WS = re.compile(r"\s+")
SHINGLE = 5
NUM_PERM = 128


def canonical_url(url: str) -> str:
    """Lower-case scheme/host, sorted query, no fragment, no tracking parameters (utm_*, spm, from, ...)."""
    if not isinstance(url, str) or not url.strip():
        raise InputError("URL must be a non-empty string")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"not an http(s) URL: {url!r}")
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMS]
    cleaned = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query), ""))
    return _w3lib_canonicalize(cleaned, keep_fragments=False)


def normalise_text(text: str) -> str:
    """NFKC, no whitespace: what the content hash and shingles are computed on."""
    return _WS.sub("", unicodedata.normalize("NFKC", text or ""))


def content_hash(text: str) -> str:
    """sha256 of the normalised main text."""
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def minhash(text: str, *, shingle: int = SHINGLE, num_perm: int = NUM_PERM) -> MinHash:
    """MinHash over character shingles of the normalised text."""
    norm = normalise_text(text)
    m = MinHash(num_perm=num_perm, seed=1)
    grams = {norm[i:i + shingle] for i in range(max(len(norm) - shingle + 1, 1))}
    for gram in grams:
        m.update(gram.encode("utf-8"))
    return m


class StoryGrouper:
    """Groups near-duplicate texts (reposts of one story). Keys are document ids; groups are story keys.

    ``add`` returns the key of an earlier document this text nearly duplicates (Jaccard ≥ threshold), or None.
    """

    def __init__(self, threshold: float = 0.8, *, num_perm: int = NUM_PERM, min_chars: int = 50) -> None:
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.num_perm = num_perm
        self.threshold = threshold
        self.min_chars = min_chars
        self._hashes: dict[int, MinHash] = {}

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, key: int, text: str) -> int | None:
        if key in self._hashes or len(normalise_text(text)) < self.min_chars:
            return None
        m = minhash(text, num_perm=self.num_perm)
        matches = [k for k in self.lsh.query(m) if m.jaccard(self._hashes[k]) >= self.threshold]
        self.lsh.insert(key, m)
        self._hashes[key] = m
        return min(matches) if matches else None
