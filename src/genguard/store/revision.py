"""Write a new migration: ``python -m genguard.store.revision "add bank tables"``.

Alembic's autogenerate compares the tables in ``genguard.store.metadata`` with a scratch SQLite
database migrated to the current head, and writes the difference as the next numbered
revision (``0002_add_bank_tables.py``...) into ``store/migrations/versions``. Read and edit
the result before committing: autogenerate misses renames and data changes.
"""

from __future__ import annotations

import argparse
import os
import re
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import Script, ScriptDirectory

from genguard.store.db import MIGRATIONS_DIR, _alembic_config, open_store


def next_revision_id(directory: ScriptDirectory) -> str:
    """Revisions are numbered ``0001``, ``0002``...: the order is visible in the file list."""
    numbers = [int(rev.revision) for rev in directory.walk_revisions() if re.fullmatch(r"\d+", rev.revision)]
    return f"{max(numbers, default=0) + 1:04d}"


def new_revision(message: str, *, autogenerate: bool = True, version_path: Path | None = None) -> Path:
    """Write the next revision and return its path (``version_path``: another folder, for tests)."""
    cfg = _alembic_config()
    if version_path is not None:
        cfg.set_main_option("version_locations", os.pathsep.join([str(MIGRATIONS_DIR / "versions"), str(version_path)]))
    rev_id = next_revision_id(ScriptDirectory.from_config(cfg))
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(f"sqlite:///{Path(scratch) / 'scratch.db'}")  # migrated to head
        try:
            with store.engine.connect() as conn:
                cfg.attributes["connection"] = conn
                script = command.revision(
                    cfg,
                    message=message,
                    autogenerate=autogenerate,
                    rev_id=rev_id,
                    version_path=str(version_path) if version_path else None,
                )
        finally:
            store.close()
    assert isinstance(script, Script)
    return Path(script.path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("message", help="what the revision does, e.g. 'add bank tables'")
    parser.add_argument("--empty", action="store_true", help="write an empty revision (data migrations)")
    args = parser.parse_args()
    print(new_revision(args.message, autogenerate=not args.empty))


if __name__ == "__main__":
    main()
