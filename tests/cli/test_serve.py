"""``genguard serve``: the quick start's main job, as a user runs it (a real process and port)."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.images import ADULT_PORTRAIT

GENGUARD = Path(sys.executable).with_name("genguard")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_prints_urls_and_a_first_admin_key_that_works(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "GENGUARD_HOME": str(tmp_path), "COLUMNS": "200"}
    env.pop("GENGUARD_DATABASE_URL", None)
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen([str(GENGUARD), "serve", "--port", str(port)], stdout=out,
                                   stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        printed = log.read_text()
        assert base in printed and f"{base}/docs" in printed
        key = re.search(r"gg_[0-9a-f]{12}_[A-Za-z0-9_-]{43}", printed)
        assert key, printed
        headers = {"Authorization": f"Bearer {key.group(0)}"}
        verdict = httpx.post(f"{base}/v1/screen", headers=headers, timeout=120,
                             data={"kind": "edit", "prompt": "put her in a bikini"},
                             files=[("sources", ("photo.jpg", ADULT_PORTRAIT.read_bytes(), "image/jpeg"))]).json()
        assert verdict["decision"] == "block"
        created = httpx.post(f"{base}/v1/keys", headers=headers, json={"role": "service", "name": "app"})
        assert created.status_code == 201 and created.json()["secret"].startswith("gg_")
        assert key.group(0) not in log.read_text().replace(printed, "")  # never logged again
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert (tmp_path / "genguard.db").is_file()
