"""Service pages: sign-in, the analysts' review queue and the investors' policy search (Jinja2, autoescaped)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from core.errors import InputError, ModelError, NotFoundError
from core.schemas import REVIEW_STATUSES, STAGES
from core.store import LeadFilter
from nlp.normalize import normalize
from service.auth import DEV_BANNER, SESSION_COOKIE, current_principal, get_auth, rate_limited
from service.deps import ACTOR_COOKIE, MAX_ACTOR_CHARS, ServicesDep, actor_from_request
from service.highlight import evidence_in_context, highlight, query_terms
from service.responses import PolicySearchRequest
from service.routes.leads import decode_cursor, encode_cursor
from service.routes.policies import run_policy_search

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 20


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    templates = request.app.state.templates
    context = {"actor": signed_in(request), "dev_banner": DEV_BANNER if get_auth(request).dev_mode() else None,
               "key_signin": not get_auth(request).dev_mode()} | context
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status_code)
    return response


def signed_in(request: Request) -> str | None:
    """The name shown in the header: the analyst's key name, or in dev mode the name signed in with."""
    try:
        principal = current_principal(request)
    except HTTPException:
        return None
    if principal.dev:
        return actor_from_request(request)
    return principal.name if principal.key_id else None


def can_review(request: Request) -> bool:
    principal = current_principal(request)
    if principal.dev:
        return actor_from_request(request) is not None
    return principal.allows("analyst")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/review"


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/review", status_code=307)


@router.get("/signin", response_class=HTMLResponse)
def signin_form(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "signin.html", {"next": _safe_next(next), "error": None})


@router.post("/signin", response_model=None)
def signin(request: Request, name: Annotated[str, Form()] = "", key: Annotated[str, Form()] = "",
           next: Annotated[str, Form()] = "/review") -> Response:
    """With API keys: an analyst key starts a session cookie. Dev mode (no keys yet): a name is enough."""
    auth = get_auth(request)
    if not auth.dev_mode():
        info = auth.verify_key(key.strip()) if key.strip() else None
        error = None
        if info is None:
            error = "invalid or revoked API key"
        elif info.role not in ("analyst", "admin"):
            error = f"the review page needs an analyst key; {info.name!r} has the {info.role} role"
        if info is None or error:
            return render(request, "signin.html", {"next": _safe_next(next), "error": error}, status_code=401)
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, auth.make_session(info), httponly=True, samesite="lax",
                            secure=request.url.scheme == "https", max_age=int(auth.settings.session_hours * 3600))
        return response
    name = name.strip()
    if not name or len(name) > MAX_ACTOR_CHARS or any(ord(ch) < 32 for ch in name):
        return render(request, "signin.html", {"next": _safe_next(next),
                                                "error": f"enter your name (1–{MAX_ACTOR_CHARS} characters)"},
                      status_code=422)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(ACTOR_COOKIE, quote(name), httponly=True, samesite="lax", max_age=30 * 24 * 3600)
    return response


