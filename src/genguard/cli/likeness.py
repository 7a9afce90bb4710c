"""``genguard likeness``: register a person's likeness (photos discarded), list, show, erase."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, cast

import typer
from rich.console import Console
from rich.table import Table

from genguard.config import Settings
from genguard.errors import GenguardError
from genguard.likeness.registry import LikenessRegistry, RegisteredBy
from genguard.media.decode import read_file
from genguard.cli.store import cli_store

app = typer.Typer(help="Likeness registry: people protected from sexual or revealing edits.", no_args_is_help=True)


@contextmanager
def _registry() -> Iterator[LikenessRegistry]:
    """The registry on the configured database; a GenguardError becomes a coded message, exit 2."""
    settings = Settings()
    store = cli_store(settings)
    try:
        yield LikenessRegistry(store, settings)
    except GenguardError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        store.close()


@app.command()
def register(
    photos: Annotated[list[Path], typer.Argument(help="reference photos, one face each", exists=True, dir_okay=False)],
    label: Annotated[str, typer.Option(help="how operators refer to the person")],
    consent_name: Annotated[str, typer.Option(help="who gave consent")],
    consent_statement: Annotated[str, typer.Option(help="what they agreed to")],
    registered_by: Annotated[str, typer.Option(help="self | guardian")] = "self",
) -> None:
    """Register a person: only face embeddings are kept, the photos are not stored."""
    from genguard.detectors.registry import load_detectors

    with _registry() as registry:
        data = [read_file(p, limits=registry.settings.media) for p in photos]
        faces = load_detectors()["faces"]  # the backend screening uses, so embeddings compare
        embeddings = registry.embeddings_of(data, faces)  # type: ignore[arg-type]
        who = cast(RegisteredBy, registered_by)  # checked by register()
        person = registry.register(label=label, registered_by=who, consent_name=consent_name,
                                   consent_statement=consent_statement, embeddings=embeddings, actor="cli")
    typer.echo(json.dumps({**person.public(), "photos_discarded": True}, indent=2))


@app.command("list")
def list_() -> None:
    """Registered people and their consent records (never embeddings)."""
    with _registry() as registry:
        people = registry.list()
    table = Table("id", "label", "registered by", "consent name", "consented", "embeddings")
    for p in people:
        table.add_row(str(p.id), p.label, p.registered_by, p.consent_name, f"{p.consented_at:%Y-%m-%d %H:%M}",
                      str(p.embeddings))
    Console().print(table)


@app.command()
def show(person_id: Annotated[int, typer.Argument(help="the person's id")]) -> None:
    """One person's consent record as JSON."""
    with _registry() as registry:
        typer.echo(json.dumps(registry.get(person_id).public(), indent=2))


@app.command()
def erase(person_id: Annotated[int, typer.Argument(help="the person's id")]) -> None:
    """Erase a person: the consent record and every embedding, at once."""
    with _registry() as registry:
        deleted = registry.erase(person_id, actor="cli")
    typer.echo(f"person {person_id} erased ({deleted} embeddings deleted)")
