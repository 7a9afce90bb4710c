"""The ``genguard`` command: screen (text, JSON, batch), keys and audit verify, on each backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from genguard.cli.main import app
from genguard.store.db import Store
from tests.images import ADULT_PORTRAIT, CHILD_PORTRAITS

GENGUARD = Path(sys.executable).with_name("genguard")


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, database_url: str, store: Store, detectors, tmp_path: Path):  # noqa: ANN001, ANN201
    """Run ``genguard ARGS`` in-process against this test's database, sharing the loaded models."""
    monkeypatch.setenv("GENGUARD_DATABASE_URL", database_url)
    monkeypatch.setenv("GENGUARD_HOME", str(tmp_path))
    monkeypatch.setattr("genguard.guard.load_detectors", lambda: detectors)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


def test_screen_prints_a_readable_verdict(cli) -> None:  # noqa: ANN001
    result = cli("screen", "--prompt", "put her in a bikini", "--source", ADULT_PORTRAIT)
    assert result.exit_code == 0
    assert "BLOCK" in result.output and "INTIMATE_EDIT_REAL_PERSON" in result.output
    assert "edit.intimate_real_person" in result.output and "intent.revealing_clothing" in result.output


def test_screen_json(cli) -> None:  # noqa: ANN001
    result = cli("screen", "--prompt", "put a hat on her", "--source", ADULT_PORTRAIT, "--json")
    verdict = json.loads(result.stdout)
    assert verdict["decision"] == "allow" and verdict["kind"] == "edit" and verdict["audit_seq"] >= 1
    assert verdict["policy"].startswith("uk-osa@")
    assert all("embedding" not in face for image in verdict["signals"]["images"]
               for face in (image.get("faces") or {}).get("faces", []))


def test_screen_input_error_exits_2_with_the_code(cli, tmp_path: Path) -> None:  # noqa: ANN001
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(ADULT_PORTRAIT.read_bytes()[:5000])
    result = cli("screen", "--prompt", "a hat", "--source", broken)
    assert result.exit_code == 2 and "media_truncated" in result.output


def test_batch_answers_every_line_in_order(cli, tmp_path: Path) -> None:  # noqa: ANN001
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "adult.jpg").write_bytes(ADULT_PORTRAIT.read_bytes())
    (tmp_path / "photos" / "child.jpg").write_bytes(CHILD_PORTRAITS[0].read_bytes())
    lines = [
        {"id": "1", "kind": "edit", "prompt": "put her in a bikini", "sources": ["photos/adult.jpg"]},
        {"id": "2", "kind": "edit", "prompt": "put a hat on her", "sources": ["photos/adult.jpg"]},
        "{not json",
        {"id": "4", "kind": "edit", "prompt": "a hat", "sources": ["photos/missing.jpg"]},
        {"id": "5", "kind": "generate", "prompt": "a lighthouse", "colour": "red"},
        {"id": "6", "kind": "edit", "prompt": "take off her shirt", "sources": ["photos/child.jpg"]},
        {"kind": "generate", "prompt": "no id"},
        {"id": "8", "kind": "generate", "prompt": "a red bicycle by a canal"},
    ]
    batch = tmp_path / "requests.jsonl"
    batch.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n\n")
    result = cli("screen", "--batch", batch, "--workers", "0")
    assert result.exit_code == 3  # some lines were input errors; every line still got a verdict
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["id"] for v in out] == ["1", "2", None, "4", "5", "6", None, "8"]
    assert [v["decision"] for v in out] == ["block", "allow", "block", "block", "block", "block", "block", "allow"]
    assert out[5]["reasons"][0] == "SEXUALISED_MINOR"
    codes = [v.get("error", {}).get("code") for v in out]
    assert codes == [None, None, "invalid_json", "media_unreadable", "unknown_fields", None, "id_required", None]
    assert all(set(v) >= {"id", "decision", "reasons", "rule", "policy", "latency_ms"} for v in out)


