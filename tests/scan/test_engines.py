"""The local engine and the Ray engine give the same records; a corrupt item is an error record."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genguard.banks.formats.records import SignalType
from genguard.banks.hashing import media_hashes
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.config import Settings
from genguard.scan.engine import LocalEngine
from genguard.scan.items import Mode
from genguard.scan.run import run_scan
from genguard.scan.sources import open_source
from genguard.scan.worker import WorkerConfig
from genguard.scan.writers import open_writer, read_records
from genguard.store.db import open_store
from tests.scan.conftest import prompts, write_jsonl


@pytest.fixture
def banked_cat(scan_env: dict[str, str], corpus: Path) -> str:
    """A bank holding the cat image's PDQ, so matching finds something real."""
    store = open_store(scan_env["GENGUARD_DATABASE_URL"])
    try:
        banks = BankService(store)
        banks.create_bank("known", BankKind.INTIMATE_IMAGE, actor="test")
        pdq = media_hashes((corpus / "chelsea_cat_skimage.png").read_bytes(), limits=Settings().media).pdq
        entry, _ = banks.add_entry("known", SignalType.PDQ, pdq, actor="test")
        return str(entry.id)
    finally:
        store.close()


def _scan(source: Path, engine, out: Path) -> list[dict]:  # noqa: ANN001
    writer = open_writer(out, "jsonl", resume=False)
    try:
        run_scan(open_source(str(source)), engine, writer)
    finally:
        writer.close()
        engine.close()
    return read_records(out, "jsonl")


def test_local_processes_match_in_process_and_bad_items_are_error_records(
        scan_env: dict[str, str], corpus: Path, banked_cat: str, tmp_path: Path) -> None:
    config = WorkerConfig(mode=Mode.BOTH)
    records = _scan(corpus, LocalEngine(config, workers=1), tmp_path / "proc.jsonl")
    assert records == _scan(corpus, LocalEngine(config, workers=0), tmp_path / "inline.jsonl")
    by_id = {r["id"]: r for r in records}
    assert [r["id"] for r in records] == sorted(by_id)
    assert by_id["broken.jpg"]["status"] == "error" and by_id["broken.jpg"]["error"]["code"] == "media_truncated"
    assert by_id["broken.jpg"]["screen"]["decision"] != "allow"  # fail closed
    cat = by_id["chelsea_cat_skimage.png"]
    assert [(m["bank"], m["entry_id"], m["distance"]) for m in cat["matches"]] == [("known", banked_cat, 0)]
    assert cat["screen"]["decision"] == "block"
    assert by_id["coffee_cup_skimage.png"]["matches"] == [] and by_id["coffee_cup_skimage.png"]["screen"]["decision"] == "allow"


def test_ray_engine_gives_the_local_engines_records(scan_env: dict[str, str], corpus: Path, banked_cat: str,
                                                    tmp_path: Path) -> None:
    ray = pytest.importorskip("ray")  # the test extra installs genguard[ray]
    from genguard.scan.ray_engine import RayEngine

    manifest = write_jsonl(tmp_path / "mixed.jsonl", [
        *prompts(6), "{not json", {"id": "x", "kind": "generate", "prompt": ""},
        *({"path": str(p)} for p in sorted(corpus.iterdir())),
    ])
    config = WorkerConfig(mode=Mode.SCREEN)
    local = _scan(manifest, LocalEngine(config, workers=0), tmp_path / "local.jsonl")
    # A Ray instance of its own, on loopback only, small: two CPUs and an 80 MiB object store (Ray's minimum is 75).
    ray.init(num_cpus=2, object_store_memory=80 * 1024**2, include_dashboard=False,
             _node_ip_address="127.0.0.1", log_to_driver=False, configure_logging=False)
    try:
        on_ray = _scan(manifest, RayEngine(config, workers=2, window=8), tmp_path / "ray.jsonl")
        match_local = _scan(corpus, LocalEngine(WorkerConfig(mode=Mode.MATCH), workers=0), tmp_path / "ml.jsonl")
        match_ray = _scan(corpus, RayEngine(WorkerConfig(mode=Mode.MATCH), workers=2), tmp_path / "mr.jsonl")
    finally:
        ray.shutdown()
    assert on_ray == local and len(local) == 12
    assert [r["status"] for r in local].count("error") == 3  # bad JSON, empty prompt, truncated JPEG
    assert match_ray == match_local
    assert json.dumps(match_local).count(f'"entry_id": "{banked_cat}"') == 1


