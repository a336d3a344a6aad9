"""Service auth: API keys with roles on every endpoint, review-page sessions, and the loopback-only dev mode.

Roles, weakest first: public (investor policy search) < platform (read-only API, extract, match, events)
< analyst (review actions; the actor is the key's name) < admin. Clients send ``Authorization: Bearer zs_...``
or ``X-API-Key: zs_...``. A key that is sent but wrong answers 401 (never a silent downgrade to public).

The review page signs in with an analyst key and gets an HttpOnly, SameSite=Lax cookie holding a *session*,
not the key: ``key_id.expires.hmac``, signed with the key's stored salted hash (a server-side secret that is
never sent anywhere). Revoking the key ends its sessions at once; a stolen cookie expires after
``session_hours`` and cannot be turned back into the key.

Dev mode: while no API key has ever been created (and ``dev_open_access`` is on), requests from loopback
get admin access and review actions take their actor from the X-Actor header / name sign-in, as before keys
existed; other clients get 401. The pages show a banner. Creating the first key ends dev mode for good.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPBearer

from core.config import Settings
from core.store import ApiKeyInfo, ApiKeys
from core.store.keys import role_rank
from service.deps import actor_from_request

SESSION_COOKIE = "zs_session"
API_KEY_HEADER = "X-API-Key"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})
"""'testclient' is what Starlette's TestClient reports; a real socket never yields that name."""
DEV_BANNER = "no API keys configured — open access on loopback only (create one: zhaoshang keys create)"


@dataclass(frozen=True)
class Principal:
    """Who is calling: a key's name and role, ``anonymous``/public, or the dev-mode local user."""

    name: str
    role: str
    key_id: str | None = None
    dev: bool = False

    def allows(self, role: str) -> bool:
        return role_rank(self.role) >= role_rank(role)

    @property
    def client_id(self) -> str | None:
        return f"key:{self.key_id}" if self.key_id else None


ANONYMOUS = Principal(name="anonymous", role="public")
_BEARER = HTTPBearer(auto_error=False, scheme_name="APIKey",
                     description="An API key from `zhaoshang keys create`: Authorization: Bearer zs_...")
"""Only documents the scheme in OpenAPI (/docs 'Authorize'); the key itself is read by ``presented_key``."""


def is_loopback(request: Request) -> bool:
    return request.client is not None and request.client.host in LOOPBACK_HOSTS


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    value = request.headers.get(API_KEY_HEADER)
    return value.strip() if value is not None else None


class Authenticator:
    """Verifies keys and sessions; verified keys are cached ``cache_seconds`` (revocation lag at most that).

    Not thread-safe for creation: built once per app (``get_auth``); its cache is guarded by a lock."""

    def __init__(self, keys: ApiKeys, settings: Settings, *, clock: Callable[[], float] = time.time,
                 cache_seconds: float = 10.0) -> None:
        self.keys, self.settings, self.clock, self.cache_seconds = keys, settings, clock, cache_seconds
        self._cache: dict[str, tuple[ApiKeyInfo | None, float]] = {}
        self._has_keys = False
        self._checked_at = -1e18
        self._lock = threading.Lock()

    # -- dev mode ------------------------------------------------------------
    def dev_mode(self) -> bool:
        """True while no key was ever created (rechecked every 2 s; once keys exist it stays off)."""
        if not self.settings.dev_open_access or self._has_keys:
            return False
        now = self.clock()
        if now - self._checked_at > 2.0:
            self._has_keys = self.keys.count() > 0
            self._checked_at = now
        return not self._has_keys

    # -- keys ------------------------------------------------------------------
    def verify_key(self, raw: str) -> ApiKeyInfo | None:
        digest = hashlib.sha256(raw.encode()).hexdigest()
        now = self.clock()
        with self._lock:
            hit = self._cache.get(digest)
        if hit is not None and hit[1] > now:
            return hit[0]
        info = self.keys.verify(raw)
        with self._lock:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[digest] = (info, now + self.cache_seconds)
        if info is not None:
            self._has_keys = True
        return info

    def forget(self) -> None:
        """Drop cached verifications (tests, or after revoking in-process)."""
        with self._lock:
            self._cache.clear()

    # -- sessions ----------------------------------------------------------------
    def _sign(self, secret_hash: str, payload: str) -> str:
        return hmac.new(secret_hash.encode(), payload.encode(), hashlib.sha256).hexdigest()

    def make_session(self, info: ApiKeyInfo) -> str:
        secret_hash = self.keys.secret_hash(info.key_id)
        if secret_hash is None:
            raise HTTPException(status_code=401, detail="this API key was revoked")
        payload = f"{info.key_id}.{int(self.clock() + self.settings.session_hours * 3600)}"
        return f"{payload}.{self._sign(secret_hash, payload)}"

    def from_session(self, cookie: str) -> ApiKeyInfo | None:
        parts = cookie.split(".")
        if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) < self.clock():
            return None
        secret_hash = self.keys.secret_hash(parts[0])
        if secret_hash is None or not hmac.compare_digest(parts[2], self._sign(secret_hash, f"{parts[0]}.{parts[1]}")):
            return None
        return self.keys.get(parts[0])

    # -- requests ----------------------------------------------------------------
    def principal(self, request: Request) -> Principal | None:
        """The caller, None when anonymous. A bad key raises 401."""
        raw = presented_key(request)
        if raw is not None:
            info = self.verify_key(raw)
            if info is None:
                raise HTTPException(status_code=401, detail="invalid or revoked API key",
                                    headers={"WWW-Authenticate": "Bearer"})
            return Principal(name=info.name, role=info.role, key_id=info.key_id)
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            info = self.from_session(cookie)
            if info is not None:
                return Principal(name=info.name, role=info.role, key_id=info.key_id)
        if self.dev_mode() and is_loopback(request):
            return Principal(name=actor_from_request(request) or "dev", role="admin", dev=True)
        return None


