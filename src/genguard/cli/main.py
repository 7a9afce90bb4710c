"""The ``genguard`` command: serve, screen, audit, keys, db, eval."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:  # typer vendors click; these are the classes its groups take and return
    from typer._click import Command, Context

#: Command name -> (module, attribute): a Typer sub-app or a command function. Each is imported
#: only when its command runs, so ``genguard keys create`` never imports the screening models'
#: code (see docs/architecture.md, "CLI start-up").
_LAZY = {
    "screen": ("genguard.cli.screen", "screen"),
    "audit": ("genguard.cli.audit", "app"),
    "keys": ("genguard.cli.keys", "app"),
    "banks": ("genguard.cli.banks", "app"),
    "likeness": ("genguard.cli.likeness", "app"),
    "cases": ("genguard.cli.cases", "app"),
    "reports": ("genguard.cli.cases", "reports_app"),
    "eval": ("genguard.cli.eval", "app"),
    "provenance": ("genguard.cli.provenance", "app"),
    "gateway": ("genguard.cli.gateway", "gateway"),
    "verify-receipt": ("genguard.cli.receipts", "verify_receipt"),
    "worker": ("genguard.cli.worker", "worker"),
    "scan": ("genguard.cli.scan", "scan"),
}


class _LazyGroup(TyperGroup):
    """The top-level group: the commands in ``_LAZY`` are built from their module on first use."""

    def list_commands(self, ctx: Context) -> list[str]:
        return [*_LAZY, *super().list_commands(ctx)]

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in _LAZY:
            return super().get_command(ctx, cmd_name)
        module, attribute = _LAZY[cmd_name]
        target = getattr(importlib.import_module(module), attribute)
        # Registered on a throwaway parent exactly as ``add_typer``/``command`` would have been.
        parent = typer.Typer(add_completion=False)
        if isinstance(target, typer.Typer):
            parent.add_typer(target, name=cmd_name)
        else:
            parent.command(name=cmd_name)(target)
        return typer.main.get_group(parent).get_command(ctx, cmd_name)

app = typer.Typer(help="genguard: screening and platform safety against sexual deepfakes and child abuse.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False, cls=_LazyGroup)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="bind address")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes")] = 1,
) -> None:
    """Run the HTTP service with the bundled models and the configured database."""
    import uvicorn
    from rich.console import Console

    from genguard.auth.keys import create_key, list_keys
    from genguard.vocabulary import Role
    from genguard.config import Settings
    from genguard.cli.store import cli_store

    settings = Settings()
    console = Console()
    store = cli_store(settings)
    # A fresh database gets one admin key so the operator can create the rest over the API.
    secret = None if list_keys(store) else create_key(store, Role.ADMIN, "first-admin", actor="system").secret
    store.close()
    base = f"http://{host}:{port}"
    console.print(f"genguard on [bold]{base}[/]   API docs: {base}/docs")
    if secret:
        console.print(f"first admin API key (shown once, store it now): [bold]{secret}[/]")
    else:
        console.print("admin keys exist; create more with `genguard keys create --role admin`")
    uvicorn.run("genguard.api.main:app", host=host, port=port, workers=workers, log_level="info")


@app.command("db-upgrade")
def db_upgrade() -> None:
    """Create or migrate the database to the latest schema."""
    from genguard.cli.store import cli_store

    cli_store().close()
    typer.echo("database is at the latest revision")
