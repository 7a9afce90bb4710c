"""Prompt intent classifier speed and memory, against the keyword-list baseline in the same run.

``python -m bench intent [--prompts N]`` prints, for the intent model and the keyword baseline:
p50/p95 latency of one prompt (``IntentDetector.detect``, evidence included; the baseline's
``keyword_signal``), batched throughput (``score_many`` over all prompts at once; the baseline
in a loop, it has no batch form), load time and RSS of a fresh process holding the loaded
system (so neither run's imports or caches flatter the other), and model/baseline ratios.

Prompts: the hand-written multilingual templates plus benign captions and edit instructions of
the shared dev set, so lengths and scripts are those the service sees.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.table import Table

from genguard.detectors.intent import IntentDetector
from genguard.detectors.intent.keywords import keyword_signal
from genguard.training.intent import template_examples
from genguard.datasets import default_prompts_dir, read_prompts

BARS = {"p50 one prompt (ms)": 5.0, "batched prompts/s": 500.0, "load (s)": 2.0, "RSS loaded (MB)": 200.0}

#: Run in a fresh interpreter: import, load (timed), score one prompt, report load seconds and RSS.
_FRESH = """
import json, time
t0 = time.perf_counter()
{load}
load_s = time.perf_counter() - t0
status = {{l.split(':')[0]: l.split()[1] for l in open('/proc/self/status') if l.startswith(('VmRSS', 'VmHWM'))}}
print(json.dumps({{"load_s": load_s, "rss_mb": int(status['VmRSS']) / 1024, "peak_mb": int(status['VmHWM']) / 1024}}))
"""
_LOAD = {
    "model": "from genguard.detectors.intent import IntentDetector\n"
             "d = IntentDetector(); d.load(); d.detect('put a hat on her', [])",
    "baseline": "from genguard.detectors.intent.keywords import keyword_signal\nkeyword_signal('put a hat on her')",
}


def prompts(limit: int) -> list[str]:
    """Templates first, then benign dev captions and edits, ``limit`` in all (deterministic)."""
    texts = [e.text for e in template_examples()]
    folder = default_prompts_dir()
    if folder.is_dir():
        texts += [r.text for r in read_prompts(folder) if r.label == "allow"]
    step = max(1, len(texts) // limit)
    return texts[::step][:limit]


def latencies_ms(fn: Callable[[str], object], texts: list[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.perf_counter()
        fn(text)
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def fresh_process(system: str) -> dict[str, float]:
    """Load time and RSS of a new interpreter that loads only ``system``; median of 3 runs."""
    runs = []
    for _ in range(3):
        out = subprocess.run([sys.executable, "-c", _FRESH.format(load=_LOAD[system])],
                             check=True, capture_output=True, text=True).stdout
        runs.append(json.loads(out))
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompts", type=int, default=4000)
    args = parser.parse_args()
    texts = prompts(args.prompts)
    detector = IntentDetector()
    detector.load()
    for text in texts[:50]:  # warm caches and the allocator, for both systems
        detector.detect(text, [])
        keyword_signal(text)

    results: dict[str, dict[str, float]] = {}
    model_ms = latencies_ms(lambda t: detector.detect(t, []), texts)
    base_ms = latencies_ms(keyword_signal, texts)
    start = time.perf_counter()
    detector.score_many(texts)
    model_batch = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    for text in texts:
        keyword_signal(text)
    base_batch = len(texts) / (time.perf_counter() - start)
    for name, ms, batch in (("model", model_ms, model_batch), ("baseline", base_ms, base_batch)):
        fresh = fresh_process(name)
        results[name] = {
            "p50 one prompt (ms)": float(np.percentile(ms, 50)),
            "p95 one prompt (ms)": float(np.percentile(ms, 95)),
            "batched prompts/s": batch,
            "load (s)": fresh["load_s"],
            "RSS loaded (MB)": fresh["rss_mb"],
        }

    table = Table(title=f"intent classifier vs keyword baseline: {len(texts)} prompts, one thread")
    for column in ("measure", detector.version, "keywords-en-v1", "ratio model/baseline", "bar (model)", "meets bar"):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for measure in results["model"]:
        m, b = results["model"][measure], results["baseline"][measure]
        bar = BARS.get(measure)
        higher_is_better = measure == "batched prompts/s"
        ok = "" if bar is None else ("yes" if (m >= bar if higher_is_better else m <= bar) else "NO")
        table.add_row(measure, f"{m:.3f}", f"{b:.3f}", f"{m / b:.3g}x" if b else "-",
                      "" if bar is None else (f">= {bar:g}" if higher_is_better else f"<= {bar:g}"), ok)
    Console(width=140).print(table)


if __name__ == "__main__":
    main()
