"""The output is the checkpoint: committed records count, a torn tail is cut, reuse is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.errors import RequestError
from genguard.scan.ratelimit import RateLimit
from genguard.scan.writers import open_writer, read_records


def _records(start: int, stop: int) -> list[dict]:
    return [{"seq": i, "id": f"i{i}", "status": "ok", "screen": {"decision": "allow"}} for i in range(start, stop)]


def test_jsonl_resume_cuts_a_torn_last_line(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    writer = open_writer(out, "jsonl", resume=False)
    writer.commit(_records(0, 3))
    writer.close()
    with open(out, "ab") as fh:
        fh.write(b'{"seq": 3, "id": "i3", "sta')  # a kill in the middle of a write
    again = open_writer(out, "jsonl", resume=True)
    assert (again.done, again.last_id) == (3, "i2")
    again.commit(_records(3, 5))
    again.close()
    assert read_records(out, "jsonl") == _records(0, 5)


def test_parquet_parts_resume_and_drop_unfinished_temporaries(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writer = open_writer(out, "parquet", resume=False)
    writer.commit(_records(0, 2))
    writer.commit(_records(2, 4) + [{"seq": 4, "id": "i4", "status": "error", "error": {"code": "x", "message": "y"}}])
    (out / ".part-000002.tmp").write_bytes(b"PAR1 half written")
    again = open_writer(out, "parquet", resume=True)
    assert (again.done, again.last_id) == (5, "i4")
    assert not list(out.glob(".part-*"))
    got = read_records(out, "parquet")
    assert [r["id"] for r in got] == [f"i{i}" for i in range(5)]
    assert got[4]["error"] == {"code": "x", "message": "y"} and got[0]["screen"] == {"decision": "allow"}


@pytest.mark.parametrize("fmt,name", [("jsonl", "out.jsonl"), ("parquet", "out")])
def test_existing_output_needs_resume(tmp_path: Path, fmt: str, name: str) -> None:
    writer = open_writer(tmp_path / name, fmt, resume=False)
    writer.commit(_records(0, 1))
    writer.close()
    with pytest.raises(RequestError) as caught:
        open_writer(tmp_path / name, fmt, resume=False)
    assert caught.value.code == "output_exists"


def test_stdout_cannot_be_resumed(tmp_path: Path) -> None:
    with pytest.raises(RequestError) as caught:
        open_writer(Path("-"), "jsonl", resume=True)
    assert caught.value.code == "output_format"


def test_rate_limit_paces_items_to_the_rate() -> None:
    now = [0.0]
    limit = RateLimit(100, clock=lambda: now[0], sleep=lambda s: now.__setitem__(0, now[0] + s))
    for _ in range(50):
        limit.acquire(10)  # 500 items at 100/s: about 5 s, whatever the batch size
    assert 4.8 <= now[0] <= 5.1
