"""Hash-bank index benchmark: genguard's index vs python-threatexchange (HMA's) on one dataset.

Run from the repo root: ``.venv/bin/python -m bench.banks --sizes 1000000 10000000``.
Needs the ``bench`` extra (python-threatexchange) for the comparison rows.

Data (``--data``, both by default): ``uniform`` random 256-bit codes (PDQ hashes of unrelated
images look like this) and ``clustered``, PDQ-like codes: real collections hold many variants of
the same pictures, so codes are drawn around cluster centres (20-90 bits from their centre) and
the queries land inside clusters, where a multi-index table's substrings collide most. Each
query also gets near-duplicates planted at known distances 0..40: recall is the share of the
planted codes within distance 31 that come back, and a false hit is any returned code whose
actual distance is over 31 (checked bit by bit), so codes that fall near a query by chance in
the clustered data count neither way.

Threads: pytx's ``PDQIndex`` is a faiss index, and faiss uses every OpenMP thread by default;
genguard's index is single-threaded. Both run with ``faiss.omp_set_num_threads(1)`` (and
``OMP_NUM_THREADS=1``), so the rows compare one core against one core.

Memory is the resident-set growth from before the build to after the queries
(input codes excluded; for genguard also the index's own byte count, whichever is larger).
genguard's large segments keep full codes in a file read with ``pread``: its row is timed with
the file's pages in the kernel's cache (as after the build) and again with them dropped before
every single query and before the batch ("cold").
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from genguard.banks.index.brute import BruteForceIndex
from genguard.banks.index.mih import MultiIndexHashIndex

RADIUS = 31
PLANTED_PER_QUERY = 12
MAX_PLANTED_DISTANCE = 40


@dataclass
class Row:
    name: str
    size: int
    recall: float
    false_hits: int
    p50_ms: float
    p95_ms: float
    batch_qps: float
    memory_mb: float
    build_s: float
    new_hash_s: float


def rss_bytes() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def reset_peak_rss() -> None:
    """Make VmHWM (peak RSS) start again from the current RSS (Linux 4.0+)."""
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def peak_rss_bytes() -> int:
    with open("/proc/self/status") as fh:
        line = next(x for x in fh if x.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024


def _clustered(rng: np.random.Generator, size: int, queries: int) -> tuple[np.ndarray, np.ndarray]:
    """PDQ-like codes: clusters of variants around ``size // 2000`` centres (at least 16), each
    code 20-90 bits from its centre; queries 10-40 bits from a centre, i.e. inside a cluster."""
    centres = rng.integers(0, 256, (max(16, size // 2000), 32), dtype=np.uint8)
    codes = np.empty((size, 32), dtype=np.uint8)
    step = 250_000  # generated a chunk at a time: the random bits are 256 floats a code
    for lo in range(0, size, step):
        n = min(step, size - lo)
        share = rng.uniform(20 / 256, 90 / 256, (n, 1)).astype(np.float32)
        flips = np.packbits(rng.random((n, 256), dtype=np.float32) < share, axis=1, bitorder="little")
        codes[lo : lo + n] = centres[rng.integers(0, len(centres), n)] ^ flips
    share = rng.uniform(10 / 256, 40 / 256, (queries, 1)).astype(np.float32)
    flips = np.packbits(rng.random((queries, 256), dtype=np.float32) < share, axis=1, bitorder="little")
    return codes, centres[rng.integers(0, len(centres), queries)] ^ flips


def make_data(size: int, queries: int, seed: int, kind: str = "uniform") -> tuple[np.ndarray, np.ndarray, list[set[int]]]:
    """Codes, query codes and, per query, the positions planted within ``RADIUS`` of it."""
    rng = np.random.default_rng(seed)
    if kind == "clustered":
        codes, query_codes = _clustered(rng, size, queries)
    else:
        codes = rng.integers(0, 256, (size, 32), dtype=np.uint8)
        query_codes = rng.integers(0, 256, (queries, 32), dtype=np.uint8)
    slots = rng.choice(size, queries * PLANTED_PER_QUERY, replace=False).reshape(queries, -1)
    truth: list[set[int]] = []
    for q in range(queries):
        within = set()
        for slot in slots[q]:
            distance = int(rng.integers(0, MAX_PLANTED_DISTANCE + 1))
            bits = np.zeros(256, dtype=np.uint8)
            bits[rng.choice(256, distance, replace=False)] = 1
            codes[slot] = query_codes[q] ^ np.packbits(bits, bitorder="little")
            if distance <= RADIUS:
                within.add(int(slot))
        truth.append(within)
    return codes, query_codes, truth


#: The data set being measured (set by ``main``): false hits are checked against its codes.
_DATA: dict[str, np.ndarray] = {}


def score(found: Sequence[set[int]], truth: Sequence[set[int]]) -> tuple[float, int]:
    """Recall of the planted codes within ``RADIUS``; false hits: returned codes beyond it."""
    expected = sum(len(t) for t in truth)
    hit = sum(len(f & t) for f, t in zip(found, truth, strict=True))
    codes, queries = _DATA["codes"], _DATA["queries"]
    false_hits = 0
    for q, ids in enumerate(found):
        if ids:
            distances = np.unpackbits(codes[sorted(ids)] ^ queries[q], axis=1).sum(axis=1)
            false_hits += int((distances > RADIUS).sum())
    return (hit / expected if expected else 1.0), false_hits


def latencies(fn: Callable[[int], object], n: int) -> tuple[float, float]:
    times = []
    for q in range(n):
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def single_threaded() -> None:
    """One thread for faiss (pytx's index) and anything else using OpenMP, genguard included."""
    os.environ["OMP_NUM_THREADS"] = "1"
    import faiss

    faiss.omp_set_num_threads(1)


def bench_genguard(codes: np.ndarray, queries: np.ndarray, truth: list[set[int]], single: int,
                   kind: str = "uniform") -> list[Row]:
    before = rss_bytes()
    t0 = time.perf_counter()
    index = MultiIndexHashIndex.from_arrays(codes, np.arange(len(codes)))
    build = time.perf_counter() - t0
    found = [set(h.ids.tolist()) for h in index.search_batch(queries, RADIUS)]
    recall, false_hits = score(found, truth)
    rows = []
    for cold in (False, True):
        before_each = index.drop_page_cache if cold else (lambda: None)

        def one(q: int, before_each=before_each) -> None:
            before_each()
            index.search(queries[q], RADIUS)

        p50, p95 = latencies(one, single)
        before_each()
        t0 = time.perf_counter()
        index.search_batch(queries, RADIUS)
        qps = len(queries) / (time.perf_counter() - t0)
        memory = max(rss_bytes() - before, index.nbytes) / 1e6
        name = f"genguard MIH 12x21, {kind}" + (" (cold page cache)" if cold else "")
        rows.append(Row(name, len(codes), recall, false_hits, p50, p95, qps, memory, build, 0.0))
    new = np.random.default_rng(99).integers(0, 256, (1, 32), dtype=np.uint8)
    t0 = time.perf_counter()
    index.add(new, np.array([-1]))
    assert index.search(new[0], RADIUS).ids.tolist() == [-1]
    rows[0].new_hash_s = rows[1].new_hash_s = time.perf_counter() - t0
    del index
    gc.collect()
    return rows


def bench_operations(codes: np.ndarray) -> list[tuple[str, str]]:
    """What running the index costs besides queries: build peak, removals, compaction, snapshots.

    Runs in a fresh process (codes passed as an ``.npy`` file) so that peak memory is not
    hidden by heap the other indexes freed in this one.
    """
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "codes.npy"
        np.save(path, codes, allow_pickle=False)
        done = subprocess.run(
            [sys.executable, "-m", "bench.banks", "--operations-of", str(path)],
            check=True, capture_output=True, text=True,
        )
    return [tuple(line.split("\t", 1)) for line in done.stdout.splitlines()]  # type: ignore[misc]


def run_operations(path: str) -> None:
    """The child side of :func:`bench_operations`: one ``what<TAB>result`` line per step."""
    import ctypes
    import tempfile
    from pathlib import Path

    from genguard.banks.index.snapshot import load_index, save_index

    def measure() -> Callable[[], str]:
        ctypes.CDLL(None).malloc_trim(0)
        before = rss_bytes()
        reset_peak_rss()
        t0 = time.perf_counter()
        return lambda: (f"{time.perf_counter() - t0:.2f} s, peak RSS +{(peak_rss_bytes() - before) / 1e6:,.0f} MB, "
                        f"after +{(rss_bytes() - before) / 1e6:,.0f} MB")

    codes = np.load(path, allow_pickle=False)
    done = measure()
    index = MultiIndexHashIndex.from_arrays(codes, np.arange(len(codes)))
    print(f"build (input codes already in RAM)\t{done()}")
    del codes
    rng = np.random.default_rng(5)
    for k in (1, 1000):
        ids = rng.choice(len(index), k, replace=False)
        done = measure()
        removed = index.remove(ids)
        print(f"remove {k:,} ids in one call\t{done()} ({removed} codes)")
    index.add(rng.integers(0, 256, (200_001, 32), dtype=np.uint8), -np.arange(1, 200_002))
    done = measure()
    index.compact()
    print(f"compact (200,001 added, 1,001 removed)\t{done()}")
    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "pdq.idx"
        done = measure()
        save_index(index, snap, seq=1)
        print(f"snapshot save ({snap.stat().st_size / 1e6:,.0f} MB file)\t{done()}")
        del index
        done = measure()
        loaded = load_index(snap)
        print(f"snapshot load, verified and built ({len(loaded.index):,} codes)\t{done()}")


def bench_brute(codes: np.ndarray, queries: np.ndarray, truth: list[set[int]], single: int, kind: str) -> Row:
    index = BruteForceIndex()
    t0 = time.perf_counter()
    index.add(codes, np.arange(len(codes)))
    build = time.perf_counter() - t0
    n = min(single, 50)
    found = [set(index.search(queries[q], RADIUS).ids.tolist()) for q in range(n)]
    recall, false_hits = score(found, truth[:n])
    p50, p95 = latencies(lambda q: index.search(queries[q], RADIUS), n)
    row = Row(f"brute-force oracle, {kind}", len(codes), recall, false_hits, p50, p95, 1e3 / p50, codes.nbytes / 1e6, build, p50 / 1e3)
    del index
    gc.collect()
    return row


def bench_threatexchange(kind: str, codes: np.ndarray, queries: np.ndarray, truth: list[set[int]], single: int,
                         data: str) -> Row:
    from threatexchange.signal_type.pdq import pdq_index

    cls = getattr(pdq_index, kind)
    hexes = [c.tobytes().hex() for c in codes]
    query_hex = [q.tobytes().hex() for q in queries]
    gc.collect()
    before = rss_bytes()
    t0 = time.perf_counter()
    index = cls(zip(hexes, range(len(hexes)), strict=True))
    build = time.perf_counter() - t0
    # Its default threshold (31 for PDQIndex, 52 for PDQFlatIndex); recall is scored at <= 31.
    found = [{m.metadata for m in index.query(h) if m.similarity_info.distance <= RADIUS} for h in query_hex]
    recall, false_hits = score(found, truth)
    p50, p95 = latencies(lambda q: index.query(query_hex[q]), single)
    t0 = time.perf_counter()
    index.index.search_with_distance_in_result(query_hex, index.get_match_threshold())
    qps = len(queries) / (time.perf_counter() - t0)
    memory = (rss_bytes() - before) / 1e6
    new_hex = np.random.default_rng(99).integers(0, 256, 32, dtype=np.uint8).tobytes().hex()
    t0 = time.perf_counter()
    index.add(new_hex, -1)
    assert any(m.metadata == -1 for m in index.query(new_hex))
    new_s = time.perf_counter() - t0
    row = Row(f"threatexchange {kind}, {data}", len(codes), recall, false_hits, p50, p95, qps, memory, build, new_s)
    del index, hexes
    gc.collect()
    return row


def bench_live_via_db(codes: np.ndarray, poll_s: float = 0.2) -> float:
    """Seconds from one worker committing a new hash to another worker's lookup matching it.

    Both workers start from one snapshot of ``codes`` (as deployed workers do) on a shared
    SQLite database; the second learns of the hash only through the change log, polled every
    ``poll_s`` seconds (the service default).
    """
    import tempfile
    from pathlib import Path

    from genguard.banks.formats.records import SignalType
    from genguard.banks.index.snapshot import save_index
    from genguard.banks.matching import HashQuery
    from genguard.banks.model import BankKind
    from genguard.banks.service import BankService
    from genguard.store.db import open_store

    with tempfile.TemporaryDirectory() as tmp:
        snap = Path(tmp) / "pdq.idx"
        save_index(MultiIndexHashIndex.from_arrays(codes, -np.arange(1, len(codes) + 1)), snap, seq=0)
        store = open_store(f"sqlite:///{tmp}/banks.db")
        writer = BankService(store, snapshot_path=snap, poll_s=poll_s)
        reader = BankService(store, snapshot_path=snap, poll_s=poll_s)
        writer.create_bank("bench", BankKind.INTIMATE_IMAGE)
        new = np.random.default_rng(7).integers(0, 256, 32, dtype=np.uint8).tobytes().hex()
        query = HashQuery({SignalType.PDQ: [("original", new)]}, {SignalType.PDQ: 100})
        reader.lookup(query)  # the reader has just polled: the worst case waits a whole interval
        t0 = time.perf_counter()
        writer.add_entry("bench", SignalType.PDQ, new)
        while not reader.lookup(query).matches:
            time.sleep(0.005)
        elapsed = time.perf_counter() - t0
        store.close()
        del writer, reader
        gc.collect()
        return elapsed


def print_table(rows: list[Row]) -> None:
    head = "| index | hashes | recall ≤31 | false hits | p50 ms | p95 ms | batch q/s | memory MB | build s | new hash live s | p50 vs PDQIndex |"
    print(head)
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        data = r.name.rsplit(", ", 1)[-1].split(" (")[0]
        ref = next((x for x in rows if x.size == r.size and x.name == f"threatexchange PDQIndex, {data}"), None)
        ratio = f"{r.p50_ms / ref.p50_ms:.2f}x" if ref else "-"
        print(
            f"| {r.name} | {r.size:,} | {r.recall:.4f} | {r.false_hits} | {r.p50_ms:.2f} | {r.p95_ms:.2f} | "
            f"{r.batch_qps:,.0f} | {r.memory_mb:,.0f} | {r.build_s:.1f} | {r.new_hash_s:.4f} | {ratio} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--queries", type=int, default=1000, help="batch size (and queries with planted neighbours)")
    parser.add_argument("--single", type=int, default=200, help="queries timed one by one")
    parser.add_argument("--brute-max", type=int, default=1_000_000, help="largest size that runs the oracle")
    parser.add_argument("--no-threatexchange", action="store_true")
    parser.add_argument("--no-live", action="store_true", help="skip the two-worker DB + change-log timing")
    parser.add_argument("--no-ops", action="store_true", help="skip build peak, removal, compaction, snapshot timings")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", nargs="+", choices=["uniform", "clustered"], default=["uniform", "clustered"])
    parser.add_argument("--operations-of", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.operations_of:
        run_operations(args.operations_of)
        return
    single_threaded()
    rows: list[Row] = []
    live: dict[int, float] = {}
    ops: dict[int, list[tuple[str, str]]] = {}
    for size, kind in ((size, kind) for size in args.sizes for kind in args.data):
        codes, queries, truth = make_data(size, args.queries, args.seed, kind)
        _DATA.update(codes=codes, queries=queries)
        print(f"\n{kind} data, {size:,} codes (faiss and genguard on one thread each)", flush=True)
        rows += bench_genguard(codes, queries, truth, args.single, kind)
        print_table(rows[-2:])
        if size <= args.brute_max:
            rows.append(bench_brute(codes, queries, truth, args.single, kind))
        if not args.no_threatexchange:
            for index_kind in ("PDQIndex", "PDQFlatIndex"):
                rows.append(bench_threatexchange(index_kind, codes, queries, truth, args.single, kind))
                print_table(rows[-1:])
        if kind != args.data[0]:
            del codes
            gc.collect()
            continue  # operations and the live timing do not depend on the data's shape
        if not args.no_ops:
            ops[size] = bench_operations(codes)
            for what, result in ops[size]:
                print(f"{size:,}: {what}: {result}", flush=True)
        if not args.no_live:
            live[size] = bench_live_via_db(codes)
            print(f"new hash live on another worker via DB + change log at {size:,}: {live[size]:.3f} s", flush=True)
        del codes
        gc.collect()
    print()
    print_table(rows)
    for size, results in ops.items():
        print()
        print(f"| genguard index at {size:,} | measured |")
        print("|---|---|")
        for what, result in results:
            print(f"| {what} | {result} |")
    print()
    for size, seconds in live.items():
        print(f"genguard service at {size:,}: a hash added through one worker matched on another in {seconds:.3f} s "
              "(DB commit + change log + 0.2 s poll + verification)")


if __name__ == "__main__":
    main()
