"""The scan on Ray Data, for when one machine is not enough (``genguard[ray]``).

The driver reads the source and commits the output, exactly as the local engine does, so the
checkpoint and the exactly-once guarantee are the same; Ray Data moves the work: each window of
items becomes a Dataset whose rows go through ``map_batches`` on an actor pool, one
:class:`ScanWorker` per actor (models and a bank index snapshot loaded once per actor), and come
back in input order (``preserve_order``). Records are small (well under 1 KB), so one driver
keeps up with many workers; the images themselves are read by the actors from shared storage
(a path every node mounts, or ``s3://``/``gs://`` through pyarrow).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from itertools import islice
from typing import Any

from genguard.errors import GenguardError
from genguard.scan.engine import Records, default_workers
from genguard.scan.items import Mode, ScanItem
from genguard.scan.worker import ScanWorker, WorkerConfig

#: Items per Dataset. A new Dataset starts a new actor pool (models load again), so windows are
#: large; they are what bounds the driver's memory.
WINDOW = 50_000
#: Records handed to the writer per commit.
COMMIT = 256


def _require_ray():  # noqa: ANN202 - the ray module
    try:
        import ray
    except ImportError as exc:
        raise GenguardError("the Ray engine needs ray: pip install 'genguard[ray]'", code="ray_unavailable") from exc
    return ray


class _Actor:
    """A Ray Data actor: one :class:`ScanWorker`, built when the actor starts."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.worker = ScanWorker(WorkerConfig(**{**config, "mode": Mode(config["mode"])}))

    def __call__(self, rows: dict[str, Any]) -> dict[str, list[Any]]:
        items = [_item(rows, i) for i in range(len(rows["seq"]))]
        records = self.worker.run(items)
        return {"seq": [int(s) for s in rows["seq"]], "record": [json.dumps(r, ensure_ascii=False) for r in records]}


def _row(item: ScanItem) -> dict[str, Any]:
    """An item as a flat row (plain columns Arrow can hold); the request stays JSON text."""
    return {
        "seq": item.seq, "id": item.id, "path": item.path,
        "request": json.dumps(item.request) if item.request is not None else None,
        "error_code": item.error[0] if item.error else None, "error_message": item.error[1] if item.error else None,
    }


def _item(rows: dict[str, Any], i: int) -> ScanItem:
    def cell(name: str) -> Any:
        value = rows[name][i]
        return None if value is None or value != value else value  # NaN: pandas' missing value

    code = cell("error_code")
    request = cell("request")
    return ScanItem(int(rows["seq"][i]), cell("id"), request=json.loads(request) if request else None,
                    path=cell("path"), error=(code, cell("error_message")) if code else None)


class RayEngine:
    """Batches on a Ray cluster (``address="auto"``) or a Ray instance started here (``None``)."""

    def __init__(self, config: WorkerConfig, *, workers: int | None = None, address: str | None = None,
                 window: int = WINDOW) -> None:
        ray = _require_ray()
        if not ray.is_initialized():
            ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
        self._ray = ray
        # One actor per CPU (num_cpus=1): each actor is one core's worth.
        self.config = config.one_core()
        self.workers = workers or max(1, int(ray.cluster_resources().get("CPU", default_workers())))
        self.window = window

    def map(self, batches: Iterator[list[ScanItem]]) -> Iterator[Records]:
        items = (item for batch in batches for item in batch)
        while window := list(islice(items, self.window)):
            yield from self._run_window(window)

    def _run_window(self, window: list[ScanItem]) -> Iterator[Records]:
        data = self._ray.data
        context = data.DataContext.get_current()
        context.execution_options.preserve_order = True  # records come back in input order
        light = all(item.light for item in window)
        dataset = data.from_items([_row(item) for item in window]).map_batches(
            _Actor,
            fn_constructor_kwargs={"config": {**asdict(self.config), "mode": self.config.mode.value}},
            batch_size=256 if light else 4,
            batch_format="numpy",
            concurrency=min(self.workers, max(1, len(window) // (256 if light else 4)) or 1),
            num_cpus=1,
        )
        expected = window[0].seq
        records: Records = []
        for row in dataset.iter_rows():
            if int(row["seq"]) != expected:  # preserve_order is what the checkpoint relies on
                raise GenguardError(f"Ray returned item {row['seq']} where {expected} was due",
                                    code="scan_order", status=500)
            records.append(json.loads(row["record"]))
            expected += 1
            if len(records) >= COMMIT:
                yield records
                records = []
        if expected != window[-1].seq + 1:
            raise GenguardError(f"Ray returned {expected - window[0].seq} of {len(window)} items",
                                code="scan_order", status=500)
        if records:
            yield records

    def close(self) -> None:
        """The Ray instance stays up: it belongs to the cluster (or to whoever started it)."""
