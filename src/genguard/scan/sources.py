"""Where scan items come from: a folder, a manifest (JSONL, CSV, Parquet) or stdin.

Every reader yields items in an order that is the same on every run over the same input (a
folder is walked in sorted order), which is what makes the output's length a checkpoint. A
manifest row is a request line (fields of ``genguard screen --batch``: ``id``, ``kind``,
``prompt``, ``sources``...) or a media path (a ``path`` column, or a bare path line on stdin).
A row that cannot be read becomes an error item in its place; the scan goes on.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from genguard.errors import RequestError
from genguard.scan.items import ScanItem

#: Suffixes a manifest is read as; anything else given as the input must be a folder.
MANIFEST_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".parquet": "parquet"}


def open_source(spec: str) -> Iterator[ScanItem]:
    """Items of ``spec``: ``-`` (stdin, JSONL or one path a line), a folder, or a manifest file."""
    if spec == "-":
        return text_lines(sys.stdin, base=Path.cwd())
    path = Path(spec)
    if path.is_dir():
        return folder(path)
    if not path.is_file():
        raise RequestError(f"{spec}: no such file or folder", code="input_missing")
    kind = MANIFEST_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise RequestError(f"{spec}: a manifest must end in .jsonl, .csv or .parquet", code="input_format")
    if kind == "parquet":
        return _rows(parquet_rows(path), base=path.parent)
    if kind == "csv":
        return _rows(csv_rows(path), base=path.parent)
    return _jsonl_file(path)


def _jsonl_file(path: Path) -> Iterator[ScanItem]:
    with path.open(encoding="utf-8", errors="replace") as stream:
        yield from text_lines(stream, base=path.parent)


def folder(root: Path) -> Iterator[ScanItem]:
    """Every regular file under ``root`` (hidden ones skipped), sorted by relative path."""
    files = sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    for seq, rel in enumerate(files):
        yield ScanItem(seq, rel, path=str(root / rel))


def text_lines(lines: TextIO, *, base: Path, paths: bool = True) -> Iterator[ScanItem]:
    """JSONL request/path objects, or (with ``paths``) bare paths: lines that do not start like JSON.

    Blank lines are skipped, as ``screen --batch`` always did; every other line is one item.
    """
    seq = 0
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if not text:
            continue
        if paths and not text.startswith(("{", "[", '"')):
            yield ScanItem(seq, text, path=_resolve(text, base))
        else:
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                yield ScanItem(seq, None, error=("invalid_json", f"line {number} is not valid JSON: {exc.msg}"))
            else:
                yield _item(seq, row, base, f"line {number}")
        seq += 1


def csv_rows(path: Path) -> Iterator[dict[str, Any] | RequestError]:
    """CSV rows as dicts (empty cells absent): ``sources`` and ``history`` may hold a JSON list,
    ``sources`` also one path. A cell that does not parse yields the error in the row's place."""
    with path.open(encoding="utf-8", errors="replace", newline="") as stream:
        for number, row in enumerate(csv.DictReader(stream), start=2):
            clean: dict[str, Any] = {k: v for k, v in row.items() if k and v not in (None, "")}
            try:
                sources = clean.get("sources")
                if isinstance(sources, str):
                    clean["sources"] = json.loads(sources) if sources.startswith("[") else [sources]
                if "history" in clean:
                    clean["history"] = json.loads(clean["history"])
            except json.JSONDecodeError as exc:
                yield RequestError(f"CSV line {number}: a list cell is not valid JSON: {exc.msg}", code="invalid_json")
                continue
            if "age_assured" in clean:
                clean["age_assured"] = clean["age_assured"].strip().lower() in ("1", "true", "yes")
            yield clean


def parquet_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Parquet rows as dicts (needs pyarrow: ``pip install genguard[parquet]``); nulls are absent."""
    pq = _pyarrow_parquet()
    for batch in pq.ParquetFile(path).iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            yield {k: v for k, v in row.items() if v is not None}


def _rows(rows: Iterable[dict[str, Any] | RequestError], *, base: Path) -> Iterator[ScanItem]:
    for seq, row in enumerate(rows):
        if isinstance(row, RequestError):
            yield ScanItem(seq, None, error=(row.code, row.message))
        else:
            yield _item(seq, row, base, f"row {seq + 1}")


def _item(seq: int, row: Any, base: Path, where: str) -> ScanItem:
    """A request line, a path row, or an error item for anything else."""
    if isinstance(row, str):
        return ScanItem(seq, row, path=_resolve(row, base))
    if not isinstance(row, dict):
        return ScanItem(seq, None, error=("invalid_json", f"{where} is not a JSON object"))
    own_id = row.get("id") if isinstance(row.get("id"), str) else None
    if "path" in row and "kind" not in row:
        if not isinstance(row["path"], str) or set(row) - {"id", "path"}:
            return ScanItem(seq, own_id, error=("request_invalid", f"{where}: a path row has 'path' (a string) and an optional 'id'"))
        return ScanItem(seq, own_id or row["path"], path=_resolve(row["path"], base))
    request = dict(row)
    # Image paths are resolved against the manifest's folder here, so a worker anywhere (another
    # process, another machine with the same shared storage) reads the same files.
    if isinstance(request.get("sources"), list):
        request["sources"] = [_resolve(s, base) if isinstance(s, str) else s for s in request["sources"]]
    if isinstance(request.get("output"), str):
        request["output"] = _resolve(request["output"], base)
    return ScanItem(seq, own_id, request=request)


def _resolve(path: str, base: Path) -> str:
    """Absolute paths and storage URIs (``s3://...``) as given; relative ones against ``base``."""
    if "://" in path or Path(path).is_absolute():
        return path
    return str(base / path)


def _pyarrow_parquet():  # noqa: ANN202 - pyarrow.parquet
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RequestError("Parquet needs pyarrow: pip install 'genguard[parquet]'", code="parquet_unavailable") from exc
    return pq
