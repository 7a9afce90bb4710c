"""Output screening and lineage: ``python -m bench output_screen [--runs N] [--nodes N]``.

1. Output screen (one source + one output, 1024 px) against a single-image upload screen of the
   same 1024-px image, both through the same ``Guard`` (real models, a SQLite store, lineage and
   likeness registry on), in the same run: p50/p95 and the ratio of p50s (bar: ≤ 1.6). Twice:
   with the source never seen before (its signals forgotten before each run), and as the edit
   flow runs it, the source having been screened by the edit request just before (its signals
   reused, ``genguard.screening.recent``; the edit screen itself is not timed).
2. Lineage lookup at ``--nodes`` remembered outputs (default 1M, each indexed under
   ``len(CROPS)`` PDQ codes): ``Lineage.find`` (store tail query + exact multi-index search)
   against the brute-force oracle over the same codes (bar: ≤ 2 ms added per source).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
PORTRAIT = REPO.parent / "shared" / "data" / "images" / "portraits" / "young_adult_fairface_0100_woman_age20-29.jpg"


def _images() -> tuple[bytes, bytes]:
    """The adult portrait at 1024 px (source) and a benign edit of it (output), as JPEG."""
    with Image.open(PORTRAIT) as im:
        rgb = im.convert("RGB")
    ratio = 1024 / max(rgb.size)
    rgb = rgb.resize((round(rgb.width * ratio), round(rgb.height * ratio)), Image.Resampling.LANCZOS)
    out = []
    for edit in (False, True):
        image = rgb.copy()
        if edit:
            ImageDraw.Draw(image).rectangle((0, 0, image.width, image.height // 10), fill=(40, 30, 90))
        buf = io.BytesIO()
        image.save(buf, "JPEG", quality=92)
        out.append(buf.getvalue())
    return out[0], out[1]


def _timed(fn, runs: int, before=lambda: None) -> list[float]:  # noqa: ANN001
    before()
    fn()  # warm-up
    times = []
    for _ in range(runs):
        before()  # untimed preparation of each run
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def bench_output_screen(runs: int, console: Console) -> None:
    from genguard.config import Settings
    from genguard.guard import Guard
    from genguard.screening.recent import RecentSourceSignals
    from genguard.store.db import open_store

    source, output = _images()
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(database_url=f"sqlite:///{home}/bench.db", home=Path(home))
        store = open_store(settings.resolved_database_url())
        with Guard(settings, store=store) as guard:
            guard.load()
            upload = _timed(lambda: guard.screen(kind="upload", output=source), runs)

            def output_screen() -> None:
                guard.screen(kind="output", prompt="put a hat on her", sources=[source], output=output)

            def forget() -> None:
                guard.recent_sources = RecentSourceSignals()

            def edit_first() -> None:
                forget()
                guard.screen(kind="edit", prompt="put a hat on her", sources=[source])

            cold = _timed(output_screen, runs, before=forget)
            flow = _timed(output_screen, runs, before=edit_first)
        store.close()
    table = Table("screen (1024 px)", "runs", "p50 ms", "p95 ms", "ratio of p50")
    table.add_row("upload, one image (baseline)", str(runs), f"{_pct(upload, 50):.1f}", f"{_pct(upload, 95):.1f}", "1.00")
    for label, times in (("output: source + output, delta, lineage; source not seen before", cold),
                         ("output after the edit screen of the same source (its signals reused)", flow)):
        table.add_row(label, str(runs), f"{_pct(times, 50):.1f}", f"{_pct(times, 95):.1f}",
                      f"{_pct(times, 50) / _pct(upload, 50):.2f} (bar 1.6)")
    console.print(table)


def bench_lineage(nodes: int, console: Console) -> None:
    from genguard.banks.index.brute import BruteForceIndex
    from genguard.banks.index.codes import pdq_hex
    from genguard.banks.index.mih import MultiIndexHashIndex
    from genguard.screening.lineage import CROPS, Lineage
    from genguard.store.db import open_store

    rng = np.random.default_rng(7)
    codes = rng.integers(0, 256, (nodes * len(CROPS), 32), dtype=np.uint8)
    ids = np.repeat(np.arange(1, nodes + 1, dtype=np.int64), len(CROPS))
    start = time.perf_counter()
    index = MultiIndexHashIndex.from_arrays(codes, ids)
    build_s = time.perf_counter() - start
    brute = BruteForceIndex()
    brute.add(codes, ids)
    queries = []
    for i in rng.integers(0, len(codes), 200):
        q = codes[i].copy()
        q[rng.integers(0, 32, 3)] ^= 0x11  # a near copy: a few bits flipped
        queries.append(q)
    with tempfile.TemporaryDirectory() as home:
        store = open_store(f"sqlite:///{home}/lineage.db")
        lineage = Lineage(store, index=index)
        lineage._last_id = nodes  # the rows are "already indexed"; the tail query still runs  # noqa: SLF001
        it = iter(queries)
        find = _timed(lambda: lineage.find(pdq_hex(next(it))), 150)
        store.close()
    search = _timed(lambda q=queries[0]: index.search(q, 31), 150)
    oracle = _timed(lambda q=queries[0]: brute.search(q, 31), 5)
    table = Table(f"lineage lookup at {nodes:,} outputs ({len(codes):,} codes)", "p50 ms", "p95 ms", "ratio to oracle")
    table.add_row("Lineage.find (tail query + MIH search)", f"{_pct(find, 50):.3f}", f"{_pct(find, 95):.3f}",
                  f"{_pct(find, 50) / _pct(oracle, 50):.4f}")
    table.add_row("MIH search alone", f"{_pct(search, 50):.3f}", f"{_pct(search, 95):.3f}",
                  f"{_pct(search, 50) / _pct(oracle, 50):.4f}")
    table.add_row("brute-force oracle (baseline)", f"{_pct(oracle, 50):.1f}", f"{_pct(oracle, 95):.1f}", "1")
    console.print(table)
    console.print(f"index build {build_s:.1f} s, {index.nbytes / 2**20:.0f} MiB; bar: find p50 ≤ 2 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--nodes", type=int, default=1_000_000)
    args = parser.parse_args()
    console = Console()
    bench_output_screen(args.runs, console)
    bench_lineage(args.nodes, console)


if __name__ == "__main__":
    main()
