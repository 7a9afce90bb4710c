"""Copies of a vendored model folder, intact or with one weight byte flipped, for the tests that
check a detector refuses a missing or altered model (its SHA256SUMS must catch it)."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_of(folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    return copy


def altered_copy(folder: Path, model_file: str, tmp_path: Path) -> Path:
    """A copy whose ``model_file`` has a byte in the middle flipped: it still parses, the checksum fails."""
    copy = copy_of(folder, tmp_path)
    model = copy / model_file
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    return copy
