"""``genguard banks ...`` on each backend: a list goes in, is looked up, withdrawn, exported."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from genguard.cli.main import app
from tests.banks.conftest import CAT
from tests.videos import encode


@pytest.fixture
def run(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    runner = CliRunner()
    return lambda *args: runner.invoke(app, ["banks", *map(str, args)])


def test_banks_cli_round_trip(run: Callable[..., Result], tmp_path: Path) -> None:
    hashed = json.loads(run("hash", CAT).stdout)
    assert run("create", "ncii", "--kind", "intimate_image", "--list-owner", "StopNCII").exit_code == 0
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps({"count": 2, "hasMoreRecords": False, "hashRecords": [  # StopNCII FetchHashes
        {"caseNumbers": {"c-1": "Active"}, "signalType": "ImagePDQ", "hashValue": hashed["pdq"], "hashStatus": "Active"},
        {"caseNumbers": {"c-2": "Withdrawn"}, "signalType": "VideoMD5", "hashValue": "a" * 32,
         "hashStatus": "Withdrawn"},
    ]}))
    imported = run("import", "ncii", listing, "--format", "stopncii-json", "--list-version", "3")
    assert imported.exit_code == 0, imported.output
    assert json.loads(imported.stdout)["added"] == 1

    found = run("lookup", CAT)
    assert found.exit_code == 1  # matched
    match = json.loads(found.stdout)["matches"][0]
    assert (match["bank"], match["entry"]["external_id"], match["provenance"]["list_version"]) == ("ncii", "c-1", "3")

    assert run("withdraw", match["entry"]["id"]).exit_code == 0
    assert run("lookup", "--pdq", hashed["pdq"]).exit_code == 0  # no match any more
    out = tmp_path / "out.csv"
    assert run("export", "ncii", "--format", "tcap-csv", "--out", out).exit_code == 0
    assert out.read_text().splitlines()[1:] == [f"PDQ,{hashed['pdq']},c-1,withdrawn,,", f"MD5,{'a' * 32},c-2,withdrawn,,"]
    assert json.loads(run("compare", hashed["pdq"], hashed["pdq"]).stdout)["distance"] == 0
    assert "snapshot at change-log seq" in run("snapshot").stdout


def test_banks_cli_errors_have_codes(run: Callable[..., Result], tmp_path: Path) -> None:
    bad = run("import", "missing", CAT, "--format", "ncmec-xml")
    assert bad.exit_code == 2 and "import_invalid" in bad.output
    listing = tmp_path / "l.csv"
    listing.write_text("hash_type,hash\nMD5," + "b" * 32 + "\n")
    missing = run("import", "nobank", listing, "--format", "tcap-csv")
    assert missing.exit_code == 2 and "bank_not_found" in missing.output
    assert "import_invalid" in run("compare", "xyz", "0" * 64).output


def test_banks_cli_hashes_a_video_file(run: Callable[..., Result], tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(encode([CAT, CAT]))
    hashed = json.loads(run("hash", clip).stdout)
    assert hashed["media"] == "video" and [f["frame"] for f in hashed["frames"]] == ["t1s", "t2s", "t3s"]
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(clip.read_bytes()[:100])
    failed = run("hash", broken)
    assert failed.exit_code == 2 and "media_corrupt" in failed.output
