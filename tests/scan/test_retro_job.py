"""Retro-scan as a job: the import defers it; the job finds the same copies, escalates each once,
and resumes after a kill without losing or repeating any."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from genguard.banks.formats.records import HashRecord, SignalType
from genguard.banks.model import BankKind
from genguard.banks.service import BankService
from genguard.errors import RequestError
from genguard.scan.retro_job import run_retro_job
from genguard.scan.writers import open_writer, read_records
from genguard.store.db import Store
from genguard.escalations.tables import EscalationRow
from tests.banks.hashes import at_distance, random_pdq


def _escalated(store: Store) -> list[tuple[int, str]]:
    with store.transaction() as session:
        payloads = session.scalars(select(EscalationRow.payload).where(EscalationRow.reason == "BANK_RETRO_MATCH"))
        return sorted((p["seen_id"], p["ref"]) for p in payloads)


@pytest.fixture
def seeded(store: Store) -> tuple[BankService, list[int]]:
    """Seen content (copies at several distances among unrelated rows) and a list imported with
    the retro-scan deferred."""
    banks = BankService(store, poll_s=0.0)
    rng = np.random.default_rng(3)
    known = random_pdq(rng)
    for i in range(9):
        pdq = at_distance(known, 10, rng) if i in (1, 6) else random_pdq(rng)
        banks.record_seen(source="upload", ref=f"post-{i}", sha256=f"{i:064x}", md5=f"{i:032x}", pdq=pdq, pdq_quality=90)
    banks.create_bank("ncii", BankKind.INTIMATE_IMAGE)
    report = banks.import_records("ncii", [HashRecord(SignalType.PDQ, known), HashRecord(SignalType.MD5, f"{4:032x}")],
                                  retro_scan=False)
    assert report.retro == [] and _escalated(store) == []  # nothing scanned inside the import
    return banks, report.entry_ids


def test_the_job_finds_what_the_inline_scan_would_and_escalates_once(seeded, store: Store, tmp_path: Path) -> None:  # noqa: ANN001
    banks, ids = seeded
    writer = open_writer(tmp_path / "retro.jsonl", "jsonl", resume=False)
    result = run_retro_job(banks, "ncii", writer, entry_ids=ids, chunk=4)
    writer.close()
    assert result.items == 9
    records = read_records(tmp_path / "retro.jsonl", "jsonl")
    assert [r["rows"] for r in records] == [4, 4, 1]
    found = sorted((h["ref"], h["signal_type"]) for r in records for h in r["hits"])
    assert found == [("post-1", "pdq"), ("post-4", "md5"), ("post-6", "pdq")]
    assert [ref for _, ref in _escalated(store)] == ["post-1", "post-4", "post-6"]


def test_a_job_killed_between_escalating_and_its_record_resumes_exactly(seeded, store: Store, tmp_path: Path) -> None:  # noqa: ANN001
    banks, ids = seeded
    out = tmp_path / "retro.jsonl"
    writer = open_writer(out, "jsonl", resume=False)
    run_retro_job(banks, "ncii", writer, entry_ids=ids, chunk=4)
    writer.close()
    lines = out.read_text().splitlines(keepends=True)
    # The kill: the second chunk's escalations committed, its record only half written.
    out.write_text("".join(lines[:1]) + lines[1][:25])
    again = open_writer(out, "jsonl", resume=True)
    result = run_retro_job(banks, "ncii", again, entry_ids=ids, chunk=4)
    again.close()
    assert (result.skipped, result.items) == (4, 5)
    assert [r["id"] for r in read_records(out, "jsonl")] == [str(i) for i in (4, 8, 9)]
    assert [ref for _, ref in _escalated(store)] == ["post-1", "post-4", "post-6"]  # none twice


def test_an_allow_bank_or_a_missing_bank_is_refused(store: Store, tmp_path: Path) -> None:
    banks = BankService(store, poll_s=0.0)
    banks.create_bank("fine", BankKind.ALLOW)
    for name, code in (("fine", "allow_bank"), ("nope", "bank_not_found")):
        with pytest.raises(RequestError) as caught:
            run_retro_job(banks, name, open_writer(tmp_path / f"{name}.jsonl", "jsonl", resume=False))
        assert caught.value.code == code


def test_the_retro_scan_command(seeded, store: Store, database_url: str, tmp_path: Path,  # noqa: ANN001
                                monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from genguard.cli.main import app

    _, ids = seeded
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    out = tmp_path / "retro.jsonl"
    args = ["banks", "retro-scan", "ncii", "-o", str(out), "--entries", f"{min(ids)}-{max(ids)}", "--limit-rate", "1000"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "9 seen items scanned; 3 copies found" in done.output
    assert CliRunner().invoke(app, args).exit_code == 2  # the output exists: --resume or another file
    bad = CliRunner().invoke(app, [*args[:5], "--entries", "x-y"])
    assert bad.exit_code == 2 and "FIRST-LAST" in bad.output
