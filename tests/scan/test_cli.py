"""``genguard scan`` as a user runs it: killed with SIGKILL and resumed, on a terminal, from stdin."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import genguard
from genguard.scan.writers import read_records
from tests.images import SHARED_IMAGES
from tests.scan.conftest import GENGUARD, prompts, write_jsonl


def _env(scan_env: dict[str, str], **extra: str) -> dict[str, str]:
    """This process's environment, with the genguard under test first on the path (any cwd)."""
    src = str(Path(genguard.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (src, os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, **scan_env, "PYTHONPATH": path, **extra}


def test_a_scan_killed_mid_way_resumes_with_every_item_exactly_once(scan_env: dict[str, str], tmp_path: Path) -> None:
    manifest = write_jsonl(tmp_path / "prompts.jsonl", prompts(600))
    out = tmp_path / "out.jsonl"
    # --limit-rate keeps the scan running long enough to be killed in the middle of it.
    args = [*GENGUARD, "scan", str(manifest), "-o", str(out), "--workers", "1", "--limit-rate", "120"]
    proc = subprocess.Popen(args, env=_env(scan_env), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 240
    while not (out.exists() and out.stat().st_size > 0):
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline, "the scan never committed a record"
        time.sleep(0.01)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its worker, mid-scan
    proc.wait()
    killed_at = len(read_records(out, "jsonl"))
    assert 0 < killed_at < 600

    resumed = subprocess.run([*args, "--resume"], env=_env(scan_env), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{killed_at} were already done" in resumed.stderr
    records = read_records(out, "jsonl")
    assert [r["seq"] for r in records] == list(range(600))
    assert [r["id"] for r in records] == [f"p{i}" for i in range(600)]
    assert all(r["status"] == "ok" and r["screen"]["decision"] == "allow" for r in records)


def test_resuming_over_another_input_is_refused(scan_env: dict[str, str], tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    write_jsonl(out, [{"seq": 0, "id": "someone-else", "status": "ok"}])
    manifest = write_jsonl(tmp_path / "prompts.jsonl", prompts(3))
    done = subprocess.run([*GENGUARD, "scan", str(manifest), "-o", str(out), "--workers", "0", "--resume"],
                          env=_env(scan_env), capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and "resume_mismatch" in done.stderr


def test_progress_on_a_terminal_and_plain_lines_elsewhere(scan_env: dict[str, str], tmp_path: Path) -> None:
    manifest = write_jsonl(tmp_path / "prompts.jsonl", prompts(40))
    args = [*GENGUARD, "scan", str(manifest), "--workers", "0"]
    master, slave = pty.openpty()
    proc = subprocess.Popen([*args, "-o", str(tmp_path / "tty.jsonl")], env=_env(scan_env, COLUMNS="150"),
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        ready, _, _ = select.select([master], [], [], 240)
        assert ready, "no output from the scan"
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=60) == 0
    text = seen.decode("utf-8", "replace")
    assert "\x1b[" in text  # drawn by Rich
    assert "40/40" in text and "items/s" in text and "ETA" in text

    piped = subprocess.run([*args, "-o", str(tmp_path / "pipe.jsonl")], env=_env(scan_env),
                           capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0
    assert "\x1b[" not in piped.stderr and "scan: 40/40 items" in piped.stderr and "items/s" in piped.stderr


def test_stdin_with_request_lines_and_image_paths(scan_env: dict[str, str], tmp_path: Path) -> None:
    cat = SHARED_IMAGES / "scenes" / "chelsea_cat_skimage.png"
    lines = (json.dumps({"id": "r1", "kind": "generate", "prompt": "a lighthouse at dusk"}) + "\n"
             + f"{cat}\n" + "missing/none.jpg\n")
    done = subprocess.run([*GENGUARD, "scan", "-", "-o", "-", "--workers", "0"], input=lines, env=_env(scan_env),
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 3, done.stderr  # one item was an error, and still has its record
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["seq"], r["id"], r["status"]) for r in records] == [
        (0, "r1", "ok"), (1, str(cat), "ok"), (2, "missing/none.jpg", "error")]
    assert records[1]["screen"]["decision"] == "allow"
    assert records[2]["error"]["code"] == "media_unreadable" and records[2]["screen"]["decision"] == "block"
