"""``genguard cases`` (list, show, tick, metrics) and ``genguard reports`` (transparency, DSA)."""

from __future__ import annotations

import json
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from genguard.cases.rows import regimes
from genguard.cases.service import CaseService
from genguard.cases.settings import CaseSettings
from genguard.cases.webhooks import WebhookSender
from genguard.compliance import dsa_schema, dsa_tdb, render, transparency
from genguard.compliance.tdb_client import TransparencyDatabaseClient
from genguard.config import Settings
from genguard.cli.store import cli_store

#: The Transparency Database token comes from the environment, never from the command line.
TDB_TOKEN_ENV = "GENGUARD_DSA_TDB_TOKEN"
app = typer.Typer(help="Cases: statutory clocks, the queue, alerts.", no_args_is_help=True)
reports_app = typer.Typer(help="Transparency reports and DSA Transparency Database statements.",
                          no_args_is_help=True)


def open_service() -> CaseService:
    """The service as the API builds it (banks included: the takedown steps bank and sweep)."""
    from genguard.banks.service import BankService  # here: keeps this module's imports as they were

    settings = Settings()
    store = cli_store(settings)
    return CaseService(store, settings=CaseSettings.from_settings(settings), sender=WebhookSender.from_settings(settings),
                       banks=BankService(store, snapshot_path=settings.home / "banks" / "pdq.idx"))


@app.command("list")
def list_cases(
    status: Annotated[str, typer.Option(help="open, decided, reinstated or all")] = "open",
    order: Annotated[str, typer.Option(help="due (by due time) or queue (triage order)")] = "due",
    limit: Annotated[int, typer.Option(min=1)] = 50,
) -> None:
    """Cases with their clocks, soonest due first."""
    svc = open_service()
    try:
        cases = svc.list_cases(status=None if status == "all" else status, order=order, limit=limit)
    finally:
        svc.store.close()
    for c in cases:
        typer.echo(f"{c.id:>6}  {c.due_at}  {c.clock_state:<9} {c.clock:<22} {c.category:<28} "
                   f"{c.source:<15} {c.status}")


@app.command()
def show(case_id: int) -> None:
    """One case as JSON: clock, decision, copies, appeals."""
    svc = open_service()
    try:
        typer.echo(json.dumps(svc.get(case_id).to_json(), indent=2))
    finally:
        svc.store.close()


@app.command()
def tick() -> None:
    """Open cases for screening escalations, send due clock alerts, run due case jobs and retry
    pending webhooks now."""
    svc = open_service()
    try:
        result = svc.tick()
    finally:
        svc.store.close()
    typer.echo(f"opened {len(result.opened)} case(s), sent {len(result.alerts)} alert(s), "
               f"ran {result.jobs} job(s), redelivered {result.redelivered} webhook(s), "
               f"sent {result.outcomes} request outcome(s)")


@app.command()
def metrics() -> None:
    """Prometheus text: open cases per clock, escalations, breaches, overdue."""
    svc = open_service()
    try:
        typer.echo(svc.metrics(), nl=False)
    finally:
        svc.store.close()


def _when(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{name} must be an ISO 8601 time") from None
    if parsed.tzinfo is None:
        raise typer.BadParameter(f"{name} needs a time zone (e.g. 2026-01-01T00:00:00+00:00)")
    return parsed


@reports_app.command("transparency")
def transparency_report(
    start: Annotated[str, typer.Option(help="period start, inclusive (ISO 8601 with zone)")],
    end: Annotated[str, typer.Option(help="period end, exclusive")],
    format: Annotated[str, typer.Option(help="json, csv or html")] = "json",  # noqa: A002
    out: Annotated[Path | None, typer.Option(help="write here instead of stdout")] = None,
) -> None:
    """The transparency report for a period, from the audit trail."""
    renderers = {"json": render.to_json, "csv": render.to_csv, "html": render.to_html}
    if format not in renderers:
        raise typer.BadParameter("format must be json, csv or html")
    store = cli_store()
    try:
        report = transparency.build(store, _when(start, "start"), _when(end, "end"))
    finally:
        store.close()
    text = renderers[format](report)
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@reports_app.command("dsa")
def dsa(
    start: Annotated[str, typer.Option(help="period start, inclusive")],
    end: Annotated[str, typer.Option(help="period end, exclusive")],
    version: Annotated[str, typer.Option(help="Transparency Database schema version")] = dsa_schema.LATEST,
    submit: Annotated[str | None, typer.Option(
        help="submit to this Transparency Database base URL (token from $GENGUARD_DSA_TDB_TOKEN) "
             "instead of printing")] = None,
) -> None:
    """DSA Transparency Database statements of reasons for a period, one JSON object per line,
    each validated against the database's schema (any invalid one fails the whole export).
    With --submit they are sent in batches of 100; resubmitting a period is safe (puids)."""
    store = cli_store()
    try:
        export = dsa_tdb.statements(store, _when(start, "start"), _when(end, "end"), version=version,
                                    regimes=partial(regimes, store))
    finally:
        store.close()
    if submit is None:
        for statement in export.statements:
            typer.echo(json.dumps(statement, sort_keys=True))
        return
    token = Settings().dsa_tdb_token
    if not token:
        raise typer.BadParameter(f"set {TDB_TOKEN_ENV} to the platform's Transparency Database API token")
    with TransparencyDatabaseClient(submit, token, version=version) as client:
        result = client.submit(export.statements)
    typer.echo(json.dumps({"created": len(result.created), "already_present": len(result.already_present),
                           "requests": result.requests, "outside_eea": export.outside_eea}))
