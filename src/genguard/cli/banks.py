"""``genguard banks``: manage hash banks, import and export lists, hash and look up images.

Works on the configured database directly (``GENGUARD_DATABASE_URL``); running API workers
pick every change up through the change log. Errors print their code and exit with status 2.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from genguard.banks.formats.lists import ListFormat, read_list
from genguard.banks.formats.records import SignalType, check_value
from genguard.banks.hashing import media_hashes
from genguard.banks.matching import HashQuery
from genguard.banks.model import BankKind
from genguard.banks.service import BankService, BankSettings
from genguard.config import Settings
from genguard.detectors.hashes import hamming
from genguard.errors import GenguardError
from genguard.media.decode import read_file
from genguard.cli.store import cli_store

app = typer.Typer(help="Hash banks: known abuse lists, withdrawals, allow lists, imports and lookups.",
                  no_args_is_help=True)


@contextmanager
def _service() -> Iterator[BankService]:
    """A service on the configured database; a GenguardError becomes a coded message, exit 2."""
    settings = Settings()
    try:
        store = cli_store(settings)
        try:
            yield BankService(store, snapshot_path=settings.home / "banks" / "pdq.idx")
        finally:
            store.close()
    except GenguardError as exc:
        Console(stderr=True, soft_wrap=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc


def _print(data: Any) -> None:
    typer.echo(json.dumps(data, indent=1, default=str))


def _image_hashes(path: Path):  # noqa: ANN202 - ImageHashes
    settings = Settings()
    return media_hashes(read_file(path, limits=settings.media), limits=settings.media)


@app.command("list")
def list_banks() -> None:
    """Banks with their kind, threshold, state and provenance."""
    with _service() as banks:
        found = banks.banks()
    table = Table("name", "kind", "pdq ≤", "matching", "list owner", "version", "imported")
    for b in found:
        p = b.public()
        table.add_row(b.name, b.kind.value, str(b.pdq_threshold), str(p["matching"]), b.list_owner or "",
                      b.list_version or "", p["imported_at"] or "")
    Console().print(table)


@app.command()
def create(
    name: Annotated[str, typer.Argument()],
    kind: Annotated[BankKind, typer.Option(help="child_abuse | intimate_image | terror | internal_blocked | allow")],
    pdq_threshold: Annotated[int, typer.Option(help="largest PDQ bit distance that matches")] = 31,
    flood_limit: Annotated[int, typer.Option(help="matches per window before an entry is quarantined")] = 100,
    flood_window_s: Annotated[int, typer.Option(help="flood window in seconds")] = 3600,
    list_owner: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Create a bank."""
    settings = BankSettings(pdq_threshold=pdq_threshold, flood_limit=flood_limit, flood_window_s=flood_window_s,
                            list_owner=list_owner, note=note)
    with _service() as banks:
        _print(banks.create_bank(name, kind, settings, actor="cli").public())


@app.command()
def enable(name: str, on: Annotated[bool, typer.Option("--on/--off")] = True) -> None:
    """Switch a bank's matching on or off."""
    with _service() as banks:
        _print(banks.update_bank(name, enabled=on, actor="cli").public())


@app.command("import")
def import_list(
    name: str,
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)],
    format: Annotated[ListFormat, typer.Option("--format", help="threatexchange-csv | tcap-csv | stopncii-json | ncmec-xml")],  # noqa: A002
    list_owner: Annotated[str | None, typer.Option()] = None,
    list_version: Annotated[str | None, typer.Option()] = None,
    defer_retro: Annotated[bool, typer.Option(help="leave the retro-scan to `genguard banks retro-scan`")] = False,
) -> None:
    """Import a list into a bank; withdrawn and deleted entries stay so; prints retro-scan hits."""
    with _service() as banks:
        records = read_list(format, path.read_bytes())
        report = banks.import_records(name, records, list_owner=list_owner, list_version=list_version,
                                      actor="cli", detail={"format": format.value}, retro_scan=not defer_retro)
        out = report.public()
        if defer_retro:
            out.pop("retro_matches")
            out["retro_scan"] = {"entries": len(report.entry_ids), "first_entry_id": min(report.entry_ids, default=None),
                                 "last_entry_id": max(report.entry_ids, default=None)}
        _print(out)