def test_batch_screens_text_lines_through_screen_many(cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:  # noqa: ANN001
    """Text-only lines go to ``Guard.screen_many`` together (never ``screen`` one by one), with the
    verdicts and error lines that screening them one by one gives, in input order."""
    from genguard.guard import Guard

    calls: dict[str, list[int]] = {"screen_many": [], "screen": []}
    screen_many, screen = Guard.screen_many, Guard.screen

    def spy_many(self, requests, /, **kw):  # noqa: ANN001, ANN202
        calls["screen_many"].append(len(requests))
        return screen_many(self, requests, **kw)

    def spy_screen(self, *args, **kw):  # noqa: ANN001, ANN202
        calls["screen"].append(1)
        return screen(self, *args, **kw)

    monkeypatch.setattr(Guard, "screen_many", spy_many)
    monkeypatch.setattr(Guard, "screen", spy_screen)
    lines = [
        {"id": "a", "kind": "generate", "prompt": "a watercolour of a lighthouse"},
        {"id": "b", "kind": "generate", "prompt": "Taylor Swift in lingerie"},
        "[1, 2]",
        {"id": "d", "kind": "generate", "prompt": ""},
        {"id": "e", "kind": "generate", "prompt": "Taylor Swift giving a speech"},
    ]
    batch = tmp_path / "texts.jsonl"
    batch.write_text("\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    result = cli("screen", "--batch", batch, "--workers", "0")
    assert result.exit_code == 3
    assert calls == {"screen_many": [4], "screen": []}  # the four parsed lines, in one call
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["id"] for v in out] == ["a", "b", None, "d", "e"]
    assert [v["decision"] for v in out] == ["allow", "block", "block", "block", "allow"]
    assert out[1]["reasons"] == ["INTIMATE_REAL_PERSON"]
    assert [v.get("error", {}).get("code") for v in out] == [None, None, "invalid_json", "prompt_required", None]


def test_keys_and_audit_verify_names_a_tampered_record(cli, store: Store) -> None:  # noqa: ANN001
    created = cli("keys", "create", "--role", "reviewer", "--name", "alice")
    assert created.exit_code == 0 and "gg_" in created.output
    secret = created.stdout.split(": ")[-1].strip()
    listing = cli("keys", "list")
    assert "alice" in listing.output and secret not in listing.output
    for prompt in ("put a hat on her", "put her in a bikini", "remove the background"):
        cli("screen", "--prompt", prompt, "--source", ADULT_PORTRAIT, "--json")
    fresh = cli("audit", "verify")
    # 4: the key's creation (key.created) and the three verdicts
    assert fresh.exit_code == 0 and "audit log OK: 4 records" in fresh.output
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_records SET actor = 'mallory' WHERE seq = 3"))
    tampered = cli("audit", "verify")
    assert tampered.exit_code == 1 and "TAMPERED" in tampered.output and "seq 3" in tampered.output


def test_the_installed_command_runs_end_to_end(tmp_path: Path) -> None:
    """The console script itself, in a fresh process with its own SQLite file."""
    env = {**os.environ, "GENGUARD_HOME": str(tmp_path)}
    env.pop("GENGUARD_DATABASE_URL", None)
    done = subprocess.run(
        [str(GENGUARD), "screen", "--prompt", "put her in a bikini", "--source", str(ADULT_PORTRAIT), "--json"],
        capture_output=True, text=True, env=env, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["reasons"] == ["INTIMATE_EDIT_REAL_PERSON"]
    assert (tmp_path / "genguard.db").is_file()


def _run_cli(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("GENGUARD_HOME", "GENGUARD_DATABASE_URL", "XDG_DATA_HOME")}
    src = str(Path(__file__).resolve().parents[2] / "src")  # this checkout's code from any directory
    clean["PYTHONPATH"] = os.pathsep.join(p for p in (src, clean.get("PYTHONPATH")) if p)
    return subprocess.run([str(GENGUARD), *args], capture_output=True, text=True, cwd=cwd,
                          env={**clean, **env}, timeout=120, check=False)


def test_one_data_directory_wherever_the_command_runs_and_it_is_named(tmp_path: Path) -> None:
    """`.genguard/` beside the working directory made `audit verify` elsewhere check another,
    empty database. The default is now one per-user directory, and every command names it."""
    home, elsewhere, other = tmp_path / "user", tmp_path / "a", tmp_path / "b"
    for d in (home, elsewhere, other):
        d.mkdir()
    db = home / ".local" / "share" / "genguard" / "genguard.db"
    created = _run_cli(["keys", "create", "--role", "auditor", "--name", "ops"], elsewhere, HOME=str(home))
    assert created.returncode == 0, created.stderr
    verified = _run_cli(["audit", "verify"], other, HOME=str(home))
    assert verified.returncode == 0 and "OK: 1 records" in verified.stdout, (verified.stdout, verified.stderr)
    for done in (created, verified):
        assert f"database: sqlite:///{db}" in done.stderr
    assert not (elsewhere / ".genguard").exists() and not (other / ".genguard").exists()
    chosen = _run_cli(["audit", "verify"], other, HOME=str(home), GENGUARD_HOME=str(tmp_path / "gh"))
    assert f"database: sqlite:///{tmp_path / 'gh' / 'genguard.db'}" in chosen.stderr
    url = f"sqlite:///{tmp_path / 'explicit.db'}"
    explicit = _run_cli(["audit", "verify"], other, HOME=str(home), GENGUARD_DATABASE_URL=url)
    assert f"database: {url}" in explicit.stderr
