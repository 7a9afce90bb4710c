"""``genguard worker``: the case worker as a process of its own (see cases/jobs.py)."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from genguard.cases import jobs
from genguard.cli.cases import open_service


def worker(
    interval: Annotated[float, typer.Option(min=1.0, help="seconds between full ticks (escalations, clock alerts)")] = 30.0,
) -> None:
    """Run the case worker in this process until stopped (SIGTERM/SIGINT): decisions' steps
    (removal, banking, copy sweep, notices, report filing) and webhook retries, as they come
    due. Any number may run beside the API's own; leases keep them from doing a step twice."""
    svc = open_service()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    typer.echo(f"case worker {jobs.worker_id()} running (tick every {interval:g} s)", err=True)
    try:
        svc.run_worker(interval=interval, stop=stop)
    finally:
        svc.store.close()
