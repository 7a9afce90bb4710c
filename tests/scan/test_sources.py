"""Readers: a folder, JSONL, CSV, Parquet and stdin give the same items in a stable order."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from genguard.errors import RequestError
from genguard.scan.sources import open_source, text_lines
from tests.scan.conftest import write_jsonl

ROWS = [
    {"id": "a", "kind": "generate", "prompt": "a lighthouse"},
    {"id": "b", "kind": "edit", "prompt": "a hat", "sources": ["imgs/x.jpg"]},
    {"path": "imgs/y.png"},
]


def _summary(items) -> list[tuple]:  # noqa: ANN001
    return [(i.seq, i.id, i.request, i.path, i.error) for i in items]


def test_folder_is_sorted_skips_hidden_and_keys_by_relative_path(tmp_path: Path) -> None:
    for rel in ("b/2.jpg", "a.png", "b/1.jpg", ".hidden/x.jpg", "c/.DS_Store"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    items = list(open_source(str(tmp_path)))
    assert [(i.seq, i.id) for i in items] == [(0, "a.png"), (1, "b/1.jpg"), (2, "b/2.jpg")]
    assert items[1].path == str(tmp_path / "b" / "1.jpg")


def test_jsonl_csv_and_parquet_manifests_give_the_same_items(tmp_path: Path) -> None:
    jsonl = write_jsonl(tmp_path / "m.jsonl", ROWS)
    with open(tmp_path / "m.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, ["id", "kind", "prompt", "sources", "path"])
        writer.writeheader()
        for row in ROWS:
            writer.writerow({**row, "sources": json.dumps(row["sources"]) if "sources" in row else ""})
    table = pa.table({
        "id": [r.get("id") for r in ROWS], "kind": [r.get("kind") for r in ROWS],
        "prompt": [r.get("prompt") for r in ROWS], "sources": [r.get("sources") for r in ROWS],
        "path": [r.get("path") for r in ROWS],
    })
    pq.write_table(table, tmp_path / "m.parquet")
    expected = _summary(open_source(str(jsonl)))
    assert expected[1][2]["sources"] == [str(tmp_path / "imgs" / "x.jpg")]  # resolved against the manifest
    assert expected[2][1:4] == ("imgs/y.png", None, str(tmp_path / "imgs" / "y.png"))
    assert _summary(open_source(str(tmp_path / "m.csv"))) == expected
    assert _summary(open_source(str(tmp_path / "m.parquet"))) == expected


def test_stdin_takes_jsonl_and_bare_paths(tmp_path: Path) -> None:
    stream = io.StringIO('{"id": "a", "kind": "generate", "prompt": "x"}\n\n/abs/img.jpg\nrel/img.jpg\n')
    items = list(text_lines(stream, base=tmp_path))
    assert [(i.seq, i.id, i.path) for i in items] == [
        (0, "a", None), (1, "/abs/img.jpg", "/abs/img.jpg"), (2, "rel/img.jpg", str(tmp_path / "rel/img.jpg"))]


def test_unreadable_rows_become_error_items_in_place(tmp_path: Path) -> None:
    manifest = write_jsonl(tmp_path / "m.jsonl", ["{broken", "[1, 2]", {"path": 7}, {"id": "ok", "prompt": "p"}])
    items = list(open_source(str(manifest)))
    assert [i.error[0] if i.error else None for i in items] == ["invalid_json", "invalid_json", "request_invalid", None]
    (tmp_path / "bad.csv").write_text('id,kind,prompt,sources\nx,edit,a hat,"[unclosed"\ny,generate,a cat,\n')
    csv_items = list(open_source(str(tmp_path / "bad.csv")))
    assert [i.error[0] if i.error else i.id for i in csv_items] == ["invalid_json", "y"]


@pytest.mark.parametrize("name,code", [("missing.jsonl", "input_missing"), ("m.txt", "input_format")])
def test_a_bad_input_is_refused_before_the_scan(tmp_path: Path, name: str, code: str) -> None:
    (tmp_path / "m.txt").write_text("x")
    with pytest.raises(RequestError) as caught:
        open_source(str(tmp_path / name))
    assert caught.value.code == code
