"""Service extract: POST /v1/extract runs the lead extractor on a text and answers with contract leads."""

from __future__ import annotations

from fastapi import APIRouter, Request

from service.auth import Platform
from service.deps import ServicesDep, SettingsDep
from service.errors import ERROR_RESPONSES, ErrorEnvelope, PayloadTooLarge
from service.responses import ExtractRequest, ExtractResponse

router = APIRouter(prefix="/v1", tags=["extract"], responses=ERROR_RESPONSES, dependencies=[Platform])

# A JSON body may spell each character as \uXXXX (6 bytes); anything longer cannot be within the limit.
_BYTES_PER_CHAR = 6


def check_body_size(request: Request, max_chars: int) -> None:
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > max_chars * _BYTES_PER_CHAR + 4096:
        raise PayloadTooLarge(f"request body of {int(length)} bytes is too large; text may have at most {max_chars} characters")


@router.post("/extract", response_model=ExtractResponse, summary="Extract investment leads from a text",
             responses={413: {"model": ErrorEnvelope, "description": "Text longer than max_extract_chars"}})
def extract(body: ExtractRequest, request: Request, services: ServicesDep, settings: SettingsDep) -> ExtractResponse:
    check_body_size(request, settings.max_extract_chars)
    if len(body.text) > settings.max_extract_chars:
        raise PayloadTooLarge(
            f"text has {len(body.text)} characters; the limit is {settings.max_extract_chars} (ZHAOSHANG_MAX_EXTRACT_CHARS)"
        )
    if not body.text.strip():
        return ExtractResponse(leads=[])
    result = services.extractor.extract(body.text, body.publish_date)
    return ExtractResponse(leads=list(result.leads))
