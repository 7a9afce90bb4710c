"""Named-real-person recall and precision: the Rampart tagger alone against tagger + gazetteer.

``python -m bench name_recall [--split heldout|dev|all] [--captions N]`` reads
tests/detectors/data/named_people.json (public figures of many countries, scripts and
professions, each in four prompt shapes; benign look-alikes; fictional characters apart) and
prints, for the baseline (the Rampart tagger on the prompt and its normalised form, as the
backend reads them) and for the default backend's name stage (tagger + given-name gazetteer):
recall per prompt shape and per script with Wilson 95 % intervals, look-alikes tagged, precision,
the rate of name spans on COCO captions (benign, no names expected), and the per-prompt cost of
each stage. A prompt counts as recalled when a span shares a word with the person's name.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from genguard.detectors.intent.normalise import normalise
from genguard.detectors.names import NamedPersonIntentDetector, is_intent_term
from genguard.detectors.names.gazetteer import NameGazetteer
from genguard.detectors.names.tagger import NameTagger
from genguard.datasets import default_prompts_dir, read_prompts
from genguard.eval.metrics import wilson

DATA = Path(__file__).resolve().parent.parent / "tests" / "detectors" / "data" / "named_people.json"


def load(split: str) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(prompt, name, shape/script group) of the split's people, and (prompt, kind) look-alikes."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    people = [p for p in data["people"] if split == "all" or p[3] == split]
    prompts = []
    for name, _country, what, _split in people:
        script = what.split(", ")[1] if ", " in what else "Latin"
        for template, shape in data["templates"]:
            prompts.append((template.format(name=name, lower=name.lower()), name, f"{shape} / {script}"))
    return prompts, [tuple(x) for x in data["lookalikes"]]


def names_in(spans_texts: list[str], name: str) -> bool:
    words = set(re.findall(r"\w+", normalise(name)))
    return any(words & set(re.findall(r"\w+", normalise(s))) for s in spans_texts)


def rate(hits: int, total: int) -> str:
    ci = wilson(hits, total)
    return f"{hits}/{total} = {hits / total:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]" if ci else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("heldout", "dev", "all"), default="heldout")
    parser.add_argument("--captions", type=int, default=2000, help="COCO captions for the false-span rate")
    args = parser.parse_args()
    tagger, gazetteer, backend = NameTagger(), NameGazetteer(), NamedPersonIntentDetector()
    backend.load()

    def baseline(text: str) -> list[str]:
        views = [text] + ([normalise(text)] if normalise(text) != text.lower() else [])
        return [s.text for spans in tagger.find(views, skip=is_intent_term) for s in spans]

    def combined(text: str) -> list[str]:
        return [span.text for _, span in backend.names(text, [])]

    stages: dict[str, Callable[[str], list[str]]] = {"tagger (baseline)": baseline, "tagger + gazetteer": combined}
    people, lookalikes = load(args.split)
    fictional = [t for t, kind in lookalikes if kind == "fictional"]
    benign = [t for t, kind in lookalikes if kind != "fictional"]
    captions = [r.text for r in read_prompts(default_prompts_dir()) if r.id.startswith("coco")][: args.captions]
    groups = sorted({g for _, _, g in people})
    table = Table(title=f"named real people, split {args.split}: {len({n for _, n, _ in people})} people, "
                        f"{len(people)} prompts; Wilson 95 % intervals")
    table.add_column("measure")
    for stage in stages:
        table.add_column(stage, justify="right")
    results: dict[str, list[str]] = {}
    for stage, find in stages.items():
        hit = [names_in(find(t), n) for t, n, _ in people]
        false = sum(bool(find(t)) for t in benign)
        per_group = [rate(sum(h for h, (_, _, g) in zip(hit, people, strict=True) if g == group),
                          sum(g == group for _, _, g in people)) for group in groups]
        started = time.perf_counter()
        spans = [bool(find(c)) for c in captions]
        ms = (time.perf_counter() - started) * 1000 / max(len(captions), 1)
        gaz_ms = float(np.median([_timed(gazetteer.find, c) for c in captions])) if captions else 0.0
        results[stage] = [
            rate(sum(hit), len(hit)), *per_group, rate(false, len(benign)),
            f"{sum(hit) / max(sum(hit) + false, 1):.3f}", rate(sum(bool(find(t)) for t in fictional), len(fictional)),
            rate(sum(spans), len(spans)), f"{ms:.2f}" + (f" (gazetteer p50 {gaz_ms:.3f})" if stage != "tagger (baseline)" else ""),
        ]
    labels = ["recall, all prompts", *[f"recall, {g}" for g in groups], "benign look-alikes tagged",
              "precision (people vs look-alikes)", "fictional characters tagged (policy: treated as real)",
              "COCO captions with a name span", "mean ms per caption"]
    for i, label in enumerate(labels):
        table.add_row(label, *(results[s][i] for s in stages))
    Console(width=200).print(table)
    missed = sorted({n for t, n, _ in people if not names_in(combined(t), n)})
    print(f"missed by tagger + gazetteer in some shape ({len(missed)}): {', '.join(missed)}")
    print("look-alikes tagged:", [t for t in benign if combined(t)])


def _timed(fn: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    fn(text)
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    main()
