"""Fixtures for the scan tests: a configured home and SQLite database, and a small corpus."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from genguard.store.db import open_store
from tests.images import SHARED_IMAGES

GENGUARD = [sys.executable, "-c", "from genguard.cli.main import app; app()"]


@pytest.fixture
def scan_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, str]:
    """GENGUARD_HOME and a migrated SQLite database, set for this process and its children."""
    home = tmp_path / "home"
    home.mkdir()
    url = f"sqlite:///{home / 'genguard.db'}"
    open_store(url).close()
    monkeypatch.setenv("GENGUARD_HOME", str(home))
    monkeypatch.setenv("GENGUARD_DATABASE_URL", url)
    return {"GENGUARD_HOME": str(home), "GENGUARD_DATABASE_URL": url}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three licensed scene images and one truncated JPEG, in a folder."""
    root = tmp_path / "corpus"
    root.mkdir()
    for name in ("chelsea_cat_skimage.png", "coffee_cup_skimage.png", "falcon9_dscovr_launch_skimage.jpg"):
        (root / name).write_bytes((SHARED_IMAGES / "scenes" / name).read_bytes())
    jpeg = (SHARED_IMAGES / "scenes" / "falcon9_dscovr_launch_skimage.jpg").read_bytes()
    (root / "broken.jpg").write_bytes(jpeg[: len(jpeg) // 3])
    return root


def prompts(count: int) -> list[dict[str, str]]:
    """Benign generate requests, each distinct."""
    things = ("lighthouse", "red bicycle", "mountain lake", "bowl of fruit", "city skyline at night")
    styles = ("watercolour", "oil painting", "pencil sketch", "photograph")
    return [{"id": f"p{i}", "kind": "generate", "prompt": f"a {styles[i % 4]} of a {things[i % 5]}, study {i}"}
            for i in range(count)]


def write_jsonl(path: Path, rows: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path