@app.command("retro-scan")
def retro_scan(
    name: str,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL checkpoint and report: one record per chunk")],
    entries: Annotated[str | None, typer.Option(help="entry ids FIRST-LAST (default: every active entry)")] = None,
    resume: Annotated[bool, typer.Option(help="continue the job whose output this is")] = False,
    limit_rate: Annotated[float | None, typer.Option(min=0.01, help="at most this many seen items a second")] = None,
) -> None:
    """Back-scan seen content against a bank as a resumable job; escalates every copy found once."""
    from genguard.scan.ratelimit import RateLimit
    from genguard.scan.retro_job import run_retro_job
    from genguard.scan.writers import open_writer

    ids = None
    if entries:
        first, _, last = entries.partition("-")
        if not first.isdigit() or not (last or first).isdigit():
            raise typer.BadParameter("FIRST-LAST entry ids, e.g. 120-4500", param_hint="--entries")
        ids = list(range(int(first), int(last or first) + 1))
    with _service() as banks:
        writer = open_writer(output, "jsonl", resume=resume)
        try:
            result = run_retro_job(banks, name, writer, entry_ids=ids,
                                   limit=RateLimit(limit_rate) if limit_rate else None)
        finally:
            writer.close()
    hits = sum(len(r["hits"]) for r in _records(output))
    typer.echo(f"retro-scan of {name}: {result.items} seen items scanned"
               + (f" ({result.skipped} before this run)" if result.skipped else "") + f"; {hits} copies found", err=True)


def _records(path: Path) -> list[dict[str, Any]]:
    from genguard.scan.writers import read_records

    return read_records(path, "jsonl")


@app.command()
def export(
    name: str,
    format: Annotated[ListFormat, typer.Option("--format")],  # noqa: A002
    out: Annotated[Path | None, typer.Option(help="file to write (default: stdout)")] = None,
) -> None:
    """Export a bank, withdrawn entries included."""
    with _service() as banks:
        body, _ = banks.export_list(name, format)
    if out is None:
        typer.echo(body.decode(), nl=False)
    else:
        out.write_bytes(body)


def _signal_type(name: str) -> SignalType:
    try:
        return SignalType(name)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@app.command()
def add(
    name: str,
    signal_type: Annotated[SignalType, typer.Argument(parser=_signal_type, help=" | ".join(SignalType))],
    value: str,
    external_id: Annotated[str, typer.Option()] = "",
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Add one hash; prints the entry and any already-seen copies it matches."""
    with _service() as banks:
        entry, report = banks.add_entry(name, signal_type, value, external_id=external_id, note=note, actor="cli")
        _print({"entry": entry.public(), "retro_matches": [h.public() for h in report.retro]})


def _entry_command(action: Callable[[BankService, int], Any]) -> Callable[[int], None]:
    def run(entry_id: Annotated[int, typer.Argument(help="the entry's id")]) -> None:
        with _service() as banks:
            _print(action(banks, entry_id).public())

    run.__doc__ = action.__doc__
    return run


app.command("withdraw")(_entry_command(BankService.withdraw))
app.command("delete-entry")(_entry_command(BankService.delete_entry))
app.command("release")(_entry_command(BankService.release))


@app.command()
def entries(name: str, limit: int = 100, offset: int = 0) -> None:
    """Entries of a bank, oldest first."""
    with _service() as banks:
        _print([e.public() for e in banks.entries(name, limit=limit, offset=offset)])


@app.command("hash")
def hash_image(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """PDQ (all eight rotations/flips, or one frame a second of a video), MD5 and SHA-256."""
    try:
        _print(_image_hashes(path).public())
    except GenguardError as exc:
        Console(stderr=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc


@app.command()
def lookup(
    path: Annotated[Path | None, typer.Argument(exists=True, dir_okay=False, help="an image or a video")] = None,
    pdq: Annotated[str | None, typer.Option(help="or a PDQ hash")] = None,
    md5: Annotated[str | None, typer.Option()] = None,
    sha256: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Bank matches of an image or of hashes; exit status 1 when something matched."""
    with _service() as banks:
        given = {"pdq": pdq, "md5": md5, "sha256": sha256}
        query = _image_hashes(path).query() if path else HashQuery.of(
            {name: check_value(SignalType(name), value, name) for name, value in given.items() if value})
        found = banks.lookup(query)
        _print({"quality_gated": found.quality_gated, "matches": [m.public() for m in found.matches]})
    if found.matches:
        raise typer.Exit(1)


@app.command()
def compare(a: str, b: str, threshold: int = 31) -> None:
    """Bit distance of two PDQ hashes."""
    try:
        distance = hamming(check_value(SignalType.PDQ, a, "a"), check_value(SignalType.PDQ, b, "b"))
    except GenguardError as exc:
        Console(stderr=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    _print({"distance": distance, "threshold": threshold, "match": distance <= threshold})


@app.command()
def snapshot() -> None:
    """Write this database's PDQ index snapshot under GENGUARD_HOME, so workers start fast."""
    with _service() as banks:
        seq = banks.index.save_snapshot()
    typer.echo(f"snapshot at change-log seq {seq}")
