"""``genguard audit``: verify the hash chain, show its head."""

from __future__ import annotations

from typing import Annotated

import typer

from genguard.audit.chain import AuditLog, Head
from genguard.audit.verify import verify as verify_log
from genguard.cli.store import cli_store

app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


@app.command()
def verify(
    anchor_seq: Annotated[int | None, typer.Option(help="a previously published head seq")] = None,
    anchor_hash: Annotated[str | None, typer.Option(help="its hash")] = None,
) -> None:
    """Walk the whole chain; exit 1 and name each tampered record if anything was changed."""
    store = cli_store()
    try:
        anchor = Head(seq=anchor_seq, hash=anchor_hash) if anchor_seq is not None and anchor_hash else None
        report = verify_log(store, anchor=anchor)
    finally:
        store.close()
    typer.echo(report.summary())
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def head() -> None:
    """Print the last seq and hash, to publish or store elsewhere as an anchor."""
    store = cli_store()
    try:
        h = AuditLog(store).head()
    finally:
        store.close()
    typer.echo(f"{h.seq} {h.hash}")
