"""``genguard screen``: one request from flags, or a JSONL batch, printed as text or JSON."""

from __future__ import annotations

import json
import sys
import time
from itertools import islice
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table

from genguard.cli.store import announce
from genguard.config import Settings
from genguard.errors import GenguardError, RequestError
from genguard.guard import Guard
from genguard.media.decode import read_file
from genguard.request import ImageInput, ScreenRequest, RequestKind
from genguard.verdict import Decision, Verdict

_COLOURS = {Decision.ALLOW: "green", Decision.REVIEW: "yellow", Decision.BLOCK: "bold red"}
_BATCH_FIELDS = {"id", "kind", "prompt", "history", "sources", "output", "account", "session_id", "age_assured"}


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
    with Guard(settings, policy=policy) as guard:
        if batch is not None:
            if str(batch) == "-":
                failures = run_batch(guard, sys.stdin, sys.stdout, base=Path.cwd())
            else:
                with batch.open(encoding="utf-8", errors="replace") as stream:
                    failures = run_batch(guard, stream, sys.stdout, base=batch.parent)
            # Every line got a verdict; exit 3 tells scripts that some were input errors.
            raise typer.Exit(3 if failures else 0)
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


#: Lines read and screened together by ``--batch`` (``Guard.screen_many``): text-only lines of a
#: group share model batches and one audit transaction; verdicts print when their group is done.
BATCH_LINES = 256


def run_batch(guard: Guard, lines: TextIO, out: TextIO, *, base: Path, group: int = BATCH_LINES) -> int:
    """Screen each JSONL line in order; a bad line yields an error verdict, never a crash.

    Lines are screened ``group`` at a time through ``Guard.screen_many`` (the same verdicts as
    one by one) and printed in input order. Returns the number of lines that could not be
    screened. Relative image paths are resolved against ``base`` (the batch file's folder).
    """
    failures = 0
    numbered = ((number, line) for number, line in enumerate(lines, start=1) if line.strip())
    while chunk := list(islice(numbered, group)):
        failures += _screen_group(guard, chunk, out, base)
    return failures


def _screen_group(guard: Guard, chunk: list[tuple[int, str]], out: TextIO, base: Path) -> int:
    """Screen one group of (line number, line) and print a verdict per line; returns the failures."""
    # Per line: its id and kind (for an error verdict), its ScreenRequest or its error, and the time
    # spent reading it (a line that fails to parse reports that as its latency).
    parsed: list[tuple[str | None, str, ScreenRequest | GenguardError, float]] = []
    for number, line in chunk:
        started = time.perf_counter()
        request_id: str | None = None
        kind = "unknown"
        try:
            record = _parse_line(line, number)
            request_id = record.get("id") if isinstance(record.get("id"), str) else None
            kind = str(record.get("kind", "unknown"))
            item: ScreenRequest | GenguardError = _batch_request(record, base, guard)
        except GenguardError as exc:
            item = exc
        parsed.append((request_id, kind, item, (time.perf_counter() - started) * 1000.0))
    requests = [item for _, _, item, _ in parsed if isinstance(item, ScreenRequest)]
    screened = iter(guard.screen_many(requests, actor="cli-batch"))
    failures = 0
    for request_id, kind, item, read_ms in parsed:
        result = next(screened) if isinstance(item, ScreenRequest) else item
        if isinstance(result, GenguardError):
            failures += 1
            verdict = guard.error_verdict(request_id, kind, result)
            verdict.latency_ms = read_ms
        else:
            verdict = result
        out.write(json.dumps(verdict.summary()) + "\n")
    out.flush()
    return failures


def _parse_line(line: str, number: int) -> dict[str, Any]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RequestError(f"line {number} is not valid JSON: {exc.msg}", code="invalid_json") from exc
    if not isinstance(record, dict):
        raise RequestError(f"line {number} is not a JSON object", code="invalid_json")
    return record


def _batch_request(record: dict[str, Any], base: Path, guard: Guard) -> ScreenRequest:
    unknown = sorted(set(record) - _BATCH_FIELDS)
    if unknown:
        raise RequestError(f"unknown fields: {', '.join(unknown)}", code="unknown_fields")
    if not isinstance(record.get("id"), str):
        raise RequestError("'id' (a string) is required", code="id_required")

    def image(value: Any) -> ImageInput:
        if not isinstance(value, str):
            raise RequestError("image paths must be strings", code="request_invalid")
        path = Path(value)
        return _load(path if path.is_absolute() else base / path, guard)

    sources = record.get("sources") or []
    if not isinstance(sources, list):
        raise RequestError("'sources' must be a list of paths", code="request_invalid")
    try:
        return ScreenRequest(
            id=record["id"],
            kind=record.get("kind"),
            prompt=record.get("prompt") or "",
            history=record.get("history") or [],
            sources=[image(s) for s in sources],
            output=image(record["output"]) if record.get("output") else None,
            account=record.get("account"),
            session_id=record.get("session_id"),
            age_assured=record.get("age_assured", False),
        )
    except ValueError as exc:
        raise RequestError(str(exc).splitlines()[0] + ": " + "; ".join(
            str(e.get("loc", "")) + " " + e.get("msg", "") for e in getattr(exc, "errors", lambda: [])()
        )) from exc


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
