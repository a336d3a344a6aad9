"""Service app: ``create_app(settings, services)`` wires the lifespan, error handler, routes, pages and static files."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from core.config import Settings, get_settings
from service.deps import Services, build_services
from service.errors import install_error_handlers
from service.ratelimit import TokenBuckets
from service.routes import documents, events, extract, health, leads, match, pages, policies, review

HERE = Path(__file__).parent
API_VERSION = "1"


def plain_number(value: float | None) -> str:
    """An amount for an input field: 20000000000.0 → "20000000000", 0.5 → "0.5", None → ""."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def chinese_amount(value: float | None) -> str:
    """An amount as analysts read it: 1.5e9 → "15亿", 5.1e7 → "5100万", 8000 → "8000"."""
    if value is None:
        return ""
    for unit, size in (("亿", 1e8), ("万", 1e4)):
        if abs(value) >= size:
            return f"{value / size:.4f}".rstrip("0").rstrip(".") + unit
    return plain_number(value)


def make_templates() -> Jinja2Templates:
    """Autoescape ON for every template: crawled titles and evidence are hostile."""
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined)
    env.filters["plain_number"] = plain_number
    env.filters["chinese_amount"] = chinese_amount
    return Jinja2Templates(env=env)


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    """The ASGI app. ``services`` injected by tests is used as is (and not closed); otherwise built at startup."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services if services is not None else build_services(settings)
        dispatcher = None
        if settings.webhook_poll_seconds > 0:
            from core.store import Webhooks
            from service.webhooks import WebhookDispatcher

            dispatcher = WebhookDispatcher(Webhooks(app.state.services.store.db), settings)
            dispatcher.start()
        try:
            yield
        finally:
            if dispatcher is not None:
                dispatcher.stop()
            if owned:
                app.state.services.close()

    app = FastAPI(
        title="zhaoshang 招商",
        version=API_VERSION,
        summary="Investment leads mined from the news, matched to industries and applicable policies.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.templates = make_templates()
    app.state.rate_limiter = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)
    if services is not None:
        app.state.services = services
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "Authorization", "X-API-Key", "X-Actor"],
                           expose_headers=["Retry-After"])
    install_error_handlers(app)
    for router in (health.router, leads.router, review.router, extract.router, match.router, events.router,
                   documents.router, policies.router, pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    return app


def app_factory() -> FastAPI:
    """For ``uvicorn --factory service.app:app_factory``."""
    return create_app()
