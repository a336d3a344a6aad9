"""CLI shared pieces: settings errors name the ZHAOSHANG_* variable; the store opened per command is closed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_common import load_settings, opened_store
from core.errors import ConfigError


def test_bad_variable_is_named(zs_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.config import get_settings

    monkeypatch.setenv("ZHAOSHANG_PORT", "not-a-port")
    get_settings.cache_clear()
    with pytest.raises(ConfigError, match="ZHAOSHANG_PORT"):
        load_settings()


def test_load_settings_creates_the_data_dir(zs_home: Path) -> None:
    assert load_settings().home == zs_home and zs_home.is_dir()


def test_opened_store_is_migrated_and_closed(zs_home: Path) -> None:
    with opened_store() as store:
        assert store.counts() == {"documents": 0, "leads": 0, "policies": 0, "clauses": 0}
        engine = store.db.engine
    assert engine.pool.checkedout() == 0
