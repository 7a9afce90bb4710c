"""Reading labelled prompt files: every kind of bad input has its own code; the holdout split."""

from __future__ import annotations

from pathlib import Path

import pytest

from genguard.datasets import EvalDataError, default_prompts_dir, is_holdout, read_prompts


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_reads_rows_and_defaults(tmp_path: Path) -> None:
    f = _write(tmp_path / "a.jsonl", '{"text": "add a hat", "label": "allow"}', "",
               '{"id": "x", "text": "t", "label": "block", "category": "sexual", "flags": ["minor_term"]}')
    rows = read_prompts(f)
    assert [(r.id, r.label, r.category) for r in rows] == [("a.jsonl:1", "allow", "allow"), ("x", "block", "sexual")]
    assert rows[1].flags == ("minor_term",)


def test_folder_reads_every_jsonl_in_name_order(tmp_path: Path) -> None:
    _write(tmp_path / "b.jsonl", '{"text": "2", "label": "allow"}')
    _write(tmp_path / "a.jsonl", '{"text": "1", "label": "allow"}')
    (tmp_path / "notes.txt").write_text("ignored")
    assert [r.text for r in read_prompts(tmp_path)] == ["1", "2"]


@pytest.mark.parametrize(
    ("lines", "code", "fragment"),
    [
        (['{"text": "ok", "label": "allow"}', "{not json"], "eval_data_invalid", "f.jsonl:2: not JSON"),
        (['["a list"]'], "eval_data_invalid", "JSON object"),
        (['{"text": 3, "label": "allow"}'], "eval_data_invalid", "must be strings"),
        (['{"text": "x"}'], "eval_data_invalid", "must be strings"),
        (['{"text": "x", "label": "maybe"}'], "eval_data_invalid", "'maybe'"),
        (["", "  "], "eval_data_empty", "no rows"),
    ],
)
def test_bad_rows_name_file_line_and_code(tmp_path: Path, lines: list[str], code: str, fragment: str) -> None:
    with pytest.raises(EvalDataError) as info:
        read_prompts(_write(tmp_path / "f.jsonl", *lines))
    assert info.value.code == code and fragment in info.value.message


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError) as info:
        read_prompts(tmp_path / "nope.jsonl")
    assert info.value.code == "eval_data_missing"
    with pytest.raises(EvalDataError) as info:
        read_prompts(tmp_path)
    assert info.value.code == "eval_data_empty"


def test_holdout_is_stable_about_a_fifth_and_ignores_case_and_spacing() -> None:
    texts = [f"prompt number {i}" for i in range(5000)]
    share = sum(map(is_holdout, texts)) / len(texts)
    assert 0.18 < share < 0.22
    assert all(is_holdout(t) == is_holdout("  " + t.upper().replace(" ", "   ")) for t in texts[:200])


def test_default_prompts_dir_is_the_shared_dev_set() -> None:
    folder = default_prompts_dir()
    if not folder.is_dir():
        pytest.skip("shared dev set not present")
    assert (folder / "MANIFEST.sha256").is_file() and len(read_prompts(folder)) > 10000
