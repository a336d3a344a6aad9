"""The ``zhaoshang keys`` and ``zhaoshang webhooks`` command groups: API keys with roles, platform webhooks."""

from __future__ import annotations

from typing import Annotated

import typer

from cli_common import load_settings, opened_store, say

keys_app = typer.Typer(help="Create, list and revoke API keys (roles: public, platform, analyst, admin).",
                       no_args_is_help=True)
webhooks_app = typer.Typer(help="Platform webhooks: signed review events with retries.", no_args_is_help=True)


# -- keys ----------------------------------------------------------------------
@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option(help="public | platform | analyst | admin")],
    name: Annotated[str, typer.Option(help="Who holds the key; review actions are recorded under it.")],
) -> None:
    """Create a key and print it once (only a salted hash is stored)."""
    from core.store import ApiKeys

    with opened_store() as store:
        info, key = ApiKeys(store.db).create(name, role)
    typer.echo(key)
    say(f"created {info.role} key {info.key_id} for {info.name}; it is shown only now — keep it safe")


@keys_app.command("list")
def keys_list() -> None:
    """Every key: id, role, name, created, last used, revoked (never the secret)."""
    from core.store import ApiKeys

    with opened_store() as store:
        keys = ApiKeys(store.db).list_all()
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        used = f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "never"
        typer.echo(f"{k.key_id}  {k.role:8s}  {state:24s}  created {k.created_at:%Y-%m-%d %H:%M}  used {used}  {k.name}")
    if not keys:
        say("no API keys: the service runs in dev mode (open access on loopback only)")


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list` (or the whole key).")]) -> None:
    """Revoke a key; the service refuses it within seconds."""
    from core.store import ApiKeys

    with opened_store() as store:
        info = ApiKeys(store.db).revoke(key_id)
    say(f"revoked {info.role} key {info.key_id} ({info.name})")


# -- webhooks ------------------------------------------------------------------
@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="http(s) endpoint of the platform.")],
    action: Annotated[list[str] | None, typer.Option(help="Only these actions (repeat): approve, reject, ...")] = None,
    from_start: Annotated[bool, typer.Option("--from-start", help="Also send every past event.")] = False,
) -> None:
    """Register an endpoint; prints the signing secret once."""
    from core.store import Webhooks

    with opened_store() as store:
        hook = Webhooks(store.db).add(url, actions=action or [], from_start=from_start)
    typer.echo(hook.secret)
    say(f"webhook {hook.id} → {hook.url} (actions: {', '.join(hook.actions) or 'all'}); the line above is its "
        "HMAC-SHA256 secret")


@webhooks_app.command("list")
def webhooks_list() -> None:
    """Registered endpoints with their cursor and retry state."""
    from core.store import Webhooks

    with opened_store() as store:
        hooks = Webhooks(store.db).list_all()
    for h in hooks:
        retry = f"  retry #{h.attempts + 1} at {h.next_attempt_at:%H:%M:%S}" if h.next_attempt_at else ""
        typer.echo(f"{h.id}  {'active' if h.active else 'paused'}  after event {h.last_event_id}  "
                   f"{','.join(h.actions) or 'all'}  {h.url}{retry}")


@webhooks_app.command("remove")
def webhooks_remove(webhook_id: Annotated[int, typer.Argument(help="Id from `webhooks list`.")]) -> None:
    """Delete an endpoint and its delivery log."""
    from core.store import Webhooks

    with opened_store() as store:
        Webhooks(store.db).remove(webhook_id)
    say(f"removed webhook {webhook_id}")


@webhooks_app.command("deliver")
def webhooks_deliver() -> None:
    """One delivery pass now (the service also delivers every ZHAOSHANG_WEBHOOK_POLL_SECONDS)."""
    from core.store import Webhooks
    from service.webhooks import WebhookDispatcher

    settings = load_settings()
    with opened_store() as store:
        dispatcher = WebhookDispatcher(Webhooks(store.db), settings)
        try:
            attempts = dispatcher.deliver_due()
        finally:
            dispatcher.stop()
    say(f"{attempts} delivery attempts")


@webhooks_app.command("log")
def webhooks_log(
    webhook_id: Annotated[int | None, typer.Option("--id", help="One webhook only.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 20,
) -> None:
    """The delivery log, newest first."""
    from core.store import Webhooks

    with opened_store() as store:
        rows = Webhooks(store.db).deliveries(webhook_id, limit=limit)
    for d in rows:
        state = "ok" if d["ok"] else ("GAVE UP" if d["gave_up"] else "failed")
        typer.echo(f"{d['at']:%Y-%m-%d %H:%M:%S}  hook {d['webhook_id']}  event {d['event_id']}  try {d['attempt']}  "
                   f"{state}  {d['status_code'] or '-'}  {d['error'] or ''}")
