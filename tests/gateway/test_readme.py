"""README's "For generator operators" examples, run as written against live servers.

Every ```python and ```bash block between the ``operators:start`` and ``operators:end`` markers
runs, in order, in one folder holding ``photo.jpg`` (a licensed benign portrait), with
``GENGUARD_URL`` (a genguard API server), ``GENGUARD_GATEWAY_URL`` (a gateway in front of the
local images API) and ``GENGUARD_API_KEY`` (a service key both accept) set. ``text`` blocks (a
command that starts a server) are shown, not run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import genguard
from genguard.vocabulary import Role
from tests.api.conftest import LiveServer, live_server  # noqa: F401 - the live HTTP server fixture
from tests.gateway.conftest import Gateway
from tests.images import ADULT_PORTRAIT
from tests.screening.injected import DRESS, sha, with_hat

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"```(python|bash|text)\n(.*?)```", re.DOTALL)


def _blocks() -> list[tuple[str, str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("<!-- operators:start"):text.index("<!-- operators:end -->")]
    return [(lang, code) for lang, code in BLOCK.findall(section) if lang != "text"]


def test_the_section_has_runnable_examples() -> None:
    kinds = [lang for lang, _ in _blocks()]
    assert kinds.count("python") >= 2 and "bash" in kinds


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="the README's shell example uses curl")
def test_readme_examples_run(live_server: LiveServer, start_gateway: Callable[..., Gateway],  # noqa: F811
                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gateway = start_gateway()
    output = with_hat(ADULT_PORTRAIT)
    gateway.upstream.outputs = [output]
    gateway.nudity[sha(ADULT_PORTRAIT.read_bytes())] = DRESS
    gateway.nudity[sha(output)] = DRESS
    (tmp_path / "photo.jpg").write_bytes(ADULT_PORTRAIT.read_bytes())
    env = {"GENGUARD_URL": live_server.url, "GENGUARD_GATEWAY_URL": gateway.url,
           "GENGUARD_API_KEY": live_server.keys[Role.SERVICE]}
    assert gateway.key and live_server.store is gateway.store  # one store: the key works on both
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    shell_env = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                 "PYTHONPATH": str(Path(genguard.__file__).resolve().parents[1])}
    for lang, code in _blocks():
        if lang == "python":
            exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - the README's own example
        else:
            done = subprocess.run(["bash", "-euo", "pipefail", "-c", code], cwd=tmp_path, env=shell_env,
                                  capture_output=True, text=True, timeout=120)
            assert done.returncode == 0, done.stderr
            assert '"decision": "allow"' in done.stdout
    assert namespace["edited"] == output  # the gateway returned the upstream's image
    assert isinstance(namespace["receipt"], str) and namespace["verdict"].decision.value == "allow"
