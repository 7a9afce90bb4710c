"""Bulk throughput: ``genguard scan`` against ``screen --batch`` as it was and in-process batching.

``python -m bench scan [--prompts N] [--images N] [--scale 1000 10000] [--text-scale ...] [--no-ray]``
prints one table. Every row runs in this one run, on the same machine and the same inputs:

- text, ``Guard.screen_many`` in-process: the in-process benchmark (one process, batches of
  256, audit records to SQLite) - the bar is ``scan >= 0.8x`` this;
- text, ``screen --batch`` as it was: :func:`one_at_a_time`, the old batch path (one
  ``Guard.screen`` per line, one process), kept here as the baseline, not in the product;
- text, ``genguard scan``: the local engine on all cores, warm (workers started, models loaded),
  records committed to a JSONL file with fsync, as the command does; and the command itself,
  cold (a fresh process: imports, worker start, model loads included);
- 1024-px images, screened as uploads, 1 worker vs all workers (bar ``>= 1.7x`` on 2 cores);
- the Ray engine on this machine (a local Ray instance) vs the local engine on the same images,
  both cold (worker/actor start and model loads included): Ray's overhead ratio;
- RSS of each worker process after the image run;
- scaling: items/s of a match scan (hash + bank lookup) over 1k/10k generated image variants,
  and of a text scan over 1k/10k/100k prompts.

The image corpus is made from the licensed images in ``../shared/data/images`` with generated
variants (crops, resizes, JPEG recompression at several qualities); the prompts are generated
from benign templates. Audit records are written as in production (SQLite, WAL).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO.parent / "shared" / "data" / "images"

_THINGS = ("lighthouse", "red bicycle", "mountain lake", "bowl of fruit", "city skyline", "sailing boat",
           "forest path", "old library", "tea set", "desert canyon", "garden shed", "steam train")
_STYLES = ("watercolour", "oil painting", "pencil sketch", "photograph", "linocut", "3d render")
_WHEN = ("at dawn", "in the rain", "under snow", "at night", "in autumn", "in summer light")


def prompts(count: int) -> list[dict[str, str]]:
    """Distinct benign generate requests from templates."""
    return [{"id": f"p{i}", "kind": "generate",
             "prompt": f"a {_STYLES[i % 6]} of a {_THINGS[(i // 6) % 12]} {_WHEN[(i // 72) % 6]}, no. {i}"}
            for i in range(count)]


def variants(count: int, side: int, folder: Path) -> Path:
    """``count`` JPEG variants of the licensed images (crop, resize to ``side``, recompress)."""
    sources = sorted(p for p in IMAGES.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))
    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for path in sources:
        with Image.open(path) as im:
            bases.append(im.convert("RGB"))
    for i in range(count):
        im = bases[i % len(bases)]
        k = i // len(bases)
        w, h = im.size
        crop = 0.02 * (k % 6)  # up to 10 % off each side
        box = (int(w * crop), int(h * crop * 0.5), w - int(w * crop * 0.7), h - int(h * crop))
        out = im.crop(box)
        scale = side / max(out.size) * (1.0 - 0.05 * ((k // 6) % 3))
        out = out.resize((max(1, round(out.width * scale)), max(1, round(out.height * scale))))
        out.save(folder / f"v{i:06d}.jpg", "JPEG", quality=70 + 5 * (k % 6))
    return folder


def one_at_a_time(guard, requests: list) -> None:  # noqa: ANN001
    """``screen --batch`` as it was: every line through ``Guard.screen``, one after another."""
    for request in requests:
        guard.screen(request, actor="cli-batch")


def _rate(count: int, fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return count / (time.perf_counter() - start)


def _scan(engine, source: Path, out: Path) -> float:  # noqa: ANN001
    """Items/s of a scan of ``source`` through ``engine`` into a fresh JSONL output."""
    from genguard.scan.run import run_scan
    from genguard.scan.sources import open_source
    from genguard.scan.writers import open_writer

    out.unlink(missing_ok=True)
    writer = open_writer(out, "jsonl", resume=False)
    start = time.perf_counter()
    result = run_scan(open_source(str(source)), engine, writer)
    elapsed = time.perf_counter() - start
    writer.close()
    return result.items / elapsed


def _warm(engine, sample: list) -> None:  # noqa: ANN001
    """Start every worker and load its models (batches until each process has answered)."""
    from genguard.scan.items import ScanItem

    if engine.workers == 0:
        return
    seen: set[int] = set()
    deadline = time.monotonic() + 300
    while len(seen) < engine.workers and time.monotonic() < deadline:
        futures = [engine._submit([ScanItem(0, "warm", request=sample[0])]) for _ in range(4 * engine.workers)]  # noqa: SLF001
        for f in futures:
            f.result()
        seen = set(engine._pool._processes)  # noqa: SLF001 - the bench looks inside to wait for all
        time.sleep(1.0)


def _worker_rss_mb(engine) -> list[float]:  # noqa: ANN001
    out = []
    for pid in engine._pool._processes:  # noqa: SLF001
        with open(f"/proc/{pid}/status") as fh:
            out += [int(line.split()[1]) / 1024 for line in fh if line.startswith("VmRSS")]
    return out


def _write_manifest(path: Path, rows: list) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=4000, help="text items per text row")
    parser.add_argument("--old-prompts", type=int, default=600, help="prompts for the slow old batch path")
    parser.add_argument("--images", type=int, default=48, help="1024-px images per image row")
    parser.add_argument("--scale", type=int, nargs="*", default=[1000, 10000], help="match-scan corpus sizes")
    parser.add_argument("--text-scale", type=int, nargs="*", default=[1000, 10000, 100000])
    parser.add_argument("--no-ray", action="store_true", help="skip the Ray row")
    parser.add_argument("--parts", nargs="+", choices=["text", "images", "scaling"], default=["text", "images", "scaling"],
                        help="which rows to run (images includes the Ray row)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-scan-"))
    os.environ["GENGUARD_HOME"] = str(tmp / "home")
    os.environ["GENGUARD_DATABASE_URL"] = f"sqlite:///{tmp / 'bench.db'}"
    (tmp / "home").mkdir()

    from genguard.scan.engine import default_workers

    console = Console()
    cores = default_workers()
    table = Table("what", "items", "items/s", "ratio", "note",
                  title=f"genguard scan throughput ({cores} cores; this machine is shared with other jobs)")
    rows = prompts(args.prompts)
    if "text" in args.parts:
        _text_rows(args, tmp, rows, table)
    if "images" in args.parts:
        _image_rows(args, tmp, rows, table, cores)
    if "scaling" in args.parts:
        _scaling_rows(args, tmp, table)
    console.print(table)


def _text_rows(args: argparse.Namespace, tmp: Path, rows: list[dict[str, str]], table: Table) -> None:
    from genguard.config import Settings
    from genguard.guard import Guard
    from genguard.request import Request
    from genguard.scan.engine import LocalEngine
    from genguard.scan.worker import WorkerConfig
    from genguard.store.db import open_store

    text_manifest = _write_manifest(tmp / "prompts.jsonl", rows)
    requests = [Request.model_validate(r) for r in rows]

    store = open_store(os.environ["GENGUARD_DATABASE_URL"])
    guard = Guard(Settings(), store=store)
    guard.load()
    guard.screen_many(requests[:256])
    inproc = _rate(len(requests), lambda: [guard.screen_many(requests[i:i + 256]) for i in range(0, len(requests), 256)])
    old = _rate(args.old_prompts, lambda: one_at_a_time(guard, requests[:args.old_prompts]))
    guard.close()
    store.close()

    engine = LocalEngine(WorkerConfig(), workers=None)
    _warm(engine, rows)
    scan = _scan(engine, text_manifest, tmp / "out.jsonl")
    engine.close()
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from genguard.cli.main import app; app()", "scan", str(text_manifest),
                    "-o", str(tmp / "cold.jsonl")], check=False, capture_output=True)
    cold = len(rows) / (time.perf_counter() - start)
    table.add_row("text: Guard.screen_many in-process", str(len(rows)), f"{inproc:,.0f}", "1.00", "baseline (bar: scan ≥ 0.8×)")
    table.add_row("text: screen --batch as it was", str(args.old_prompts), f"{old:,.0f}", f"{old / inproc:.2f}", "one Guard.screen a line")
    table.add_row(f"text: genguard scan, {engine.workers} workers, warm", str(len(rows)), f"{scan:,.0f}",
                  f"{scan / inproc:.2f}", f"{scan / old:.1f}× the old batch path")
    table.add_row("text: genguard scan command, cold", str(len(rows)), f"{cold:,.0f}", f"{cold / inproc:.2f}",
                  "fresh process: imports, worker start, models")


def _image_rows(args: argparse.Namespace, tmp: Path, rows: list[dict[str, str]], table: Table, cores: int) -> None:
    from genguard.scan.engine import LocalEngine
    from genguard.scan.items import Mode
    from genguard.scan.worker import WorkerConfig

    images = variants(args.images, 1024, tmp / "img1024")
    config = WorkerConfig(mode=Mode.SCREEN)
    per: dict[int, float] = {}
    rss: list[float] = []
    for workers in sorted({1, cores}):
        engine = LocalEngine(config, workers=workers)
        _warm(engine, rows)
        per[workers] = _scan(engine, images, tmp / "img.jsonl")
        rss = _worker_rss_mb(engine)
        engine.close()
    table.add_row("1024-px uploads: 1 worker", str(args.images), f"{per[1]:.1f}", "1.00", "screened as uploads")
    if cores > 1:
        table.add_row(f"1024-px uploads: {cores} workers", str(args.images), f"{per[cores]:.1f}",
                      f"{per[cores] / per[1]:.2f}", "bar ≥ 1.7× on 2 cores")
    table.add_row("worker RSS after the image run", "", "", "",
                  ", ".join(f"{r:.0f} MB" for r in rss))

    if not args.no_ray:
        import ray

        from genguard.scan.ray_engine import RayEngine

        small = variants(min(args.images, 24), 1024, tmp / "ray1024")
        local_cold = _scan(LocalEngine(config, workers=cores), small, tmp / "l.jsonl")
        ray.init(num_cpus=cores, include_dashboard=False, _node_ip_address="127.0.0.1", log_to_driver=False,
                 configure_logging=False)
        ray_cold = _scan(RayEngine(config, workers=cores), small, tmp / "r.jsonl")
        ray.shutdown()
        table.add_row(f"Ray engine, one machine, {cores} actors, cold", "24", f"{ray_cold:.2f}",
                      f"{ray_cold / local_cold:.2f}", f"local engine cold: {local_cold:.2f}/s (= 1.00)")


def _scaling_rows(args: argparse.Namespace, tmp: Path, table: Table) -> None:
    from genguard.scan.engine import LocalEngine
    from genguard.scan.items import Mode
    from genguard.scan.worker import WorkerConfig

    for count in args.scale:
        folder = variants(count, 512, tmp / f"scale{count}")
        engine = LocalEngine(WorkerConfig(mode=Mode.MATCH), workers=None)
        rate = _scan(engine, folder, tmp / "s.jsonl")
        engine.close()
        table.add_row("scaling: match scan, 512-px variants", f"{count:,}", f"{rate:,.0f}", "",
                      "cold: worker start included")
    for count in args.text_scale:
        manifest = _write_manifest(tmp / f"t{count}.jsonl", prompts(count))
        engine = LocalEngine(WorkerConfig(), workers=None)
        rate = _scan(engine, manifest, tmp / "t.jsonl")
        engine.close()
        table.add_row("scaling: text scan", f"{count:,}", f"{rate:,.0f}", "", "cold: worker start included")


if __name__ == "__main__":
    main()
