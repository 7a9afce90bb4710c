"""``genguard eval faces``: Challenge 25 rates per age group with the real face and age models.

A small folder of FairFace faces checks the command end to end (text, JSON, and that each image's
flags are the facts ``Guard.screen`` gives the same image); the whole developer half checks the
calibration figures documented in docs/detectors.md; bad folders and label files give clear
errors.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from genguard.cli.main import app
from genguard.eval.faces import group_years
from tests.images import SHARED_FACES

needs_faces = pytest.mark.skipif(not (SHARED_FACES / "MANIFEST.json").is_file(), reason="shared faces absent")

#: Clear cases from the developer half, one face each: (file, label, expected minor flags).
CLEAR = [
    ("fairface_0092.jpg", "0-2", True),
    ("fairface_0003.jpg", "3-9", True),
    ("fairface_0262.jpg", "40-49", False),
    ("fairface_0108.jpg", "70+", False),
]


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["eval", "faces", *map(str, args)])
    return result.exit_code, result.output


@pytest.fixture
def small_dir(tmp_path: Path) -> Path:
    for file, _, _ in CLEAR:
        shutil.copy(SHARED_FACES / file, tmp_path / file)
    rows = "".join(f"{file},{group}\n" for file, group, _ in CLEAR)
    (tmp_path / "labels.csv").write_text("file,age_group\n" + rows, encoding="utf-8")
    return tmp_path


@needs_faces
@pytest.mark.slow
def test_json_report_flags_the_clear_cases_as_guard_screen_does(small_dir: Path, guard) -> None:  # noqa: ANN001
    code, output = run(small_dir, "--json")
    assert code == 0, output
    report = json.loads(output)
    assert list(report["groups"]) == ["0-2", "3-9", "40-49", "70+"]  # youngest first
    assert report["thresholds"] == {"possible_minor_age": 18.0, "likely_minor_age": 18.0,
                                    "likely_minor_margin_sd": 1.0, "child_face_score": 0.8}
    by_file = {row["file"]: row for row in report["per_image"]}
    for file, group, minor in CLEAR:
        row = by_file[file]
        assert len(row["faces"]) == 1 and row["error"] is None, row
        assert row["possible_minor"] is minor and row["likely_minor"] is minor, row
        facts = guard.screen(kind="upload", output=small_dir / file).facts
        assert (facts["upload.possible_minor"], facts["upload.likely_minor"]) == (
            row["possible_minor"], row["likely_minor"]), file
        assert report["groups"][group]["possible_minor"]["hits"] == int(minor)
    under_10 = report["pooled"]["under 10"]
    assert under_10["images"] == 2 and under_10["likely_minor"]["value"] == 1.0
    assert under_10["likely_minor"]["ci95"][0] < 1.0  # a Wilson interval, not a point
    assert report["pooled"]["30+"]["possible_minor"]["value"] == 0.0


@needs_faces
@pytest.mark.slow
def test_text_report_is_a_table_per_age_group(small_dir: Path) -> None:
    code, output = run(small_dir)
    assert code == 0, output
    for text in ("possible minor", "likely minor", "0-2", "70+", "under 10", "30+", "1.0000 ["):
        assert text in output


@needs_faces
@pytest.mark.slow
def test_an_unreadable_image_is_counted_as_an_error_not_a_crash(small_dir: Path) -> None:
    (small_dir / "fairface_0092.jpg").write_bytes(b"not a jpeg")
    code, output = run(small_dir, "--json")
    assert code == 0, output
    report = json.loads(output)
    row = next(r for r in report["per_image"] if r["file"] == "fairface_0092.jpg")
    assert row["error"] and row["possible_minor"] is None and row["likely_minor"] is None
    assert report["groups"]["0-2"]["errors"] == 1


@needs_faces
@pytest.mark.slow
def test_calibration_figures_on_the_developer_half() -> None:
    """The figures docs/detectors.md states for shared/data/faces, and the issue's bar beside them.

    The counts are asserted exactly because they should not depend on the machine: the default
    CenterFace has 7-bit int8 weights, so no onnxruntime kernel saturates and every x86-64 CPU
    (with or without VNNI) computes the same boxes; the float parts move only the last bits,
    far below the closest call here (0336, age_low 18.03 against 18). A changed count means
    the pipeline changed: re-measure and update the docs, do not move the number to fit.
    """
    code, output = run(SHARED_FACES, "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["images"] == 271 and all(g["errors"] == 0 for g in report["groups"].values())
    pooled = report["pooled"]
    measured = {
        # of 59, in sample: the child-face score was fitted on these images; leave-one-out it
        # flags 57 (tests/detectors/fit_child_face.py, docs/detectors.md). 54 by the age bound alone.
        ("under 10", "possible_minor"): 59,
        ("under 10", "likely_minor"): 44,
        ("30+", "possible_minor"): 14,  # of 147: 9.5 %
        ("20+", "likely_minor"): 5,  # of 182: 2.7 %
    }
    assert {key: pooled[key[0]][key[1]]["hits"] for key in measured} == measured
    assert report["groups"]["10-19"]["possible_minor"]["hits"] == 15  # of 30
    assert pooled["30+"]["possible_minor"]["value"] <= 0.10  # the bar for adults 30+
    # a likely minor is always a possible minor (the upper bound under 18 puts the lower under 18)
    assert all(row["possible_minor"] or not row["likely_minor"] for row in report["per_image"])


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run(tmp_path / "nowhere")
    assert code == 2 and "eval_faces_missing" in output


def test_a_folder_without_labels_is_a_clear_error(tmp_path: Path) -> None:
    code, output = run(tmp_path)
    assert code == 2 and "eval_faces_no_labels" in output


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ("{not json", "is not JSON"),
        ('{"file": "a.jpg"}', "JSON list"),
        ('[{"file": "a.jpg"}]', "'age_group' must be non-empty strings"),
        ('["a.jpg"]', "must be an object"),
        ('[{"file": "../outside.jpg", "age_group": "0-2"}]', "is outside"),
        ('[{"file": "absent.jpg", "age_group": "0-2"}]', "does not exist"),
        ("[]", "lists no images"),
    ],
)
def test_a_bad_manifest_is_a_clear_error(tmp_path: Path, manifest: str, message: str) -> None:
    (tmp_path / "outside.jpg").write_bytes(b"x")
    folder = tmp_path / "faces"
    folder.mkdir()
    (folder / "MANIFEST.json").write_text(manifest, encoding="utf-8")
    code, output = run(folder)
    assert code == 2 and message in output, output


def test_a_csv_without_the_columns_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_text("path,age\na.jpg,3\n", encoding="utf-8")
    code, output = run(tmp_path)
    assert code == 2 and "'file' and 'age_group'" in output


@pytest.mark.parametrize(("group", "years"), [("0-2", (0, 2)), ("70+", (70, float("inf"))), ("adult", None)])
def test_group_years(group: str, years: tuple[float, float] | None) -> None:
    assert group_years(group) == years
