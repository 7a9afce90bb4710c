"""The reported-abuse scenario in ``examples/`` runs as one command and prints the verdicts it must."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.images import ADULT_PORTRAIT

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "reported_abuse.py"
sys.path.insert(0, str(EXAMPLE.parent))
from reported_abuse import BENIGN, INTIMATE  # noqa: E402 - the example's own lists


@pytest.mark.slow
@pytest.mark.skipif(not ADULT_PORTRAIT.is_file(), reason="shared images absent")
def test_reported_abuse_scenario():
    run = subprocess.run([sys.executable, str(EXAMPLE)], capture_output=True, text=True, timeout=600, check=True)
    lines = [line.strip() for line in run.stdout.splitlines()]

    def verdict(label: str) -> str:
        return next(line for line in lines if label in line).split()[0]

    section1 = lines[lines.index(next(x for x in lines if x.startswith("1."))):]
    section2 = lines[lines.index(next(x for x in lines if x.startswith("2."))):]
    for prompt in INTIMATE:
        adult = next(line for line in section1 if prompt in line)
        assert adult.startswith("BLOCK") and "INTIMATE_EDIT_REAL_PERSON" in adult and "ESCALATED" not in adult
        child = next(line for line in section2 if prompt in line)
        assert child.startswith("BLOCK") and "SEXUALISED_MINOR" in child and child.endswith("ESCALATED"), child
    for prompt in BENIGN:
        assert next(line for line in section1 if prompt in line).startswith("ALLOW"), prompt
        child = next(line for line in section2 if f"child: {prompt}" in line)
        assert child.startswith("ALLOW") and "ESCALATED" not in child, child
    counts = [line for line in lines if line.startswith("escalation records")]
    assert counts[0].startswith("escalation records: 0")
    assert counts[1].startswith(f"escalation records: {len(INTIMATE)} (SEXUALISED_MINOR)")
    assert counts[2] == f"escalation records after the benign edits: {len(INTIMATE)}"
    turns = [verdict(f"turn {n}:") for n in range(1, 6)]
    assert turns == ["ALLOW", "ALLOW", "BLOCK", "BLOCK", "BLOCK"]
    assert verdict("re-encoded output") == "BLOCK"
    assert any(line.startswith("same lineage: source #0 is remembered image") for line in lines)