def test_a_worker_killed_mid_batch_loses_no_item(scan_env: dict[str, str], corpus: Path, tmp_path: Path) -> None:
    """SIGKILL the worker while a batch is in flight: the engine redoes the lost batches in a
    fresh worker, one item at a time, and every item still gets its (same) record."""
    import os
    import signal
    import threading
    import time

    for i in range(3):  # more batches than fit in flight at once
        for src in sorted(corpus.glob("*.png")):
            (corpus / f"copy{i}_{src.name}").write_bytes(src.read_bytes())
    config = WorkerConfig(mode=Mode.MATCH)
    expected = _scan(corpus, LocalEngine(config, workers=0), tmp_path / "inline.jsonl")
    engine = LocalEngine(config, workers=1)
    out = tmp_path / "killed.jsonl"

    def kill_once_a_batch_is_committed() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (out.exists() and out.stat().st_size):
            time.sleep(0.005)
        os.kill(next(iter(engine._pool._processes)), signal.SIGKILL)  # noqa: SLF001

    killer = threading.Thread(target=kill_once_a_batch_is_committed)
    killer.start()
    records = _scan(corpus, engine, out)
    killer.join()
    assert engine.restarts >= 1
    assert records == expected


def _placement() -> tuple[int, frozenset[int], str | None, str | None]:
    """Where a pool worker runs and what its models were told (runs in the worker process)."""
    import os
    import time

    time.sleep(0.3)  # keep this worker busy so the next call lands on the other one
    return (os.getpid(), frozenset(os.sched_getaffinity(0)), os.environ.get("GENGUARD_ONNX_THREADS"),
            os.environ.get("GENGUARD_FACE_WORKERS"))


@pytest.mark.skipif(not hasattr(__import__("os"), "sched_setaffinity"), reason="CPU affinity is Linux's")
def test_each_local_worker_is_one_core_of_its_own(scan_env: dict[str, str]) -> None:
    import os

    cores = sorted(os.sched_getaffinity(0))
    engine = LocalEngine(WorkerConfig(mode=Mode.MATCH), workers=2)
    try:
        assert engine._pool is not None  # noqa: SLF001
        placed: dict[int, tuple[frozenset[int], str | None, str | None]] = {}
        for _ in range(6):
            futures = [engine._pool.submit(_placement) for _ in range(4)]  # noqa: SLF001
            placed.update({pid: rest for pid, *rest in (f.result() for f in futures)})
            if len(placed) == 2:
                break
    finally:
        engine.close()
    assert len(placed) == 2, placed
    affinities = [affinity for affinity, _, _ in placed.values()]
    assert all(len(a) == 1 for a in affinities), affinities
    if len(cores) >= 2:
        assert affinities[0] != affinities[1], "two workers share a core while another is free"
    assert {(threads, faces) for _, threads, faces in placed.values()} == {("1", "1")}


def test_one_core_keeps_what_was_set_explicitly() -> None:
    assert WorkerConfig().one_core() == WorkerConfig(onnx_threads=1, face_workers=1)
    assert WorkerConfig(onnx_threads=4).one_core().onnx_threads == 4


def test_a_worker_dead_before_the_next_submission_loses_no_item(scan_env: dict[str, str], corpus: Path) -> None:
    """The pool can break between two collections, so that submitting the next batch is what
    fails: the batches in flight and that one are redone, each item once, in order."""
    import os
    import signal
    import time

    from genguard.scan.sources import open_source

    items = list(open_source(str(corpus)))
    config = WorkerConfig(mode=Mode.MATCH)
    expected = [r for batch in LocalEngine(config, workers=0).map(iter([[i] for i in items])) for r in batch]
    engine = LocalEngine(config, workers=1)

    def batches():  # noqa: ANN202
        yield [items[0]]
        pool = engine._pool  # noqa: SLF001
        assert pool is not None
        os.kill(next(iter(pool._processes)), signal.SIGKILL)  # noqa: SLF001
        deadline = time.monotonic() + 60
        while not pool._broken and time.monotonic() < deadline:  # noqa: SLF001 - wait until the pool knows
            time.sleep(0.01)
        yield from ([item] for item in items[1:])

    try:
        got = [r for batch in engine.map(batches()) for r in batch]
    finally:
        engine.close()
    assert engine.restarts == 1
    assert got == expected
