"""Settings: the one configuration object, read from ZHAOSHANG_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every tunable of zhaoshang. Environment variables use the prefix ``ZHAOSHANG_``."""

    model_config = SettingsConfigDict(env_prefix="ZHAOSHANG_", extra="ignore")

    home: Path = Field(default=Path("./var"), description="Data directory: database, indexes, models, crawl state.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is SQLite at $ZHAOSHANG_HOME/zhaoshang.db."
    )
    redis_url: str | None = Field(default=None, description="Redis URL; when set the crawl is distributed (scrapy-redis).")
    embedder: Literal["static", "fake", "path"] = Field(
        default="static",
        description="static: zhaoshang's distilled model (built locally); fake: hashing embedder for tests; "
        "path: any sentence-transformers directory given by embedding_model_path.",
    )
    embedding_model_path: Path | None = Field(default=None, description="Local sentence-transformers model directory.")
    static_vocab_size: int = Field(default=60000, ge=1000, description="Words in the distilled static model's vocabulary.")
    taxonomy: Literal["anhui_ten_emerging", "strategic_emerging_2018", "gbt4754_2017"] = Field(
        default="anhui_ten_emerging", description="Active industry taxonomy."
    )
    host: str = Field(default="127.0.0.1", description="API bind address.")
    port: int = Field(default=8000, ge=0, le=65535, description="API port.")
    sample_site_port: int = Field(default=8765, ge=0, le=65535, description="Bundled sample site port.")
    max_extract_chars: int = Field(default=200_000, ge=1, description="Largest text /v1/extract accepts.")
    crawl_max_pages: int = Field(default=5000, ge=1, description="Safety cap on pages per crawl.")
    crawl_download_max_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="Largest response the crawler accepts.")
    cors_origins: list[str] = Field(default_factory=list, description="Origins allowed by CORS.")
    rate_limit_per_minute: int = Field(default=60, ge=0, description="Policy searches per minute per client key/IP (0: no limit).")
    rate_limit_burst: int = Field(default=20, ge=1, description="Token-bucket size: searches a client may make at once.")
    dev_open_access: bool = Field(
        default=True, description="While NO API key exists, loopback clients get open (admin) access: the local demo. "
        "Set false in production; create keys with `zhaoshang keys create`.")
    api_key_cache_seconds: float = Field(default=10.0, ge=0, description="How long the service trusts a verified key "
                                         "(a revoked key is refused after at most this).")
    session_hours: float = Field(default=12.0, gt=0, description="How long a review-page sign-in lasts.")
    webhook_poll_seconds: float = Field(default=2.0, ge=0, description="How often the service delivers webhooks (0: off).")
    webhook_max_attempts: int = Field(default=6, ge=1, description="Tries per webhook event before it is given up.")
    webhook_backoff_seconds: float = Field(default=2.0, gt=0, description="First retry delay; doubles per attempt.")
    webhook_timeout_seconds: float = Field(default=5.0, gt=0, description="HTTP timeout of one webhook delivery.")

    @field_validator("database_url")
    @classmethod
    def _non_empty(cls, value: str | None) -> str | None:
        return value or None

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'zhaoshang.db').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def crawl_dir(self) -> Path:
        return self.home / "crawl"

    def ensure_dirs(self) -> None:
        for path in (self.home, self.index_dir, self.models_dir, self.crawl_dir):
            path.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, built once. Tests call ``get_settings.cache_clear()`` after changing env."""
    return Settings()
