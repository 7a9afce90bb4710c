"""How often the intent model calls short benign text sexual (issue 14), for one or more artefacts.

``python -m bench.short_benign [--artefact A.npz ...]`` scores, with each artefact through
``IntentDetector.score_many`` (both stages, as screening runs them), the hand-written probe list
``tests/detectors/data/short_benign_probes.txt`` (212 single words and short phrases) and the
issue's own examples. A probe fails when any sexual category reaches the artefact's threshold.
With ``--prompts`` (default: the shared dev set) it also prints the block rate per dev file and
label on the holdout split (rows no artefact trained on) and on all rows: the recall on
Adversarial Nibbler's short ``block`` prompts is what benign short training text could cost.
Give the previous artefact (copied with its ``.sha256``) beside the current one to get the
before/after table from one run (``python -m bench short_benign`` runs the committed one).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from genguard.detectors.intent import SEXUAL_CATEGORIES, IntentDetector
from genguard.detectors.intent.model import ARTEFACT, IntentModel
from genguard.datasets import default_prompts_dir, is_holdout, read_prompts

PROBES = Path(__file__).resolve().parents[1] / "tests" / "detectors" / "data" / "short_benign_probes.txt"
#: The examples quoted in issue 14 and its follow-up brief.
ISSUE_EXAMPLES = (
    "love", "bond", "infinity", "a baby penguin", "a girl",
    "Some men find a ship wreaked on the beach.", "Three young girls are smiling by their sweets.",
)


def read_probes(path: Path = PROBES) -> list[str]:
    """Probe lines without comments and blank lines."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def sexual_scores(detector: IntentDetector, texts: list[str]) -> list[float]:
    """Highest sexual-category score per text (the policy's block score)."""
    return [max(row[c] for c in SEXUAL_CATEGORIES) for row in detector.score_many(texts)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artefact", type=Path, action="append", help="intent_model.npz (repeatable)")
    parser.add_argument("--prompts", type=Path, default=default_prompts_dir(), help="dev set folder")
    args = parser.parse_args()
    probes = read_probes()
    files = sorted(args.prompts.glob("*.jsonl")) if args.prompts.is_dir() else []
    for artefact in args.artefact or [ARTEFACT]:
        detector = IntentDetector(artefact=artefact)
        threshold = detector.threshold
        scores = sexual_scores(detector, probes)
        failed = [(t, s) for t, s in zip(probes, scores, strict=True) if s >= threshold]
        print(f"{artefact} ({IntentModel(artefact).version}, threshold {threshold})")
        print(f"  probes: {len(failed)}/{len(probes)} scored sexual >= threshold "
              f"({100 * len(failed) / len(probes):.1f} %)")
        for text, score in sorted(failed, key=lambda f: -f[1]):
            print(f"    {score:.3f}  {text}")
        for text, score in zip(ISSUE_EXAMPLES, sexual_scores(detector, list(ISSUE_EXAMPLES)), strict=True):
            print(f"  issue example {score:.3f}  {text}")
        for path in files:
            rows = [r for r in read_prompts(path) if r.label != "review"]
            blocked = [s >= threshold for s in sexual_scores(detector, [r.text for r in rows])]
            for label in sorted({r.label for r in rows}):
                mine = [(is_holdout(r.text), b) for r, b in zip(rows, blocked, strict=True) if r.label == label]
                held = [b for h, b in mine if h]
                print(f"  {path.name} {label}: holdout {sum(held)}/{len(held)}, "
                      f"all rows {sum(b for _, b in mine)}/{len(mine)} blocked")


if __name__ == "__main__":
    main()
