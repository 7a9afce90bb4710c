"""Output writers whose committed output is the scan's checkpoint.

Records arrive in input order, so the committed output is always the first ``n`` items: on
resume the writer reports ``n`` and the scan skips that many items. A commit is durable before
it counts (``fsync``), and whatever a kill left half-written is discarded on resume:

* JSONL, one file: lines are appended and fsync'd per commit; a torn last line (no newline) is
  truncated away when the file is reopened.
* Parquet, a folder of parts: each commit is one ``part-NNNNNN.parquet``, written to a temporary
  name, fsync'd and renamed, so a part exists whole or not at all; leftover temporaries go.

Each writer also checks that the last committed record is the item the source now has at its
position, so resuming over a changed input is refused instead of silently misaligned.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Protocol, TextIO

from genguard.errors import RequestError


class Writer(Protocol):
    """Where records go; ``done`` is how many items the output already holds."""

    done: int
    last_id: str | None

    def commit(self, records: list[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


def open_writer(path: Path, fmt: str, *, resume: bool) -> Writer:
    """A writer for ``path`` (``jsonl`` or ``parquet``; ``-`` is stdout, JSONL, not resumable);
    without ``resume`` existing output is refused."""
    if str(path) == "-":
        if fmt != "jsonl" or resume:
            raise RequestError("stdout takes JSONL and cannot be resumed: use --output FILE", code="output_format")
        return StreamWriter(sys.stdout)
    if fmt == "jsonl":
        return JsonlWriter(path, resume=resume)
    if fmt == "parquet":
        return ParquetWriter(path, resume=resume)
    raise RequestError(f"unknown output format {fmt!r}: jsonl or parquet", code="output_format")


def _refuse_existing(path: Path) -> None:
    raise RequestError(f"{path} exists: pass --resume to continue that scan, or another --output",
                       code="output_exists")


class StreamWriter:
    """JSONL lines to a stream (a pipe): nothing to resume from."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.done = 0
        self.last_id: str | None = None

    def commit(self, records: list[dict[str, Any]]) -> None:
        self.stream.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        self.stream.flush()
        self.done += len(records)

    def close(self) -> None:
        """The stream belongs to the caller."""


class JsonlWriter:
    def __init__(self, path: Path, *, resume: bool) -> None:
        self.path = path
        self.done = 0
        self.last_id: str | None = None
        if path.exists() and path.stat().st_size and not resume:
            _refuse_existing(path)
        self._fh = open(path, "a+b")  # noqa: SIM115 - held for the whole scan
        self._recover()

    def _recover(self) -> None:
        """Count the complete lines; cut a torn last line (a kill mid-write)."""
        self._fh.seek(0)
        complete = 0
        last = b""
        end = 0
        for line in self._fh:
            if not line.endswith(b"\n"):
                break
            end += len(line)
            complete += 1
            last = line
        if end != self._fh.tell() or end != os.fstat(self._fh.fileno()).st_size:
            self._fh.truncate(end)
            os.fsync(self._fh.fileno())
        self._fh.seek(end)
        self.done = complete
        if last:
            self.last_id = json.loads(last).get("id")

    def commit(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        self._fh.write(b"".join(json.dumps(r, ensure_ascii=False).encode("utf-8") + b"\n" for r in records))
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self.done += len(records)
        self.last_id = records[-1].get("id")

    def close(self) -> None:
        self._fh.close()


#: Parquet columns: nested parts of a record are kept as JSON text, so every part has one schema.
_PARQUET_JSON = ("screen", "hashes", "matches", "error")


class ParquetWriter:
    def __init__(self, path: Path, *, resume: bool) -> None:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError as exc:
            raise RequestError("Parquet output needs pyarrow: pip install 'genguard[parquet]'",
                               code="parquet_unavailable") from exc
        self._pa, self._pq = pa, pq
        self.path = path
        if path.exists() and any(path.glob("part-*.parquet")) and not resume:
            _refuse_existing(path)
        path.mkdir(parents=True, exist_ok=True)
        for tmp in path.glob(".part-*.tmp"):
            tmp.unlink()
        parts = sorted(path.glob("part-*.parquet"))
        self._next = len(parts)
        self.done = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
        self.last_id = None
        if parts:
            ids = pq.read_table(parts[-1], columns=["id"]).column("id").to_pylist()
            self.last_id = ids[-1] if ids else None

    def commit(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        pa = self._pa
        columns: dict[str, list[Any]] = {
            "seq": [r.get("seq") for r in records],
            "id": [r.get("id") for r in records],
            "path": [r.get("path") for r in records],
            "status": [r.get("status") for r in records],
            "quality_gated": [r.get("quality_gated") for r in records],
        }
        for name in _PARQUET_JSON:
            columns[name] = [json.dumps(r[name]) if name in r else None for r in records]
        schema = pa.schema([("seq", pa.int64()), ("id", pa.string()), ("path", pa.string()),
                            ("status", pa.string()), ("quality_gated", pa.bool_()),
                            *((name, pa.string()) for name in _PARQUET_JSON)])
        table = pa.table(columns, schema=schema)
        final = self.path / f"part-{self._next:06d}.parquet"
        tmp = self.path / f".part-{self._next:06d}.tmp"
        with open(tmp, "wb") as fh:
            self._pq.write_table(table, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(self.path)
        self._next += 1
        self.done += len(records)
        self.last_id = records[-1].get("id")

    def close(self) -> None:
        """Nothing held open: every part is complete once committed."""


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (the folder's entry), not only the file's bytes."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def read_records(path: Path, fmt: str) -> list[dict[str, Any]]:
    """All committed records of a scan output, in order (nested parts decoded back)."""
    if fmt == "jsonl":
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.endswith("\n")]
    import pyarrow.parquet as pq

    out: list[dict[str, Any]] = []
    for part in sorted(path.glob("part-*.parquet")):
        for row in pq.read_table(part).to_pylist():
            out.append({k: (json.loads(v) if k in _PARQUET_JSON else v) for k, v in row.items()
                        if v is not None})
    return out
