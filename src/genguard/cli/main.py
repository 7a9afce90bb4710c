"""The ``genguard`` command: serve, screen, audit, keys, db, eval."""

from __future__ import annotations

from typing import Annotated

import typer

from genguard.cli import audit, banks, cases, keys, likeness
from genguard.cli import eval as evaluation
from genguard.cli.scan import scan
from genguard.cli.screen import screen

app = typer.Typer(help="genguard: screening and platform safety against sexual deepfakes and child abuse.",
                  no_args_is_help=True, pretty_exceptions_show_locals=False)
app.command()(screen)
app.command()(scan)
app.add_typer(audit.app, name="audit")
app.add_typer(keys.app, name="keys")
app.add_typer(banks.app, name="banks")
app.add_typer(likeness.app, name="likeness")
app.add_typer(cases.app, name="cases")
app.add_typer(cases.reports_app, name="reports")
app.add_typer(evaluation.app, name="eval")


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
    from genguard.auth.roles import Role
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
