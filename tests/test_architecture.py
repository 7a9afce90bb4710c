"""The import rules of docs/architecture.md hold: import-linter's contracts in pyproject.toml.

`make test` runs `lint-imports` too; this test keeps the rules enforced for anyone who runs
pytest alone, and shows that a contract can fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint(config: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True))"
    return subprocess.run([sys.executable, "-c", code, str(config)], capture_output=True, text=True, cwd=ROOT,
                          env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin"})


def test_the_import_contracts_are_kept() -> None:
    result = _lint(ROOT / "pyproject.toml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_broken_rule_fails(tmp_path: Path) -> None:
    """The same layers with store above audit: audit imports the store, so the contract breaks."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "genguard"\n'
        '[[tool.importlinter.contracts]]\nname = "inverted"\ntype = "layers"\ncontainers = ["genguard"]\n'
        'layers = ["store", "audit"]\n',
        encoding="utf-8",
    )
    result = _lint(config)
    assert result.returncode != 0
    assert "genguard.audit" in result.stdout and "BROKEN" in result.stdout


def _layers(tmp_path: Path, layers: list[str]) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "genguard"\n'
        '[[tool.importlinter.contracts]]\nname = "pair"\ntype = "layers"\ncontainers = ["genguard"]\n'
        f"layers = {layers!r}\n".replace("'", '"'),
        encoding="utf-8",
    )
    return _lint(config)


def test_cases_and_compliance_form_no_cycle(tmp_path: Path) -> None:
    """cases → compliance only: the order the contract names is kept, and the reverse breaks
    (cases does call compliance), so the pair is a real one-way dependency, not two unrelated
    packages; pyproject.toml names them as two layers, never as ``compliance : cases``."""
    kept = _layers(tmp_path, ["cases", "compliance"])
    assert kept.returncode == 0, kept.stdout + kept.stderr
    reverse = _layers(tmp_path, ["compliance", "cases"])
    assert reverse.returncode != 0 and "genguard.cases" in reverse.stdout
    layers = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"cases",\n    "compliance",' in layers and "compliance : cases" not in layers