@router.post("/signout")
def signout() -> RedirectResponse:
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(ACTOR_COOKIE)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/review", response_class=HTMLResponse, response_model=None)
def review(
    request: Request,
    services: ServicesDep,
    status: str = "new",
    stage: str = "",
    industry: str = "",
    region: str = "",
    q: Annotated[str, Query(max_length=200)] = "",
    cursor: str = "",
) -> Response:
    if not can_review(request):
        return RedirectResponse("/signin?" + urlencode({"next": str(request.url.path)}), status_code=303)
    store = services.store
    error = None
    leads: list[Any] = []
    next_cursor = None
    total = 0
    try:
        region_code = services.regions.resolve(region).code if region.strip() else None
        filters = LeadFilter(status=status or None, stage=stage or None, industry=industry.strip() or None,
                             region_code=region_code, text=q.strip() or None)
        rows = store.list_leads(filters, limit=PAGE_SIZE + 1, after_id=decode_cursor(cursor) if cursor else None)
        total = store.count_leads(filters)
        if len(rows) > PAGE_SIZE:
            rows = rows[:PAGE_SIZE]
            next_cursor = encode_cursor(rows[-1].id)
        docs: dict[int, Any] = {}
        texts: dict[int, str] = {}  # normalised like the extractor's input, so the evidence is found verbatim
        for lead in rows:
            doc = None
            if lead.document_id is not None:
                if lead.document_id not in docs:
                    try:
                        docs[lead.document_id] = store.get_document(lead.document_id)
                        texts[lead.document_id] = normalize(docs[lead.document_id].text).text
                    except NotFoundError:
                        docs[lead.document_id] = None
                doc = docs[lead.document_id]
            doc_text = texts.get(lead.document_id) if lead.document_id is not None else None
            context, found = evidence_in_context(doc_text, lead.evidence)
            doc_url = doc.url if doc and doc.url.lower().startswith(("http://", "https://")) else None
            leads.append({"lead": lead, "doc": doc, "doc_url": doc_url, "context": context, "found": found,
                          "path": " › ".join(services.regions.path(lead.region_code)) if lead.region_code else ""})
    except InputError as exc:
        error = str(exc)
    filters_qs = urlencode({k: v for k, v in {"status": status, "stage": stage, "industry": industry,
                                                "region": region, "q": q}.items() if v})
    return render(request, "review.html", {
        "leads": leads, "total": total, "next_cursor": next_cursor, "error": error, "stages": STAGES,
        "statuses": REVIEW_STATUSES, "f": {"status": status, "stage": stage, "industry": industry, "region": region,
                                           "q": q},
        "filters_qs": filters_qs,
    }, status_code=422 if error else 200)


@router.get("/policies", response_class=HTMLResponse)
def policies_page(
    request: Request,
    services: ServicesDep,
    q: Annotated[str, Query(max_length=2000)] = "",
    province: str = "",
    city: str = "",
    county: str = "",
    region: str = "",
    industry: str = "",
    include_expired: bool = False,
) -> HTMLResponse:
    picked = {"province": province.strip(), "city": city.strip(), "county": county.strip()}
    results: list[dict[str, Any]] = []
    error = None
    status_code = 200
    if region.strip() and not any(picked.values()):  # one name or code (安庆, 340800) fills the pickers, for links
        try:
            chain = services.regions.ancestors(services.regions.resolve(region.strip()).code)
            picked.update({r.level: r.code for r in chain if r.level in picked})
        except InputError as exc:
            error, status_code = str(exc), 422
    chosen = picked["county"] or picked["city"] or picked["province"] or None
    region_name = None
    headers: dict[str, str] = {}
    if q.strip() and error is None:
        try:
            rate_limited(request, current_principal(request))
            found = run_policy_search(services, PolicySearchRequest(
                q=q, region=chosen, industry=industry.strip() or None, include_expired=include_expired))
            terms = query_terms(q)
            region_name = services.regions.get(found.region_code).name if found.region_code else None
            for match in found.results:
                results.append({"m": match, "title": highlight(match.title, terms),
                                "clauses": [highlight(c, terms) for c in match.matched_clauses]})
        except InputError as exc:
            error, status_code = str(exc), 422
        except ModelError as exc:
            error, status_code = str(exc), 503
        except HTTPException as exc:  # 401 bad key, 429 rate limited: shown in the page
            error, status_code = str(exc.detail), exc.status_code
            headers = dict(exc.headers or {})
    options = {
        "province": services.region_children(None),
        "city": services.region_children(picked["province"]) if picked["province"] else [],
        "county": services.region_children(picked["city"]) if picked["city"] else [],
    }
    response = render(request, "policies.html", {
        "q": q, "industry": industry, "include_expired": include_expired, "picked": picked, "options": options,
        "results": results, "error": error, "region_name": region_name, "searched": bool(q.strip()),
    }, status_code=status_code)
    response.headers.update(headers)
    return response
