"""The ``zhaoshang`` command: sample site, crawl, mine, index, serve, extract, policies, model, run; keys and webhooks."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from cli_admin import keys_app, webhooks_app  # noqa: E402
from cli_common import Progress, load_settings, opened_store, say  # noqa: E402
from core.config import Settings  # noqa: E402
from core.errors import ConfigError, InputError, NotFoundError, ZhaoshangError  # noqa: E402

app = typer.Typer(help="zhaoshang (招商): mine investment leads and match policies from Chinese public text.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
policies_app = typer.Typer(help="Import and search support policies.", no_args_is_help=True)
model_app = typer.Typer(help="Build or inspect the embedding model.", no_args_is_help=True)
app.add_typer(policies_app, name="policies")
app.add_typer(keys_app, name="keys")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(model_app, name="model")


def _components(settings: Settings, progress: bool):  # type: ignore[no-untyped-def]
    import jobs

    say(f"loading models (embedder: {settings.embedder}) ...")
    return jobs.load_components(settings, progress=progress)


# -- sample site and crawl ---------------------------------------------------
@app.command("sample-site")
def sample_site(
    host: Annotated[str, typer.Option(help="Bind address.")] = "127.0.0.1",
    port: Annotated[int | None, typer.Option(help="Port (default ZHAOSHANG_SAMPLE_SITE_PORT, 8765).")] = None,
) -> None:
    """Serve the bundled government-portal-like sample site until Ctrl-C."""
    from crawler.sample_site import make_sample_site

    server = make_sample_site(host, port if port is not None else load_settings().sample_site_port)
    say(f"sample site at {server.base_url}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def crawl(
    sources: Annotated[list[str] | None, typer.Argument(help="Source names (crawler/sources/*.yaml).")] = None,
    all_sources: Annotated[bool, typer.Option("--all", help="Crawl every configured source.")] = False,
    sample_site_url: Annotated[str | None, typer.Option(help="Base URL of a running sample site.")] = None,
    progress: Progress = True,
) -> None:
    """Crawl sources into the store (incremental: known unchanged pages are skipped)."""
    from crawler.run import run_crawl
    from crawler.sources import load_sources

    settings = load_settings()
    chosen = load_sources(names=None if all_sources else (sources or []), sample_site_url=sample_site_url)
    if not chosen:
        raise InputError("name at least one source, or use --all (see crawler/sources/*.yaml)")
    stats = run_crawl(chosen, settings=settings, progress=progress)
    say(f"crawl done: {stats.summary()}")


@app.command()
def mine(
    everything: Annotated[bool, typer.Option("--all", help="Re-mine every document, not only new ones.")] = False,
    progress: Progress = True,
) -> None:
    """Extract leads from stored news documents."""
    import jobs

    settings = load_settings()
    comps = _components(settings, progress)
    store = jobs.open_store(settings)
    stats = jobs.mine(store, comps.extractor, everything=everything, progress=progress)
    say(f"mined {stats.documents} documents: {stats.leads} leads; {len(stats.failed)} failed")
    for doc_id, reason in list(stats.failed.items())[:10]:
        say(f"  document {doc_id}: {reason}")


@app.command()
def index(
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild from scratch instead of updating in place.")] = False,
    progress: Progress = True,
) -> None:
    """Parse crawled policy documents into clauses and (re)build the policy search index."""
    import jobs

    settings = load_settings()
    comps = _components(settings, progress)
    store = jobs.open_store(settings)
    synced = jobs.sync_policy_documents(store, comps.regions)
    if rebuild:
        search = jobs.build_policy_index(settings, store, comps.embedder, comps.regions)
    else:
        search = jobs.update_policy_index(settings, store, comps.embedder, comps.regions, synced)
    counts = store.counts()
    say(f"indexed {len(search)} policies ({counts['clauses']} clauses; {len(synced)} from crawled documents) "
        f"into {jobs.policy_index_dir(settings)}")


def _auth_notice(settings: Settings) -> None:
    """Say whether the service runs with API keys or in dev mode (no keys: open access on loopback only)."""
    from core.store import ApiKeys

    with opened_store() as store:
        keys = ApiKeys(store.db).count()
    if keys:
        say(f"auth:          {keys} API key(s); the review page signs in with an analyst key")
    elif settings.dev_open_access:
        say("auth:          no API keys configured — open access on loopback only (dev mode). "
            "Create one: zhaoshang keys create --role admin --name YOU")
    else:
        say("auth:          no API keys and ZHAOSHANG_DEV_OPEN_ACCESS=false: only public policy search works; "
            "create one: zhaoshang keys create --role analyst --name YOU")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default ZHAOSHANG_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default ZHAOSHANG_PORT, 8000).")] = None,
) -> None:
    """Serve the API, the review page and the policy search page."""
    import uvicorn

    from service.app import create_app

    settings = load_settings()
    host, port = host or settings.host, port if port is not None else settings.port
    say(f"API:           http://{host}:{port}/v1/leads  (docs: http://{host}:{port}/docs)")
    say(f"review page:   http://{host}:{port}/review")
    say(f"policy search: http://{host}:{port}/policies")
    _auth_notice(settings)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


# -- contracts ---------------------------------------------------------------
@app.command()
def extract(
    input_path: Annotated[Path, typer.Option("--input", help="JSONL lines {id, text, publish_date}.")],
    output_path: Annotated[Path, typer.Option("--output", help="JSONL lines {id, leads: [...]}.")],
    progress: Progress = True,
) -> None:
    """Extract leads from a JSONL file (the extract contract)."""
    import jobs
    from core.schemas import ExtractInput

    settings = load_settings()
    jobs.read_jsonl(input_path, ExtractInput)  # fail fast, before loading models
    comps = _components(settings, progress)
    docs, leads = jobs.extract_file(comps.extractor, input_path, output_path, progress=progress,
                                    on_error=lambda i, e: say(f"warning: document {i}: {e}"))
    say(f"{docs} documents, {leads} leads → {output_path}")


@policies_app.command("import")
def policies_import(
    path: Annotated[Path, typer.Argument(help="JSONL lines {id, title, issuer_region, publish_date, text, source_url}.")],
    progress: Progress = True,
) -> None:
    """Upsert policies by id (all lines or none), then refresh the search index."""
    import jobs
    from nlp.regions import default_regions

    settings = load_settings()
    store = jobs.open_store(settings)
    created, updated, ids = jobs.import_policies(store, path, default_regions())
    say(f"imported {created + updated} policies: {created} new, {updated} updated")
    comps = _components(settings, progress)
    search = jobs.update_policy_index(settings, store, comps.embedder, comps.regions, ids)
    say(f"index updated: {len(search)} policies")


@policies_app.command("search")
def policies_search(
    text: Annotated[str | None, typer.Argument(help="Free-text query, e.g. '安庆 生物医药 工厂'.")] = None,
    region: Annotated[str | None, typer.Option(help="Region name or code, e.g. 合肥市 or 340100.")] = None,
    input_path: Annotated[Path | None, typer.Option("--input", help="JSONL lines {id, query, region}.")] = None,
    output_path: Annotated[Path | None, typer.Option("--output", help="JSONL lines {id, results: [...]}.")] = None,
    top: Annotated[int, typer.Option(min=1, max=100, help="Results per query.")] = 10,
) -> None:
    """Search applicable policies for a query or a JSONL file of queries."""
    import jobs
    from core.schemas import PolicyQuery

    if (text is None) == (input_path is None):
        raise InputError("give either a query text or --input FILE (with --output FILE)")
    if input_path is not None and output_path is None:
        raise InputError("--input needs --output")
    queries = jobs.read_jsonl(input_path, PolicyQuery) if input_path else [PolicyQuery(id="q", query=text or "", region=region)]
    settings = load_settings()
    comps = _components(settings, False)
    search = jobs.load_policy_index(settings, comps.embedder, comps.regions)
    results = jobs.search_policies(search, queries, top=top)
    if output_path is not None:
        jobs.write_jsonl_atomic(output_path, results)
        say(f"{len(results)} queries → {output_path}")
        return
    for rank, hit in enumerate(results[0].results, start=1):
        typer.echo(f"{rank:2d}. [{hit.policy_id}] {hit.title}  ({hit.score:.3f})")
        if hit.matched_clause:
            typer.echo(f"    {hit.matched_clause[:160]}")
    if not results[0].results:
        typer.echo("no applicable policy found")


@model_app.command("build")
def model_build(force: Annotated[bool, typer.Option("--force", help="Rebuild even if cached.")] = False) -> None:
    """Distil zhaoshang's default static embedding model (Apache-2.0 teacher) into the data dir."""
    from models.distill import build_static_model

    path = build_static_model(load_settings(), force=force)
    say(f"model ready at {path}")


