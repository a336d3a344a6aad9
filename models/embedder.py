"""Embed step: the Embedder protocol, a deterministic hashing fake, and the sentence-transformers loader."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from core.config import Settings
from core.errors import ConfigError, InputError, ModelError


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows of shape (n, dim)."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _check_texts(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise InputError("encode() takes a sequence of strings, not a single string")
    items = list(texts)
    for i, text in enumerate(items):
        if not isinstance(text, str):
            raise InputError(f"text #{i} is {type(text).__name__}, not str")
    return items


def _normalise_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.maximum(norms, 1e-12)).astype(np.float32)


class FakeEmbedder:
    """Deterministic hashing of character 1-3-grams into ``dim`` buckets (signed), for tests.

    Texts sharing many characters get similar vectors; no model, no randomness, no network.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 2:
            raise ConfigError("FakeEmbedder dim must be at least 2")
        self.dim = dim
        self.name = f"fake-hash-{dim}"

    def _bucket(self, gram: str) -> tuple[int, float]:
        digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 40) & 1 else -1.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for row, text in enumerate(items):
            chars = "".join(text.split()).lower()
            for n, weight in ((1, 0.5), (2, 1.0), (3, 1.0)):
                for i in range(len(chars) - n + 1):
                    bucket, sign = self._bucket(chars[i : i + n])
                    out[row, bucket] += sign * weight
        return _normalise_rows(out)


class SentenceTransformerEmbedder:
    """Any local sentence-transformers model directory, loaded offline on CPU."""

    def __init__(self, path: Path | str, batch_size: int = 64) -> None:
        path = Path(path)
        if not path.is_dir():
            raise ModelError(f"embedding model directory {path} does not exist")
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except (OSError, ValueError, RuntimeError, KeyError) as exc:
            raise ModelError(f"cannot load sentence-transformers model from {path}: {exc}") from exc
        dim = self._model.get_embedding_dimension()
        if not dim:
            raise ModelError(f"model at {path} does not report its embedding dimension")
        self.dim = int(dim)
        self.name = path.name
        self.path = path
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        items = _check_texts(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = self._model.encode(
            items, batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True, show_progress_bar=False
        )
        return np.ascontiguousarray(vecs, dtype=np.float32)


def load_embedder(settings: Settings) -> Embedder:
    """The embedder named by settings: fake | path | static (built on first use under models_dir)."""
    if settings.embedder == "fake":
        return FakeEmbedder()
    if settings.embedder == "path":
        if settings.embedding_model_path is None:
            raise ConfigError("ZHAOSHANG_EMBEDDER=path needs ZHAOSHANG_EMBEDDING_MODEL_PATH")
        return SentenceTransformerEmbedder(settings.embedding_model_path)
    if settings.embedder == "static":
        from models.distill import build_static_model

        return SentenceTransformerEmbedder(build_static_model(settings))
    raise ConfigError(f"unknown embedder {settings.embedder!r}")
