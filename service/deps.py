"""Service dependencies: the heavy objects built once in the lifespan and handed out with ``Depends``.

``Services`` holds the store, the region index, the lead extractor and (when they can be loaded) the
embedder, the industry matcher and the policy search index. The seams are Protocols so tests inject fakes
through ``create_app(settings, services=...)``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, runtime_checkable
from urllib.parse import unquote

from fastapi import Depends, Request

from core.config import Settings
from core.errors import ModelError, ZhaoshangError
from core.schemas import Lead
from core.store import Store
from nlp.regions import RegionIndex, default_regions

log = logging.getLogger(__name__)
_MATCHERS_LOCK = threading.Lock()

ACTOR_COOKIE = "zs_actor"
ACTOR_HEADER = "X-Actor"
MAX_ACTOR_CHARS = 100


class ExtractionLike(Protocol):
    leads: list[Lead]
    event_dates: list[dt.date | None]
    flags: list[str]


@runtime_checkable
class LeadExtractorLike(Protocol):
    """nlp.leads.LeadExtractor: text → leads."""

    def extract(self, text: str, publish_date: dt.date | None = None) -> ExtractionLike: ...


@runtime_checkable
class PolicySearchLike(Protocol):
    """models.matcher.PolicySearch: query → ranked policy matches."""

    def search(self, query: str, region: str | None = None, top: int = 10, industry: str | None = None,
               include_expired: bool = False) -> list[Any]: ...


@runtime_checkable
class IndustryMatcherLike(Protocol):
    """models.industries.IndustryMatcher: text → industry name in the active taxonomy."""

    def best(self, text: str) -> str: ...


class UnavailableExtractor:
    """Stands in when nlp.leads cannot be loaded; every call answers 503 with the reason."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def extract(self, text: str, publish_date: dt.date | None = None) -> ExtractionLike:
        raise ModelError(f"the lead extractor is not available: {self.reason}")


@dataclass
class Services:
    """Everything the routes need, built once per process."""

    store: Store
    regions: RegionIndex
    extractor: LeadExtractorLike
    policy_search: PolicySearchLike | None = None
    industry_matcher: IndustryMatcherLike | None = None
    embedder: Any | None = None
    settings: Settings | None = None
    industry_matchers: list[Any] | None = None
    """One models.industries.IndustryMatcher per taxonomy for /v1/match; built on first use from the embedder."""
    problems: dict[str, str] = field(default_factory=dict)
    """Why an optional part (embedder, industry matcher, policy index) is missing, for /readyz."""
    _children: dict[str | None, list[Any]] | None = field(default=None, repr=False)
    _index_stamp: tuple[int, int] | None = field(default=None, repr=False)

    def region_children(self, parent: str | None) -> list[Any]:
        """Sub-regions of ``parent`` (provinces for None or 000000), sorted by code."""
        if self._children is None:
            children: dict[str | None, list[Any]] = {}
            for region in self.regions.by_code.values():
                children.setdefault(region.parent, []).append(region)
            for items in children.values():
                items.sort(key=lambda r: r.code)
            self._children = children
        return list(self._children.get(parent or "000000", []))

    def taxonomy_matchers(self) -> list[Any]:
        """Matchers for every bundled taxonomy (models.industries.all_matchers), built once, reusing the active one."""
        if self.industry_matchers is not None:
            return self.industry_matchers
        with _MATCHERS_LOCK:
            if self.industry_matchers is None:
                if self.embedder is None:
                    why = self.problems.get("embedder", "no embedder is loaded")
                    raise ModelError(f"industry matching is unavailable: {why}")
                try:
                    from models.industries import IndustryMatcher, all_matchers
                except ImportError as exc:
                    raise ModelError(f"industry matching is unavailable: {exc}") from exc
                active = self.industry_matcher
                if isinstance(active, IndustryMatcher):
                    from models.industries import TAXONOMIES

                    self.industry_matchers = [active if name == active.taxonomy.name
                                              else IndustryMatcher(self.embedder, name) for name in TAXONOMIES]
                else:
                    self.industry_matchers = all_matchers(self.embedder)
        return self.industry_matchers

    def refresh_policy_index(self) -> None:
        """Pick up a policy index that `zhaoshang index` / `policies import` saved since it was loaded.

        The index is saved by swapping its directory, so a changed inode or mtime means new files; the check
        is one stat per request, the reload happens once per change.
        """
        if self.settings is None or self.embedder is None:
            return
        directory = self.settings.index_dir / "policies"
        try:
            info = directory.stat()
        except OSError:
            return
        stamp = (info.st_ino, info.st_mtime_ns)
        if stamp == self._index_stamp:
            return
        with _MATCHERS_LOCK:
            if stamp == self._index_stamp:
                return
            try:
                from models.matcher import PolicySearch

                self.policy_search = PolicySearch.load(directory, self.embedder, self.regions)
                self.problems.pop("policy_index", None)
            except _LOAD_ERRORS as exc:
                self.problems["policy_index"] = f"{exc.__class__.__name__}: {exc}"
                log.warning("policy index at %s not reloaded: %s", directory, exc)
            self._index_stamp = stamp

    def close(self) -> None:
        self.store.close()


