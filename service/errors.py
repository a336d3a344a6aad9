"""Service errors: the one place that maps core.errors (and request problems) to HTTP status codes.

Every error body has the same envelope: ``{"error": {"code": "...", "message": "..."}}``.
InputError→422, NotFoundError→404, ConflictError→409, ConfigError/StoreError/ModelError→503,
PayloadTooLarge→413, request validation→422, anything unexpected→500 (logged, no internals leaked).
Auth (service.auth) raises HTTPException: 401 no/bad key, 403 role too weak, 429 rate limited (+ Retry-After).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.errors import (
    ConfigError,
    ConflictError,
    InputError,
    ModelError,
    NotFoundError,
    StoreError,
    ZhaoshangError,
)

log = logging.getLogger(__name__)


class PayloadTooLarge(ZhaoshangError):
    """A request body is larger than the service accepts (HTTP 413)."""


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorEnvelope(BaseModel):
    """The body of every error response."""

    error: ErrorBody


# Most specific first: DocumentError is an InputError.
_STATUS: tuple[tuple[type[ZhaoshangError], int, str], ...] = (
    (PayloadTooLarge, 413, "payload_too_large"),
    (InputError, 422, "invalid_input"),
    (NotFoundError, 404, "not_found"),
    (ConflictError, 409, "conflict"),
    (ConfigError, 503, "config_error"),
    (StoreError, 503, "store_unavailable"),
    (ModelError, 503, "model_unavailable"),
)

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
               409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "invalid_input",
               429: "rate_limited", 503: "unavailable"}

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorEnvelope, "description": desc}
    for status, desc in ((401, "No or invalid API key"), (403, "The key's role is too weak"), (404, "Not found"),
                         (409, "Version conflict"), (422, "Invalid input"), (503, "Unavailable"))
}


def envelope(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"code": code, "message": message}})


def status_for(exc: ZhaoshangError) -> tuple[int, str]:
    for cls, status, code in _STATUS:
        if isinstance(exc, cls):
            return status, code
    return 500, "internal_error"


def _describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers; called once by create_app."""

    @app.exception_handler(ZhaoshangError)
    async def _domain(request: Request, exc: ZhaoshangError) -> JSONResponse:
        status, code = status_for(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc)
        return envelope(status, code, str(exc) or code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return envelope(422, "invalid_request", _describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        response = envelope(exc.status_code, code, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return envelope(500, "internal_error", "internal error; see the server log")
