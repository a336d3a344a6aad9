"""Crawl sources: load and validate crawler/sources/*.yaml (one site column per entry)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import ConfigError

SOURCES_DIR = Path(__file__).resolve().parent / "sources"
SAMPLE_PLACEHOLDER = "{sample_site}"


class Selectors(BaseModel):
    """Optional CSS selectors that override automatic discovery for a difficult site."""

    model_config = ConfigDict(extra="forbid")

    list_links: str | None = None
    next_page: str | None = None
    title: str | None = None
    content: str | None = None


class SourceConfig(BaseModel):
    """One crawl source: a list column of a portal."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")
    region: str = Field(min_length=1)
    region_code: str = Field(pattern=r"^\d{6}$")
    kind: Literal["news", "policy"]
    start_urls: list[str] = Field(min_length=1)
    allowed_domains: list[str] = Field(default_factory=list)
    selectors: Selectors = Field(default_factory=Selectors)
    verified_offline: bool = True
    tags: list[str] = Field(default_factory=list, description="e.g. test: not part of the demo crawl")
    max_pages: int | None = Field(default=None, ge=1)
    description: str | None = None

    @field_validator("start_urls")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if not (url.startswith(("http://", "https://", SAMPLE_PLACEHOLDER))):
                raise ValueError(f"start URL must be http(s) or start with {SAMPLE_PLACEHOLDER}: {url!r}")
        return urls

    @property
    def uses_sample_site(self) -> bool:
        return any(SAMPLE_PLACEHOLDER in u for u in self.start_urls)

    def resolved(self, sample_site_url: str | None) -> SourceConfig:
        """This source with ``{sample_site}`` replaced by the running sample site's base URL."""
        if not self.uses_sample_site:
            return self
        if not sample_site_url:
            raise ConfigError(f"source {self.name!r} needs the sample site URL (--sample-site-url)")
        base = sample_site_url.rstrip("/")
        host = base.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        urls = [u.replace(SAMPLE_PLACEHOLDER, base) for u in self.start_urls]
        domains = [host if d == SAMPLE_PLACEHOLDER else d for d in self.allowed_domains] or [host]
        return self.model_copy(update={"start_urls": urls, "allowed_domains": domains})


def load_source_file(path: Path) -> list[SourceConfig]:
    """Sources in one YAML file (a list, or a mapping with a ``sources`` list)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path.name}: invalid YAML: {exc}") from exc
    if isinstance(data, dict) and "sources" in data:
        data = data["sources"]
    if not isinstance(data, list) or not data:
        raise ConfigError(f"{path.name}: expected a non-empty list of sources")
    sources = []
    for n, entry in enumerate(data):
        try:
            sources.append(SourceConfig.model_validate(entry))
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors())
            raise ConfigError(f"{path.name}: source #{n + 1}: {problems}") from exc
    return sources


def load_sources(
    directory: Path | None = None, *, names: list[str] | None = None, sample_site_url: str | None = None,
    sample_only: bool = False,
) -> list[SourceConfig]:
    """Sources in ``directory`` (default crawler/sources); names must be unique.

    ``names``: only these, in this order (an unknown name is a ConfigError); None means all. ``sample_site_url``
    resolves ``{sample_site}`` placeholders (else they are left for run_crawl, which then starts the sample site).
    ``sample_only``: only the sample site's demo sources (not those tagged ``test``)."""
    directory = directory or SOURCES_DIR
    files = sorted(directory.glob("*.yaml")) + sorted(directory.glob("*.yml"))
    if not files:
        raise ConfigError(f"no source files (*.yaml) in {directory}")
    sources: dict[str, SourceConfig] = {}
    for path in files:
        for source in load_source_file(path):
            if source.name in sources:
                raise ConfigError(f"{path.name}: duplicate source name {source.name!r}")
            sources[source.name] = source
    if names is not None:
        unknown = [n for n in names if n not in sources]
        if unknown:
            raise ConfigError(f"unknown source {', '.join(map(repr, unknown))}; known: {', '.join(sorted(sources))}")
        chosen = [sources[n] for n in dict.fromkeys(names)]
    else:
        chosen = list(sources.values())
    if sample_only:
        chosen = [s for s in chosen if s.uses_sample_site and "test" not in s.tags]
    if sample_site_url:
        chosen = [s.resolved(sample_site_url) for s in chosen]
    return chosen


def get_source(name: str, directory: Path | None = None) -> SourceConfig:
    for source in load_sources(directory):
        if source.name == name:
            return source
    raise ConfigError(f"unknown source {name!r}")
