"""The database every ``genguard`` command opens, named on stderr so nobody checks the wrong one."""

from __future__ import annotations

import typer

from genguard.config import Settings
from genguard.store.db import Store, normalise_url
from genguard.wiring import Platform


def announce(settings: Settings) -> str:
    """Print ``database: <url>`` (password hidden) to stderr and return the URL to open."""
    url = settings.resolved_database_url()
    typer.echo(f"database: {normalise_url(url).render_as_string(hide_password=True)}", err=True)
    return url


def cli_store(settings: Settings | None = None) -> Store:
    """Open (and migrate) the configured database, saying which it is. The caller closes it."""
    settings = settings or Settings()
    announce(settings)
    return Platform(settings).store
