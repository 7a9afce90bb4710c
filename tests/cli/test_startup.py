"""A CLI command imports only what it uses: no models, no screening code for ``keys``/``audit``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Modules that pull in detectors, screening or the web stack: none belongs in a database command.
HEAVY = ("genguard.guard", "genguard.detectors.registry", "genguard.screening.collect", "fastapi",
         "onnxruntime", "cv2", "alembic")


@pytest.mark.parametrize("args", [["keys", "create", "--role", "admin"], ["keys", "list"], ["audit", "verify"]])
def test_database_commands_import_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    env = {"PYTHONPATH": str(ROOT / "src"), "GENGUARD_HOME": str(tmp_path), "PATH": "/usr/bin"}
    code = ("import sys\nfrom genguard.cli.main import app\n"
            "try:\n    app(sys.argv[1:], prog_name='genguard')\nexcept SystemExit as exc:\n    code = exc.code\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\nsys.exit(code)")
    # Once to create and migrate the database (that needs Alembic), then the measured run.
    subprocess.run([sys.executable, "-c", code, "keys", "list"], env=env, check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_every_command_is_listed_and_resolves() -> None:
    import typer
    from typer.core import TyperGroup
    from typer.main import get_command

    from genguard.cli.main import app

    group = get_command(app)
    assert isinstance(group, TyperGroup)
    ctx = typer.Context(group)
    names = group.list_commands(ctx)
    assert {"screen", "audit", "keys", "banks", "likeness", "cases", "reports", "eval", "serve", "db-upgrade"} <= set(names)
    for name in names:
        command = group.get_command(ctx, name)
        assert command is not None and command.name == name
