"""Named-person detection: how often prompts get a name, what the rule then does, and its cost.

``python -m bench names [--limit N]`` runs the default intent backend (intent model + Rampart
name tagger, ``NamedPersonIntentDetector``) and the intent model alone (the baseline) on every
prompt file of the shared dev set, and prints per file: prompts with a name span, prompts where
``generate.intimate_real_person`` fires (real_person_reference and intimate both at or above the
pack's ``$intent``) with and without the tagger, and p50/p95 latency of ``detect`` for both;
then the tagger's recall on the names of 20 public figures (evaluation only, never a gazetteer),
written as typed and in lower case.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np
from rich.console import Console
from rich.table import Table

from genguard.detectors.intent import IntentDetector
from genguard.detectors.names import NamedPersonIntentDetector
from genguard.datasets import default_prompts_dir, read_prompts
from genguard.screening.facts import INTIMATE
from genguard.signals import IntentCategory, IntentSignal

#: Public figures for the recall probe (politics, music, film, sport, art; several name shapes).
PUBLIC_FIGURES = (
    "Taylor Swift", "Selena Gomez", "Kim Kardashian", "Beyonce", "Rihanna", "Donald Trump",
    "Keir Starmer", "Jennifer Lawrence", "Tom Cruise", "Greta Thunberg", "Ariana Grande",
    "Elon Musk", "Emma Stone", "Zendaya", "Harry Styles", "Barack Obama", "Emma Watson",
    "Scarlett Johansson", "Billie Eilish", "Margot Robbie",
)

#: The uk-osa pack's ``$intent`` threshold, which ``generate.intimate_real_person`` uses.
INTENT = 0.5


def fires(signal: IntentSignal) -> bool:
    """Whether ``generate.intimate_real_person`` holds for this signal."""
    intimate = max(signal.score(c) for c in INTIMATE)
    return signal.score(IntentCategory.REAL_PERSON_REFERENCE) >= INTENT and intimate >= INTENT


def timed(detect: Callable[[str, list[str]], IntentSignal], texts: list[str]) -> tuple[list[IntentSignal], list[float]]:
    signals, ms = [], []
    for text in texts:
        start = time.perf_counter()
        signals.append(detect(text, []))
        ms.append((time.perf_counter() - start) * 1000.0)
    return signals, ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="prompts per file (0: all)")
    args = parser.parse_args()
    rows = read_prompts(default_prompts_dir())
    names, baseline = NamedPersonIntentDetector(), IntentDetector()
    names.load()
    baseline.load()
    table = Table(title="named-person detection on the shared prompt files (one thread)")
    for column in ("file", "label", "prompts", "with a name", "rule fires: model only",
                   "rule fires: +names", "p50 ms model", "p50 ms +names", "p95 ms +names", "p50 ratio"):
        table.add_column(column, justify="left" if column in ("file", "label") else "right")
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row.id.split("-")[0], row.label), []).append(row.text)
    for (group, label), texts in sorted(groups.items()):
        texts = texts[: args.limit] if args.limit else texts
        for text in texts[:20]:  # warm both
            names.detect(text, [])
            baseline.detect(text, [])
        base_signals, base_ms = timed(baseline.detect, texts)
        name_signals, name_ms = timed(names.detect, texts)
        named = sum(any("name:" in e for e in s.evidence.get(IntentCategory.REAL_PERSON_REFERENCE, []))
                    for s in name_signals)
        p50b, p50n = float(np.percentile(base_ms, 50)), float(np.percentile(name_ms, 50))
        table.add_row(group, label, str(len(texts)), f"{named} ({named / len(texts):.1%})",
                      str(sum(map(fires, base_signals))), str(sum(map(fires, name_signals))),
                      f"{p50b:.2f}", f"{p50n:.2f}", f"{np.percentile(name_ms, 95):.2f}", f"{p50n / p50b:.2f}x")
    Console(width=160).print(table)
    recall = Table(title=f"name recall: '<name> in a red dress', {len(PUBLIC_FIGURES)} public figures")
    for column in ("written", "found", "missed"):
        recall.add_column(column)
    for written, case in (("as typed", str), ("lower case", str.lower)):
        missed = [n for n in PUBLIC_FIGURES if not names.names(f"{case(n)} in a red dress", [])]
        recall.add_row(written, f"{len(PUBLIC_FIGURES) - len(missed)}/{len(PUBLIC_FIGURES)}", ", ".join(missed))
    Console(width=160).print(recall)


if __name__ == "__main__":
    main()
