"""The fault-and-load run in small: a real ``genguard serve`` on SQLite, clients writing
notices (with idempotency keys), screens and bank adds while it is killed -9 once."""

from __future__ import annotations

from pathlib import Path

from bench.soak import print_outcome, soak


def test_nothing_acknowledged_is_lost_or_doubled_across_a_kill(tmp_path: Path) -> None:
    outcome = soak(f"sqlite:///{tmp_path / 'genguard.db'}", clients=6, seconds=5, kills=1, workdir=tmp_path)
    print_outcome("SQLite", outcome, 6, 5, 1)
    assert outcome.audit_ok, outcome.audit_summary
    assert not any(outcome.gaps.values()), outcome.gaps
    for name, _requests, acked, _stored, duplicates, lost, _p50, _p95 in outcome.rows:
        assert acked > 0, f"no {name} was acknowledged: the run checked nothing"
        assert (duplicates, lost) == (0, 0), name
