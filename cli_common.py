"""The ``zhaoshang`` command's shared pieces: messages, settings with readable errors, a store opened per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError

from core.config import Settings, get_settings
from core.errors import ConfigError

if TYPE_CHECKING:
    from core.store import Store

Progress = Annotated[bool, typer.Option("--progress/--no-progress", help="Show progress bars.")]


def say(message: str) -> None:
    """A status line on stderr (stdout stays for results)."""
    typer.echo(message, err=True)


def load_settings() -> Settings:
    """The settings with the data directory created; a bad ZHAOSHANG_* variable becomes one ConfigError naming it."""
    try:
        settings = get_settings()
        settings.ensure_dirs()
        return settings
    except ValidationError as exc:  # pydantic validation of ZHAOSHANG_* variables
        problems = "; ".join(
            f"ZHAOSHANG_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot create the data directory: {exc}") from exc


@contextmanager
def opened_store() -> Iterator[Store]:
    """The configured store for the length of one command, closed afterwards."""
    from core.store import Store

    store = Store.connect(load_settings().db_url)
    try:
        yield store
    finally:
        store.close()