# -- the whole job -------------------------------------------------------------
@app.command()
def run(
    port: Annotated[int | None, typer.Option(help="API port (default ZHAOSHANG_PORT, 8000).")] = None,
    serve_api: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the API at the end.")] = True,
    progress: Progress = True,
) -> None:
    """Start the sample site, crawl it, mine leads, index policies, then serve the API and review page."""
    import jobs
    from crawler.run import run_crawl
    from crawler.sample_site import make_sample_site
    from crawler.sources import load_sources

    settings = load_settings()
    site = make_sample_site("127.0.0.1", settings.sample_site_port).start()
    say(f"[1/5] sample site at {site.base_url}/")
    try:
        sources = load_sources(names=None, sample_site_url=site.base_url, sample_only=True)
        stats = run_crawl(sources, settings=settings, progress=progress)
        say(f"[2/5] crawled: {stats.summary()}")
        comps = _components(settings, progress)
        store = jobs.open_store(settings)
        mined = jobs.mine(store, comps.extractor, progress=progress)
        say(f"[3/5] mined {mined.documents} documents: {mined.leads} leads ({len(mined.failed)} failed)")
        synced = jobs.sync_policy_documents(store, comps.regions)
        search = jobs.update_policy_index(settings, store, comps.embedder, comps.regions, synced)
        say(f"[4/5] indexed {len(search)} policies ({store.counts()['clauses']} clauses)")
        if serve_api:
            say("[5/5] serving (Ctrl-C to stop)")
            serve(host=None, port=port)
    finally:
        site.shutdown()
        site.server_close()


def main() -> None:
    logging.basicConfig(level=os.environ.get("ZHAOSHANG_LOG_LEVEL", "WARNING"), format="%(levelname)s %(name)s: %(message)s")
    try:
        app(standalone_mode=False)
    except ZhaoshangError as exc:
        say(f"error: {exc}")
        sys.exit(2 if isinstance(exc, InputError | ConfigError | NotFoundError) else 1)
    except typer.Abort:
        say("aborted")
        sys.exit(130)
    except KeyboardInterrupt:
        say("interrupted")
        sys.exit(130)
    except Exception as exc:
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        raise


if __name__ == "__main__":
    main()
