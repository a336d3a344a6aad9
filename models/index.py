"""Index step: a FAISS inner-product index keyed by int ids, with atomic save/load."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

from core.errors import InputError, ModelError

INDEX_FILE = "vectors.faiss"
META_FILE = "vectors.json"
HNSW_THRESHOLD = 50_000


def replace_dir(tmp: Path, target: Path) -> None:
    """Move a fully written ``tmp`` directory into place as ``target`` (readers see the old or the new one)."""
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _omp_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` OpenMP threads in this thread (OpenMP's setting is per calling thread)."""
    if n is None:
        yield
        return
    before = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(n)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(before)


class VectorIndex:
    """Cosine search (inner product over L2-normalised rows) with explicit int64 ids.

    Flat (exact) ``IndexIDMap2(IndexFlatIP)`` by default; ``kind="hnsw"`` (or ``"auto"`` with more than
    ``HNSW_THRESHOLD`` vectors at build) uses ``IndexHNSWFlat`` with inner product, whose removals are
    done by rebuilding from the stored vectors.
    """

    def __init__(self, dim: int, kind: str = "flat") -> None:
        if dim < 1:
            raise InputError("index dimension must be positive")
        if kind not in ("flat", "hnsw"):
            raise InputError(f"unknown index kind {kind!r}")
        self.dim = dim
        self.kind = kind
        self._index = self._new_index()

    def _new_index(self) -> faiss.Index:
        if self.kind == "hnsw":
            base = faiss.IndexHNSWFlat(self.dim, 32, faiss.METRIC_INNER_PRODUCT)
            base.hnsw.efSearch = 64
            return faiss.IndexIDMap2(base)
        return faiss.IndexIDMap2(faiss.IndexFlatIP(self.dim))

    @classmethod
    def build(cls, ids: list[int] | np.ndarray, vectors: np.ndarray, kind: str = "auto") -> VectorIndex:
        vectors = np.asarray(vectors)
        if kind == "auto":
            kind = "hnsw" if len(vectors) > HNSW_THRESHOLD else "flat"
        index = cls(vectors.shape[1] if vectors.ndim == 2 else 0, kind)
        index.add(ids, vectors)
        return index

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self._index.id_map).astype(np.int64)  # type: ignore[attr-defined]

    def __contains__(self, item: int) -> bool:
        return bool(np.any(self.ids() == item))

    def _check(self, vectors: np.ndarray) -> np.ndarray:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim == 1:
            vectors = vectors[None, :]
        if vectors.ndim != 2 or vectors.shape[1] != self.dim:
            raise InputError(f"vectors must have shape (n, {self.dim}), got {vectors.shape}")
        if not np.all(np.isfinite(vectors)):
            raise InputError("vectors contain NaN or infinity")
        return np.ascontiguousarray(vectors)

    def add(self, ids: list[int] | np.ndarray, vectors: np.ndarray) -> None:
        """Add (or replace) vectors under ``ids``."""
        vectors = self._check(vectors)
        id_arr = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(id_arr) != len(vectors):
            raise InputError(f"{len(id_arr)} ids for {len(vectors)} vectors")
        if len(set(id_arr.tolist())) != len(id_arr):
            raise InputError("duplicate ids in one add()")
        if len(id_arr) == 0:
            return
        present = np.intersect1d(id_arr, self.ids())
        if len(present):
            self.remove(present)
        self._index.add_with_ids(vectors, id_arr)

    def remove(self, ids: list[int] | np.ndarray) -> int:
        """Remove ``ids`` (missing ones are ignored); returns how many were removed."""
        id_arr = np.asarray(ids, dtype=np.int64).reshape(-1)
        if len(id_arr) == 0:
            return 0
        if self.kind == "flat":
            return int(self._index.remove_ids(faiss.IDSelectorBatch(id_arr)))
        keep = ~np.isin(self.ids(), id_arr)
        removed = int((~keep).sum())
        if removed:
            kept_ids = self.ids()[keep]
            kept_vecs = self.vectors()[keep]
            self._index = self._new_index()
            if len(kept_ids):
                self._index.add_with_ids(kept_vecs, kept_ids)
        return removed

    def vectors(self) -> np.ndarray:
        """All stored vectors, in the order of ``ids()``."""
        n = len(self)
        if n == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self._index.reconstruct(int(i)) for i in self.ids()]).astype(np.float32)

    def search(
        self, queries: np.ndarray, k: int = 10, allowed: np.ndarray | list[int] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids) of shape (n_queries, k'), k' = min(k, len); missing slots have id -1.

        ``allowed`` restricts the search to those ids (a FAISS ``IDSelectorBatch``: exact for the flat index,
        approximate for HNSW). One query runs on one OpenMP thread: splitting a single scan across threads
        costs more than it saves on small, busy machines (bench/search.py measures both)."""
        queries = self._check(queries)
        if k < 1:
            raise InputError("k must be at least 1")
        params = None
        if allowed is not None:
            allowed_ids = np.ascontiguousarray(np.asarray(allowed, dtype=np.int64).reshape(-1))
            k = min(k, len(allowed_ids))
            selector = faiss.IDSelectorBatch(allowed_ids)
            params = (
                faiss.SearchParametersHNSW(sel=selector, efSearch=max(64, k))  # type: ignore[attr-defined]
                if self.kind == "hnsw"
                else faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            )
        k = min(k, len(self))
        if k == 0:
            return np.zeros((len(queries), 0), dtype=np.float32), np.zeros((len(queries), 0), dtype=np.int64)
        with _omp_threads(1 if len(queries) == 1 else None):
            scores, ids = self._index.search(queries, k, params=params)
        return scores, ids

    # -- persistence -------------------------------------------------------
    def save(self, directory: Path | str) -> None:
        """Write ``vectors.faiss`` and ``vectors.json`` (id map, dim, kind), each by temp file + os.replace."""
        directory = Path(directory)
        data = faiss.serialize_index(self._index).tobytes()
        meta = {"dim": self.dim, "kind": self.kind, "count": len(self), "ids": self.ids().tolist()}
        _atomic_write_bytes(directory / INDEX_FILE, data)
        _atomic_write_bytes(directory / META_FILE, json.dumps(meta).encode("utf-8"))

    @classmethod
    def load(cls, directory: Path | str) -> VectorIndex:
        directory = Path(directory)
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
            raw = np.frombuffer((directory / INDEX_FILE).read_bytes(), dtype=np.uint8)
            faiss_index = faiss.deserialize_index(raw)
        except FileNotFoundError as exc:
            raise ModelError(f"no vector index in {directory}: {exc.filename} missing") from exc
        except (ValueError, RuntimeError, json.JSONDecodeError) as exc:
            raise ModelError(f"vector index in {directory} is unreadable: {exc}") from exc
        index = cls(int(meta["dim"]), str(meta["kind"]))
        index._index = faiss_index
        if faiss_index.d != index.dim or index.ids().tolist() != list(meta["ids"]):
            raise ModelError(f"vector index in {directory} does not match its id map")
        return index