def get_auth(request: Request) -> Authenticator:
    state = request.app.state
    auth: Authenticator | None = getattr(state, "auth", None)
    if auth is None:
        auth = Authenticator(ApiKeys(state.services.store.db), state.settings,
                             cache_seconds=state.settings.api_key_cache_seconds)
        state.auth = auth
    return auth


def current_principal(request: Request) -> Principal:
    """The caller or ANONYMOUS; cached on the request."""
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    principal = get_auth(request).principal(request) or ANONYMOUS
    request.state.principal = principal
    return principal


def require(role: str) -> Callable[[Request], Principal]:
    """A dependency that lets through callers with ``role`` or stronger: 401 without a key, 403 too weak."""
    role_rank(role)

    def dependency(request: Request, _documented: Annotated[Any, Depends(_BEARER)] = None) -> Principal:
        principal = current_principal(request)
        if principal.allows(role):
            return principal
        if principal is ANONYMOUS:
            if get_auth(request).dev_mode():
                detail = "no API keys configured: open access is for loopback clients only; create a key with " \
                         "`zhaoshang keys create`"
            else:
                detail = f"this endpoint needs an API key with the {role} role: send Authorization: Bearer zs_..."
            raise HTTPException(status_code=401, detail=detail, headers={"WWW-Authenticate": "Bearer"})
        raise HTTPException(status_code=403, detail=f"this endpoint needs the {role} role; "
                                                    f"key {principal.name!r} has the {principal.role} role")

    return dependency


def review_actor(principal: Annotated[Principal, Depends(require("analyst"))], request: Request) -> str:
    """Who performs a review action: the key's name; in dev mode the X-Actor header or name sign-in."""
    if not principal.dev:
        return principal.name
    actor = actor_from_request(request)
    if actor is None:
        raise HTTPException(status_code=401, detail="sign in first: send the X-Actor header or use /signin")
    return actor


def rate_limited(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Token bucket per key (or client IP when anonymous) for policy search: 429 with Retry-After when empty."""
    from service.ratelimit import retry_after

    buckets = request.app.state.rate_limiter
    client = principal.client_id or f"ip:{request.client.host if request.client else 'unknown'}"
    wait = buckets.take(client)
    if wait > 0:
        raise HTTPException(status_code=429, detail=f"too many policy searches; retry in {retry_after(wait)} s",
                            headers={"Retry-After": retry_after(wait)})
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]
ReviewActorDep = Annotated[str, Depends(review_actor)]
Platform = Depends(require("platform"))
Analyst = Depends(require("analyst"))
Admin = Depends(require("admin"))
RateLimited = Depends(rate_limited)
