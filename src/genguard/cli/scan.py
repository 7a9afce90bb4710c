"""``genguard scan``: screen and hash-match a folder, a manifest or stdin on every core, resumably."""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from genguard.cli.store import announce
from genguard.config import Settings
from genguard.detectors.runtime import DEVICE_ENV
from genguard.errors import GenguardError
from genguard.scan.engine import Engine, LocalEngine
from genguard.scan.items import Mode
from genguard.scan.progress import ScanProgress
from genguard.scan.ratelimit import RateLimit
from genguard.scan.run import run_scan
from genguard.scan.sources import open_source
from genguard.scan.worker import WorkerConfig
from genguard.scan.writers import open_writer


class EngineName(StrEnum):
    LOCAL = "local"
    RAY = "ray"


class Device(StrEnum):
    CPU = "cpu"
    CUDA = "cuda"
    AUTO = "auto"


def scan(
    source: Annotated[str, typer.Argument(help="a folder, a manifest (.jsonl, .csv, .parquet) or '-' for stdin")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL file or Parquet folder ('-': stdout, JSONL)")],
    mode: Annotated[Mode, typer.Option(help="screen requests/images, match media against the banks, or both")] = Mode.SCREEN,
    fmt: Annotated[str, typer.Option("--format", help="jsonl or parquet")] = "jsonl",
    resume: Annotated[bool, typer.Option(help="continue the scan whose output this is")] = False,
    workers: Annotated[int | None, typer.Option(help="worker processes (default: all cores; 0: in this process)")] = None,
    engine: Annotated[EngineName, typer.Option(help="local processes, or a Ray cluster")] = EngineName.LOCAL,
    address: Annotated[str | None, typer.Option(help="Ray address ('auto': the cluster this machine is in)")] = None,
    limit_rate: Annotated[float | None, typer.Option(min=0.01, help="at most this many items a second")] = None,
    policy: Annotated[str | None, typer.Option(help="policy pack name or .toml path")] = None,
    index_snapshot: Annotated[Path | None, typer.Option(help="PDQ index snapshot the workers start from")] = None,
    device: Annotated[Device | None, typer.Option(help="onnxruntime device (default: $GENGUARD_DEVICE, else cpu)")] = None,
) -> None:
    """Screen and/or hash-match many items; one record per item, in input order.

    The output is the checkpoint: kill the scan at any moment and run it again with --resume;
    no item is lost or written twice. Exit status 3 when some items were errors (each has its
    error record); 2 when the scan could not start.
    """
    settings = Settings()
    announce(settings)
    if device is not None:
        os.environ[DEVICE_ENV] = device.value  # the workers inherit it
    err = Console(stderr=True, soft_wrap=True)
    try:
        writer = open_writer(output, fmt, resume=resume)
        total = None if source == "-" else sum(1 for _ in open_source(source))
        items = open_source(source)
        config = WorkerConfig(mode=mode, policy=policy, actor="cli-scan",
                              snapshot=str(index_snapshot) if index_snapshot else None)
        runner = _engine(engine, config, workers, address)
    except GenguardError as exc:
        err.print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    progress = ScanProgress(total, writer.done)
    try:
        result = run_scan(items, runner, writer, progress=progress,
                          limit=RateLimit(limit_rate) if limit_rate else None)
    except GenguardError as exc:
        err.print(f"[bold red]error[/] {exc.code}: {exc.message}")
        raise typer.Exit(2) from exc
    finally:
        progress.close()
        writer.close()
        runner.close()
    err.print(f"scanned {result.items} items ({result.errors} errors)"
              + (f"; {result.skipped} were already done" if result.skipped else ""))
    raise typer.Exit(3 if result.errors else 0)


def _engine(name: EngineName, config: WorkerConfig, workers: int | None, address: str | None) -> Engine:
    if name is EngineName.RAY:
        from genguard.scan.ray_engine import RayEngine

        return RayEngine(config, workers=workers, address=address)
    return LocalEngine(config, workers)
