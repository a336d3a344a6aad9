"""Shared fixtures: an isolated ZHAOSHANG_HOME and store per test, settings rebuilt from the environment."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def zs_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh data directory with settings pointing at it (fake embedder unless a test says otherwise)."""
    from core.config import get_settings

    home = tmp_path / "home"
    monkeypatch.setenv("ZHAOSHANG_HOME", str(home))
    monkeypatch.setenv("ZHAOSHANG_EMBEDDER", os.environ.get("ZHAOSHANG_TEST_EMBEDDER", "fake"))
    monkeypatch.delenv("ZHAOSHANG_DATABASE_URL", raising=False)
    monkeypatch.delenv("ZHAOSHANG_REDIS_URL", raising=False)
    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def shared_dir() -> Path:
    """../shared beside the checkout (corpus, seeds, taxonomy); tests that need it skip loudly if absent."""
    if not SHARED.exists():
        pytest.fail(f"../shared not found at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real PostgreSQL server for the whole session (Debian's binaries, loopback, throwaway cluster)."""
    from tests.servers import postgres_server

    with postgres_server(tmp_path_factory.mktemp("pg")) as url:
        yield url


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One real redis-server for the whole session."""
    from tests.servers import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as url:
        yield url
