"""Engines run batches of items on workers and give the records back in input order.

:class:`LocalEngine` runs ``workers`` spawned processes, each with one :class:`ScanWorker`
(models and bank index loaded once per process); ``workers=0`` runs the worker in this process
(tests, and ``screen --batch`` on one core). The Ray engine (:mod:`genguard.scan.ray_engine`)
has the same interface.

A worker is one core, as a Ray actor with ``num_cpus=1`` is: each worker process is pinned to
its own core (Linux) and runs one ONNX thread and one set of face models. Unpinned, one worker
spread its detectors, ONNX threads and (then) two dlib identity processes over both cores of a
2-core machine, so a second worker added only 1.31x; pinned, ``--workers N`` uses N cores, and a scan
that must leave cores to a production service says so with ``--workers`` (docs/scan.md).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.sharedctypes import Synchronized
from typing import Any, Protocol

from genguard.detectors.runtime import usable_cores
from genguard.scan.items import ScanItem
from genguard.scan.worker import CRASHED, ScanWorker, WorkerConfig

log = logging.getLogger(__name__)

Records = list[dict[str, Any]]


class Engine(Protocol):
    """Runs batches on workers; ``map`` yields each batch's records in the order given."""

    workers: int

    def map(self, batches: Iterator[list[ScanItem]]) -> Iterator[Records]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    """All the cores this process may use."""
    return usable_cores()


# -- in the worker process ---------------------------------------------------------------------

_WORKER: ScanWorker | None = None


def _start(config: WorkerConfig, cores: list[int], started: Synchronized[int]) -> None:
    global _WORKER  # noqa: PLW0603 - one worker per process, built once by the pool initialiser
    with started.get_lock():
        slot = started.value
        started.value += 1
    if cores:  # before the models load: the ONNX threads inherit the core
        os.sched_setaffinity(0, {cores[slot % len(cores)]})
    _WORKER = ScanWorker(config)


def _run(items: list[ScanItem]) -> Records:
    assert _WORKER is not None, "the pool initialiser builds the worker"
    return _WORKER.run(items)


# -- in the coordinating process ---------------------------------------------------------------


class LocalEngine:
    """Worker processes on this machine; at most ``2 x workers`` batches in flight (bounded memory)."""

    def __init__(self, config: WorkerConfig, workers: int | None = None) -> None:
        self.workers = default_workers() if workers is None else workers
        self.config = config if self.workers == 0 else config.one_core()
        #: Times a dead worker made the pool start again (reported by benchmarks and tests).
        self.restarts = 0
        self._inline: ScanWorker | None = ScanWorker(config) if self.workers == 0 else None
        self._pool: ProcessPoolExecutor | None = None if self.workers == 0 else self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: a forked copy of a process with ONNX and SQLAlchemy threads can deadlock.
        context = multiprocessing.get_context("spawn")
        cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_setaffinity") else []
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=_start,
                                   initargs=(self.config, cores, context.Value("i", 0)))

    def map(self, batches: Iterator[list[ScanItem]]) -> Iterator[Records]:
        if self._inline is not None:
            for batch in batches:
                yield self._inline.run(batch)
            return
        window: deque[tuple[list[ScanItem], Future[Records]]] = deque()
        for batch in batches:
            try:
                window.append((batch, self._submit(batch)))
            except BrokenProcessPool:  # a worker died since the last collection
                yield from self._recover([*(b for b, _ in window), batch])
                window.clear()
                continue
            if len(window) >= 2 * self.workers:
                yield from self._collect(window, 1)
        yield from self._collect(window, len(window))

    def _submit(self, batch: list[ScanItem]) -> Future[Records]:
        assert self._pool is not None
        return self._pool.submit(_run, batch)

    def _collect(self, window: deque[tuple[list[ScanItem], Future[Records]]], count: int) -> Iterator[Records]:
        while window and count > 0:
            count -= 1
            batch, future = window.popleft()
            try:
                records = future.result()
            except BrokenProcessPool:
                yield from self._recover([batch, *(b for b, _ in window)])
                window.clear()
                return
            yield records

    def _recover(self, lost: list[list[ScanItem]]) -> Iterator[Records]:
        """A worker died (a decoder crash, the OOM killer) and every batch in flight with it:
        restart the pool and redo them in order, one item at a time, so only an item that kills
        a worker again becomes an error record."""
        self._restart()
        for batch in lost:
            yield [record for item in batch for record in self._alone(item)]

    def _alone(self, item: ScanItem) -> Records:
        try:
            return self._submit([item]).result()
        except BrokenProcessPool:
            log.error("scan item %s (%s) crashed a worker", item.seq, item.id)
            self._restart()
            # Its error record comes from a worker like any other (which reads nothing for it).
            crashed = ScanItem(item.seq, item.id, path=item.path, request=item.request,
                               error=(CRASHED, "the worker screening this item died"))
            return self._submit([crashed]).result()

    def _restart(self) -> None:
        assert self._pool is not None
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._pool = self._new_pool()
        self.restarts += 1

    def close(self) -> None:
        if self._inline is not None:
            self._inline.close()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
