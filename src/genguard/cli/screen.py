"""``genguard screen``: one request from flags, or a JSONL batch, printed as text or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.table import Table

from genguard.cli.store import announce
from genguard.config import Settings
from genguard.errors import GenguardError
from genguard.guard import Guard
from genguard.media.decode import read_file
from genguard.request import ImageInput, RequestKind, ScreenRequest
from genguard.scan.engine import Engine, LocalEngine
from genguard.scan.run import batches
from genguard.scan.sources import text_lines
from genguard.scan.worker import WorkerConfig
from genguard.verdict import Decision, Verdict

_COLOURS = {Decision.ALLOW: "green", Decision.REVIEW: "yellow", Decision.BLOCK: "bold red"}


def screen(
    prompt: Annotated[str, typer.Option("--prompt", "-p", help="instruction or text-to-image prompt")] = "",
    source: Annotated[list[Path] | None, typer.Option("--source", "-s", help="source image (repeatable)")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="generated or uploaded image")] = None,
    history: Annotated[list[str] | None, typer.Option("--history", help="earlier instruction (repeatable)")] = None,
    kind: Annotated[RequestKind | None, typer.Option(help="default: inferred from the images given")] = None,
    batch: Annotated[Path | None, typer.Option(help="JSONL file, one request per line ('-' for stdin)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    policy: Annotated[str | None, typer.Option(help="policy pack name (uk-osa, strict, adult-platform) or .toml path")] = None,
    age_assured: Annotated[bool, typer.Option("--age-assured", help="the user passed age assurance")] = False,
    server: Annotated[str | None, typer.Option(envvar="GENGUARD_SERVER",
                                               help="screen on this genguard server instead of locally")] = None,
    api_key: Annotated[str | None, typer.Option(envvar="GENGUARD_API_KEY", help="API key for --server")] = None,
    workers: Annotated[int | None, typer.Option(help="--batch worker processes (default: all cores; 0: this process)")] = None,
) -> None:
    """Screen a request and print the verdict (decision, reasons, rule, scores)."""
    if server is not None:
        if batch is not None or policy is not None:
            raise typer.BadParameter("--batch and --policy are local only; the server applies its own policy")
        verdict = _remote(server, api_key, kind or _infer_kind(source or [], output), prompt, source or [],
                          output, history or [], age_assured)
        if as_json:
            print(json.dumps(verdict.public(), indent=2))
        else:
            _print(verdict)
        return
    settings = Settings()
    announce(settings)  # the audit trail goes to this database
    if batch is not None:
        engine = LocalEngine(WorkerConfig(policy=policy, actor="cli-batch", style="verdict"), workers)
        try:
            if str(batch) == "-":
                failures = run_batch(sys.stdin, sys.stdout, base=Path.cwd(), engine=engine)
            else:
                with batch.open(encoding="utf-8", errors="replace") as stream:
                    failures = run_batch(stream, sys.stdout, base=batch.parent, engine=engine)
        finally:
            engine.close()
        # Every line got a verdict; exit 3 tells scripts that some were input errors.
        raise typer.Exit(3 if failures else 0)
    with Guard(settings, policy=policy) as guard:
        if kind is None:
            kind = _infer_kind(source or [], output)
        try:
            verdict = guard.screen(
                ScreenRequest(
                    kind=kind,
                    prompt=prompt,
                    history=history or [],
                    sources=[_load(p, guard) for p in source or []],
                    output=_load(output, guard) if output else None,
                    age_assured=age_assured,
                ),
                actor="cli",
            )
        except GenguardError as exc:
            Console(stderr=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
            raise typer.Exit(2) from exc
        if as_json:
            print(json.dumps(verdict.public(), indent=2))
        else:
            _print(verdict)


def _remote(server: str, api_key: str | None, kind: RequestKind, prompt: str, sources: list[Path],
            output: Path | None, history: list[str], age_assured: bool) -> Verdict:
    """One request screened by a genguard server through the typed client (errors exit 2)."""
    from genguard.client import Client, GenguardAPIError

    if not api_key:
        raise typer.BadParameter("--server needs --api-key (or GENGUARD_API_KEY)")
    try:
        with Client(server, api_key) as client:
            return client.screen(kind, prompt=prompt, sources=sources, output=output, history=history,
                                 age_assured=age_assured)
    except GenguardAPIError as exc:
        Console(stderr=True).print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc


def _infer_kind(sources: list[Path], output: Path | None) -> RequestKind:
    if output is not None:
        return RequestKind.OUTPUT if sources else RequestKind.UPLOAD
    return RequestKind.EDIT if sources else RequestKind.GENERATE


def _load(path: Path, guard: Guard) -> ImageInput:
    return ImageInput(data=read_file(path, limits=guard.settings.media), name=path.name)


def run_batch(lines: TextIO, out: TextIO, *, base: Path, engine: Engine) -> int:
    """Screen each JSONL line in order; a bad line yields an error verdict, never a crash.

    Lines go through the scan engine (``genguard scan``'s workers, ``Guard.screen_many`` in
    each: the same verdicts as one by one) and are printed in input order, a batch at a time.
    Returns the number of lines that could not be screened. Relative image paths are resolved
    against ``base`` (the batch file's folder).
    """
    failures = 0
    for records in engine.map(batches(text_lines(lines, base=base, paths=False))):
        out.write("".join(json.dumps(r) + "\n" for r in records))
        out.flush()
        failures += sum("error" in r for r in records)
    return failures


def _print(verdict: Verdict) -> None:
    console = Console()
    colour = _COLOURS[verdict.decision]
    console.print(f"[{colour}]{verdict.decision.value.upper()}[/]  policy {verdict.policy}  "
                  f"{verdict.latency_ms:.0f} ms")
    if verdict.reasons:
        console.print("reasons: " + ", ".join(verdict.reasons))
    if verdict.rule:
        console.print(f"rule:    {verdict.rule}")
    table = Table("rule", "decision", "facts", title="rules that fired", show_lines=False)
    for hit in verdict.hits:
        table.add_row(hit.rule, hit.decision.value, ", ".join(f"{k}={_fmt(v)}" for k, v in hit.facts.items()))
    if verdict.hits:
        console.print(table)
    scores = Table("signal", "value", title="signals")
    for key, value in verdict.facts.items():
        if value not in (None, 0.0, False) or key.endswith(("person", "possible_minor", "likely_minor")):
            scores.add_row(key, _fmt(value))
    console.print(scores)
    for failure in verdict.signals.failures:
        console.print(f"[yellow]detector unavailable[/] {failure.detector} on {failure.target}: {failure.error}")


def _fmt(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)
