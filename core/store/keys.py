"""Store API keys: create (the secret is shown once), verify, list and revoke; only salted sha256 hashes are kept.

A key reads ``zs_<key_id>_<secret>``: ``key_id`` (public, 12 hex) finds the row, ``secret`` (43 url-safe
characters, 256 bits) is checked against ``sha256(salt + secret)`` in constant time. The secrets are random,
so a fast hash is enough (no password stretching needed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from core.errors import InputError, NotFoundError
from core.store.db import Database
from core.store.tables import ApiKeyRow, utcnow

ROLES: tuple[str, ...] = ("public", "platform", "analyst", "admin")
"""Weakest first: public = investor policy search; platform = read-only API; analyst = review; admin = all."""

KEY_PREFIX = "zs_"
_KEY_RE = re.compile(r"^zs_([0-9a-f]{12})_([A-Za-z0-9_-]{20,100})$")
MAX_NAME_CHARS = 100


@dataclass(frozen=True)
class ApiKeyInfo:
    """A key as listed: never its secret."""

    key_id: str
    name: str
    role: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def role_rank(role: str) -> int:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    return ROLES.index(role)


def hash_secret(salt: str, secret: str) -> str:
    return hashlib.sha256((salt + secret).encode()).hexdigest()


def split_key(raw: str) -> tuple[str, str] | None:
    """``(key_id, secret)`` of a well-formed key, else None."""
    match = _KEY_RE.match(raw.strip())
    return (match.group(1), match.group(2)) if match else None


def _info(row: ApiKeyRow) -> ApiKeyInfo:
    return ApiKeyInfo(key_id=row.key_id, name=row.name, role=row.role, created_at=row.created_at,
                      last_used_at=row.last_used_at, revoked_at=row.revoked_at)


class ApiKeys:
    """Repository of API keys over a ``Database`` (``ApiKeys(store.db)``)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, name: str, role: str) -> tuple[ApiKeyInfo, str]:
        """A new key; returns its info and the full key, which is never stored nor shown again."""
        name = name.strip()
        if not name or len(name) > MAX_NAME_CHARS or any(ord(ch) < 32 for ch in name):
            raise InputError(f"a key needs a name of 1–{MAX_NAME_CHARS} printable characters")
        role_rank(role)
        key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_hex(16)
        with self.db.session() as s:
            row = ApiKeyRow(key_id=key_id, name=name, role=role, salt=salt, secret_hash=hash_secret(salt, secret))
            s.add(row)
            s.flush()
            info = _info(row)
        return info, f"{KEY_PREFIX}{key_id}_{secret}"

    def verify(self, raw: str, *, touch: bool = True) -> ApiKeyInfo | None:
        """The active key ``raw`` names, or None (malformed, unknown, wrong secret or revoked)."""
        parts = split_key(raw)
        if parts is None:
            return None
        key_id, secret = parts
        with self.db.session() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).first()
            if row is None or row.revoked_at is not None:
                return None
            if not hmac.compare_digest(row.secret_hash, hash_secret(row.salt, secret)):
                return None
            if touch:
                row.last_used_at = utcnow()
            return _info(row)

    def get(self, key_id: str) -> ApiKeyInfo:
        with self.db.session() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).first()
            if row is None:
                raise NotFoundError(f"no API key {key_id!r}")
            return _info(row)

    def secret_hash(self, key_id: str) -> str | None:
        """The stored hash of an active key (the service signs review-page sessions with it), else None."""
        with self.db.session() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).first()
            return row.secret_hash if row is not None and row.revoked_at is None else None

    def list_all(self, *, include_revoked: bool = True) -> list[ApiKeyInfo]:
        with self.db.session() as s:
            stmt = select(ApiKeyRow).order_by(ApiKeyRow.id)
            if not include_revoked:
                stmt = stmt.where(ApiKeyRow.revoked_at.is_(None))
            return [_info(r) for r in s.scalars(stmt).all()]

    def revoke(self, key_id: str) -> ApiKeyInfo:
        """Revoke a key (idempotent: revoking twice keeps the first time)."""
        key_id = key_id.strip().removeprefix(KEY_PREFIX).split("_", 1)[0]
        with self.db.session() as s:
            row = s.scalars(select(ApiKeyRow).where(ApiKeyRow.key_id == key_id)).first()
            if row is None:
                raise NotFoundError(f"no API key {key_id!r}; see `zhaoshang keys list`")
            if row.revoked_at is None:
                row.revoked_at = utcnow()
            return _info(row)

    def count(self, *, active_only: bool = False) -> int:
        """Keys ever created (revoked ones included unless ``active_only``): dev mode needs zero."""
        with self.db.session() as s:
            stmt = select(func.count()).select_from(ApiKeyRow)
            if active_only:
                stmt = stmt.where(ApiKeyRow.revoked_at.is_(None))
            return int(s.scalar(stmt) or 0)
