"""``genguard keys``: create, list and revoke API keys (secrets are shown once)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from genguard.auth.keys import create_key, list_keys, revoke_key
from genguard.vocabulary import Role
from genguard.cli.store import cli_store

app = typer.Typer(help="API keys and their roles.", no_args_is_help=True)


@app.command()
def create(
    role: Annotated[Role, typer.Option(help="admin | service | reviewer | auditor")],
    name: Annotated[str, typer.Option(help="who or what uses the key")] = "cli",
) -> None:
    """Create a key and print its secret once; only its hash is stored."""
    store = cli_store()
    try:
        new = create_key(store, role, name, actor="cli")
    finally:
        store.close()
    typer.echo(f"key {new.key_id} ({role.value}, {name}): {new.secret}")


@app.command("list")
def list_() -> None:
    """List keys (never their secrets)."""
    store = cli_store()
    try:
        keys = list_keys(store)
    finally:
        store.close()
    table = Table("id", "name", "prefix", "role", "created", "revoked", "last used")
    for k in keys:
        table.add_row(str(k.key_id), k.name, k.prefix, k.role.value, f"{k.created_at:%Y-%m-%d %H:%M}",
                      f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
                      f"{k.last_used_at:%Y-%m-%d %H:%M}" if k.last_used_at else "")
    Console().print(table)


@app.command()
def revoke(key_id: Annotated[int, typer.Argument(help="the key's id")]) -> None:
    """Revoke a key: it stops authenticating at once."""
    store = cli_store()
    try:
        revoke_key(store, key_id, actor="cli")
    finally:
        store.close()
    typer.echo(f"key {key_id} revoked")
