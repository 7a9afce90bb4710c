"""Text-prompt screening speed, stage by stage, against the committed code before the fast path.

``python -m bench prompt_speed [--prompts N] [--repeats R] [--mix all|sexual] [--baseline REF]``
prints one table; ``--decisions N`` instead screens every ``len/N``-th row of the shared dev set
(``-N``: the N timed prompts and the warm-up ones), kind ``generate``, with this code's
``Guard.screen`` one by one and ``Guard.screen_many``, and with the baseline's, and prints how
many verdicts differ in decision, reasons, rule, escalation or rules hit between this code's two
and between the baseline and this code (must be 0). Rows, each measured on the same prompts in a
fresh interpreter:

- ``first stage``: the intent model's hashed n-gram + WordLlama logistic model alone (encoder
  off): ``IntentModel.predict`` on the normalised prompt (p50) and ``predict_batch`` (batched);
- ``+ encoder``: ``IntentDetector.detect`` (both stages, evidence) and ``score_many`` - the
  figures the README quoted as 601-1,712 prompts/s;
- ``+ name tagger``: ``NamedPersonIntentDetector.detect``, the default backend with the tagger
  on every prompt (one prompt at a time: it has no batch form);
- ``Guard.screen``: the default backend as the service runs it, audit records written to an
  SQLite file (WAL, as ``open_store`` sets it up), one prompt at a time, kind ``generate``;
- ``Guard.screen_many``: the same requests in one call (batched);
- ``baseline Guard.screen``: ``Guard.screen`` of the commit ``--baseline`` (the code before the
  fast path, unpacked with ``git archive``), same prompts, same worker; and its
  ``Guard.screen_many`` where that commit has one (``--baseline e6f7ff6``: the code before the
  batch-speed work of 2026-12-06, docs/benchmarks.md).

Each prompt is measured once per row after warming up on other prompts, so the normaliser and
lexicon caches only help within a request, as they do in service. ``--repeats`` runs every
worker that many times, alternating current and baseline; the table shows medians and the
range. Throughput is prompts divided by wall time, one thread (ONNX Runtime sessions use one).
The CPU columns divide by the process's CPU time instead (``time.process_time``, every thread):
on a machine shared with other jobs the wall figures grow with the load, the CPU figures are
close to what the same work takes on an idle core (they leave out waiting for I/O, which the
SQLite WAL store at ``synchronous=NORMAL`` does not do per commit).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

REPO = Path(__file__).resolve().parents[1]
#: The last commit before the fast text path (policy-gated name tagger, screen_many).
BASELINE_REF = "c842ade"
#: Prompts used only to warm up (models, allocator, ONNX sessions), never measured.
WARMUP = 40
TARGETS = {"p50_ms": 5.0, "batched": 500.0}


def select_prompts(limit: int, mix: str) -> list[str]:
    """Every ``len/limit``-th prompt of the shared dev set (``mix="sexual"``: its sexual rows)."""
    from genguard.datasets import default_prompts_dir, read_prompts

    rows = read_prompts(default_prompts_dir())
    if mix == "sexual":
        rows = [r for r in rows if r.label == "block"]
    texts = [r.text for r in rows]
    step = max(1, len(texts) // (limit + WARMUP))
    return texts[::step][: limit + WARMUP]


def _one_by_one(fn: Callable[[str], object], texts: list[str]) -> dict[str, float]:
    """Wall-clock p50/p95 and prompts/s, and the same from the process's CPU time."""
    ms, cpu_ms = [], []
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in texts:
        t0, c0 = time.perf_counter(), time.process_time()
        fn(text)
        ms.append((time.perf_counter() - t0) * 1000.0)
        cpu_ms.append((time.process_time() - c0) * 1000.0)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {"p50_ms": float(np.percentile(ms, 50)), "p95_ms": float(np.percentile(ms, 95)),
            "single": len(texts) / wall, "cpu_p50_ms": float(np.percentile(cpu_ms, 50)),
            "cpu_single": len(texts) / cpu}


def _batched(fn: Callable[[list[str]], object], texts: list[str]) -> dict[str, float]:
    start, cpu_start = time.perf_counter(), time.process_time()
    fn(texts)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return {"batched": len(texts) / wall, "cpu_batched": len(texts) / cpu}