# What loading an optional part may raise: missing module, our own errors, files, bad model data.
_LOAD_ERRORS = (ImportError, ZhaoshangError, OSError, RuntimeError, ValueError)


def _load_optional(services: Services, settings: Settings) -> None:
    """Embedder → industry matcher → policy index; each failure is recorded, never fatal."""
    try:
        from models.embedder import load_embedder

        services.embedder = load_embedder(settings)
    except _LOAD_ERRORS as exc:
        services.problems["embedder"] = f"{exc.__class__.__name__}: {exc}"
        return
    try:
        from models.industries import IndustryMatcher

        services.industry_matcher = IndustryMatcher(services.embedder, settings.taxonomy)
    except _LOAD_ERRORS as exc:
        services.problems["industry_matcher"] = f"{exc.__class__.__name__}: {exc}"
    index_dir = settings.index_dir / "policies"
    if not index_dir.exists():
        services.problems["policy_index"] = f"no policy index at {index_dir}; build the policy index first"
        return
    services.settings = settings
    services.refresh_policy_index()


def build_services(settings: Settings) -> Services:
    """Connect the store and load the models once; optional parts that fail are reported by /readyz."""
    settings.ensure_dirs()
    store = Store.connect(settings.db_url)
    regions = default_regions()
    services = Services(store=store, regions=regions, extractor=UnavailableExtractor("not loaded"), settings=settings)
    _load_optional(services, settings)
    try:
        import jobs

        services.extractor = jobs.make_extractor(settings, services.industry_matcher, regions)
    except _LOAD_ERRORS as exc:
        services.problems["extractor"] = f"{exc.__class__.__name__}: {exc}"
        services.extractor = UnavailableExtractor(services.problems["extractor"])
    for part, why in services.problems.items():
        log.warning("service starts without %s: %s", part, why)
    return services


# -- dependencies ------------------------------------------------------------
def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    services.refresh_policy_index()
    return services


def get_store(services: Annotated[Services, Depends(get_services)]) -> Store:
    return services.store


def get_regions(services: Annotated[Services, Depends(get_services)]) -> RegionIndex:
    return services.regions


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def actor_from_request(request: Request) -> str | None:
    """Dev mode's actor (no API keys yet): the name sign-in cookie or the X-Actor header. See service.auth."""
    raw = request.headers.get(ACTOR_HEADER) or request.cookies.get(ACTOR_COOKIE) or ""
    name = unquote(raw).strip()
    if not name or len(name) > MAX_ACTOR_CHARS or any(ord(ch) < 32 for ch in name):
        return None
    return name


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
RegionsDep = Annotated[RegionIndex, Depends(get_regions)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