def worker(texts: list[str], *, stages: bool) -> dict[str, dict[str, float]]:
    """Measure in this process (whichever genguard is on the path); ``stages``: all rows."""
    from genguard.guard import Guard
    from genguard.request import Request
    from genguard.store.db import open_store

    warm, texts = texts[:WARMUP], texts[WARMUP:]
    folder = tempfile.mkdtemp(prefix="gg-bench-")
    out: dict[str, dict[str, float]] = {}
    with Guard(store=open_store(f"sqlite:///{folder}/genguard.db")) as guard:
        guard.load()
        for text in warm:
            guard.screen(kind="generate", prompt=text)
        out["Guard.screen"] = _one_by_one(lambda t: guard.screen(kind="generate", prompt=t), texts)
        if hasattr(guard, "screen_many"):  # a baseline may predate it
            requests = [Request(kind="generate", prompt=t) for t in texts]
            out["Guard.screen_many"] = _batched(lambda _: guard.screen_many(requests), texts)
        if not stages:
            return out
        names = guard.detectors["intent"]
    from genguard.detectors.intent import IntentDetector
    from genguard.detectors.intent.model import IntentModel
    from genguard.detectors.intent.normalise import normalise

    first = IntentModel()
    first.encoder = None  # the first stage alone
    both = IntentDetector()
    both.load()
    for text in warm:
        first.predict(normalise(text))
        both.detect(text, [])
        names.detect(text, [])
    out["first stage"] = {**_one_by_one(lambda t: first.predict(normalise(t)), texts),
                          **_batched(lambda ts: first.predict_batch([normalise(t) for t in ts]), texts)}
    out["+ encoder"] = {**_one_by_one(lambda t: both.detect(t, []), texts), **_batched(both.score_many, texts)}
    out["+ name tagger"] = _one_by_one(lambda t: names.detect(t, []), texts)
    return out


def decisions(texts: list[str]) -> dict[str, list[list[object]]]:
    """What must not change, per prompt: decision, reasons, rule, escalation and rules hit, from
    ``Guard.screen`` one by one (``screen``) and, where this genguard has it, ``screen_many``."""
    from genguard.guard import Guard
    from genguard.request import Request
    from genguard.store.db import open_store

    def key(v: Any) -> list[object]:
        return [v.decision.value, v.reasons, v.rule, v.escalate, [h.rule for h in v.hits]]

    folder = tempfile.mkdtemp(prefix="gg-bench-")
    with Guard(store=open_store(f"sqlite:///{folder}/genguard.db")) as guard:
        requests = [Request(kind="generate", prompt=t) for t in texts]
        out = {"screen": [key(guard.screen(r)) for r in requests]}
        if hasattr(guard, "screen_many"):
            out["screen_many"] = [key(v) for v in guard.screen_many(requests)]
    return out


def _unpack(ref: str) -> Path | None:
    """``src`` of ``ref`` in a temporary folder, or None when the ref is not in this clone."""
    try:
        data = subprocess.run(["git", "-C", str(REPO), "archive", ref, "src"], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    target = Path(tempfile.mkdtemp(prefix="gg-baseline-"))
    with tarfile.open(fileobj=BytesIO(data)) as archive:
        archive.extractall(target, filter="data")
    return target / "src"


def _run_worker(src: Path, prompts_file: Path, *flags: str) -> Any:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), str(REPO)])}
    args = [sys.executable, "-m", "bench.prompt_speed", "--worker", str(prompts_file), *flags]
    done = subprocess.run(args, env=env, check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(done.stdout.splitlines()[-1])


def compare_decisions(rows: int, ref: str, mix: str) -> None:
    """Screen every ``len/rows``-th dev-set prompt with ``ref`` and with this code; print how many
    verdicts differ: this code's ``screen_many`` against its ``screen`` one by one, and against
    ``ref`` (its ``screen_many`` where it has one, else its ``screen``)."""
    from genguard.datasets import default_prompts_dir, read_prompts

    if rows > 0:
        texts = [r.text for r in read_prompts(default_prompts_dir())]
        texts = texts[:: max(1, len(texts) // rows)]
    else:  # the timed prompts of ``--prompts -rows`` (warm-up ones included)
        texts = select_prompts(-rows, mix)
    baseline_src = _unpack(ref)
    if baseline_src is None:
        sys.exit(f"git ref {ref!r} is not in this clone")
    prompts_file = Path(tempfile.mkdtemp(prefix="gg-bench-")) / "prompts.json"
    prompts_file.write_text(json.dumps(texts), encoding="utf-8")
    before = _run_worker(baseline_src, prompts_file, "--decisions-only")
    after = _run_worker(REPO / "src", prompts_file, "--decisions-only")
    blocked = sum(v[0] == "block" for v in after["screen"])
    print(f"{len(texts)} prompts ({blocked} blocked); verdicts that differ in decision, reasons, rule, "
          "escalation or rules hit:")
    pairs = {"screen_many vs screen, this code": (after["screen"], after["screen_many"]),
             f"screen_many vs {ref}": (before.get("screen_many", before["screen"]), after["screen_many"])}
    for label, (b_keys, a_keys) in pairs.items():
        differ = [(t, b, a) for t, b, a in zip(texts, b_keys, a_keys, strict=True) if a != b]
        print(f"  {label}: {len(differ)}")
        for text, b, a in differ[:20]:
            print(f"    {text[:60]!r}: {b} -> {a}")


def _load() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=600, help="prompts measured per row")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--mix", choices=("all", "sexual"), default="all",
                        help="all: every file of the dev set in proportion; sexual: its sexual rows")
    parser.add_argument("--baseline", default=BASELINE_REF, help="git ref of the code to compare with")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--decisions", type=int, metavar="N",
                        help="compare the verdicts of about N dev-set prompts (-N: the N timed prompts of "
                             "--mix) with the baseline and screen_many with screen instead")
    parser.add_argument("--only-screen", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--decisions-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        texts = json.loads(args.worker.read_text(encoding="utf-8"))
        result = decisions(texts) if args.decisions_only else worker(texts, stages=not args.only_screen)
        print(json.dumps(result))
        return
    if args.decisions:
        compare_decisions(args.decisions, args.baseline, args.mix)
        return

    texts = select_prompts(args.prompts, args.mix)
    prompts_file = Path(tempfile.mkdtemp(prefix="gg-bench-")) / "prompts.json"
    prompts_file.write_text(json.dumps(texts), encoding="utf-8")
    baseline_src = _unpack(args.baseline)
    runs: dict[str, list[dict[str, float]]] = {}
    loads = [_load()]
    for _ in range(args.repeats):
        for name, values in _run_worker(REPO / "src", prompts_file).items():
            runs.setdefault(name, []).append(values)
        if baseline_src is not None:
            for name, values in _run_worker(baseline_src, prompts_file, "--only-screen").items():
                runs.setdefault(f"baseline {name} ({args.baseline})", []).append(values)
        loads.append(_load())

    measured = len(texts) - WARMUP
    table = Table(title=f"text prompt screening, {measured} prompts ({args.mix} mix), one thread, "
                        f"median of {args.repeats} (range); load average 1/5/15 min: {' -> '.join(loads)}")
    columns = {"p50_ms": "p50 ms", "p95_ms": "p95 ms", "single": "one by one /s", "batched": "batched /s",
               "cpu_p50_ms": "CPU p50 ms", "cpu_single": "CPU one by one /s", "cpu_batched": "CPU batched /s"}
    table.add_column("path")
    for column in columns.values():
        table.add_column(column, justify="right")
    order = ["first stage", "+ encoder", "+ name tagger", "Guard.screen", "Guard.screen_many"]
    for name in [*order, *sorted(set(runs) - set(order))]:
        if name not in runs:
            continue
        cells = []
        for key in columns:
            values = [r[key] for r in runs[name] if key in r]
            if not values:
                cells.append("")
                continue
            median = statistics.median(values)
            fmt = "{:.2f}" if key.endswith("_ms") else "{:,.0f}"
            spread = f" ({fmt.format(min(values))}-{fmt.format(max(values))})" if len(values) > 1 else ""
            cells.append(fmt.format(median) + spread)
        table.add_row(name, *cells)
    Console(width=200).print(table)
    print("wall: elapsed time; CPU: the process's CPU time (all threads), what an idle core would take")
    print(f"targets for the default backend: Guard.screen p50 <= {TARGETS['p50_ms']:g} ms, "
          f"Guard.screen_many >= {TARGETS['batched']:g} prompts/s")


if __name__ == "__main__":
    main()
