"""Opening a store: migrations from empty, idempotence, concurrency, backend settings."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, bindparam, inspect, text

from genguard.store.db import MIGRATIONS_DIR, Store, StoreError, _alembic_config, migrate, normalise_url, open_store
from genguard.store.base import Base
from genguard.store.metadata import metadata

TABLES = {"api_keys", "audit_records", "audit_head", "escalations", "alembic_version"}


def _head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def test_migrates_an_empty_database_to_head(store: Store) -> None:
    assert TABLES <= set(inspect(store.engine).get_table_names())
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head_revision()
        assert conn.execute(text("SELECT seq FROM audit_head WHERE id = 1")).scalar_one() == 0


def test_reopening_is_idempotent_and_keeps_data(database_url: str) -> None:
    first = open_store(database_url)
    with first.engine.begin() as conn:
        conn.execute(text("UPDATE audit_head SET seq = 7 WHERE id = 1"))
    first.close()
    second = open_store(database_url)
    try:
        with second.engine.connect() as conn:
            assert conn.execute(text("SELECT seq FROM audit_head")).scalar_one() == 7
            assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar_one() == 1
    finally:
        second.close()


def test_models_match_the_migrations(store: Store) -> None:
    """A model change without a revision (or the reverse) shows up here as a diff."""
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    opened = open_store(database_url)
    try:
        migrate(opened.engine, "base", downgrade=True)
        assert not ({"api_keys", "audit_records"} & set(inspect(opened.engine).get_table_names()))
        migrate(opened.engine, "head")
        assert TABLES <= set(inspect(opened.engine).get_table_names())
    finally:
        opened.close()


def _open_and_close(url: str) -> None:
    open_store(url).close()


def test_two_processes_migrating_at_once(database_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_open_and_close, args=(database_url,)) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    opened = open_store(database_url)
    try:
        with opened.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_head")).scalar_one() == 1
    finally:
        opened.close()


def test_sqlite_settings(tmp_path: Path) -> None:
    opened = open_store(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        with opened.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
    finally:
        opened.close()


def test_sqlite_enforces_foreign_keys(tmp_path: Path) -> None:
    opened = open_store(f"sqlite:///{tmp_path / 'g.db'}")
    try:
        with pytest.raises(Exception, match="FOREIGN KEY"):
            with opened.engine.begin() as conn:
                conn.execute(
                    text(
                        "INSERT INTO escalations (created_at, reason, audit_seq, payload, status) "
                        "VALUES ('2025-01-01 00:00:00', 'x', 999, '{}', 'open')"
                    )
                )
    finally:
        opened.close()


def test_in_memory_sqlite_keeps_its_tables() -> None:
    opened = open_store("sqlite://")
    try:
        assert "audit_records" in inspect(opened.engine).get_table_names()
    finally:
        opened.close()


def test_urls_are_normalised_and_checked() -> None:
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    with pytest.raises(StoreError) as bad:
        normalise_url("mysql://u@h/db")
    assert bad.value.code == "store_url_invalid"
    with pytest.raises(StoreError) as garbage:
        normalise_url("not a url")
    assert garbage.value.code == "store_url_invalid"


def test_unreachable_database_is_a_store_error() -> None:
    with pytest.raises(StoreError) as err:
        open_store("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert err.value.code == "store_unavailable"


def test_repr_hides_the_password() -> None:
    assert "s3cret" not in repr(normalise_url("postgresql://u:s3cret@h/db"))
    opened = open_store("sqlite://")
    assert "sqlite" in repr(opened)
    opened.close()


def test_migrations_ship_inside_the_package() -> None:
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))[0] == "0001_initial.py"


def test_new_revision_is_numbered_and_empty_when_models_match(tmp_path: Path) -> None:
    from genguard.store.revision import new_revision

    head = _head_revision()
    following = f"{int(head) + 1:04d}"
    path = new_revision("add nothing", version_path=tmp_path)
    assert path.parent == tmp_path and path.name.startswith(f"{following}_add_nothing")
    source = path.read_text()
    assert f"revision: str = '{following}'" in source and f"down_revision: str | None = '{head}'" in source
    assert "op." not in source  # models and migrations agree, so nothing to do


def test_head_read_from_the_scripts_matches_alembic() -> None:
    """Opening a database already at head skips Alembic (its import costs every CLI command):
    the head found by reading the scripts must be the one Alembic finds."""
    from genguard.store.db import _script_head

    assert _script_head() == _head_revision()


def test_a_database_behind_head_is_still_migrated(database_url: str) -> None:
    """The fast path only skips a database that is at head: one a revision behind is upgraded."""
    first = open_store(database_url)
    migrate(first.engine, "-1", downgrade=True)
    first.close()
    second = open_store(database_url)
    try:
        with second.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == _head_revision()
    finally:
        second.close()


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'at-head.db'}"
    open_store(url).close()
    code = ("import sys; from genguard.store.db import open_store; open_store(sys.argv[1]).close(); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2], env={"PYTHONPATH": "src", "PATH": "/usr/bin"})
    assert out.stdout.strip() == "False"


def test_every_domain_tables_module_is_in_the_metadata() -> None:
    """A new ``<domain>/tables.py`` that ``store/metadata.py`` forgets would be invisible to
    Alembic (no revision generated, no diff reported); this names it instead."""
    from genguard.store.metadata import DOMAINS

    package = Path(__file__).resolve().parents[2] / "src" / "genguard"
    on_disk = {f"genguard.{p.parent.name}.tables" for p in package.glob("*/tables.py")}
    assert on_disk == {module.__name__ for module in DOMAINS}
    # Every table of the schema is declared in one of them (none in the store, none twice).
    declared = [cls.__table__.name for module in DOMAINS for cls in vars(module).values()
                if isinstance(cls, type) and issubclass(cls, Base) and cls.__module__ == module.__name__]
    assert sorted(declared) == sorted(metadata.tables)


@pytest.mark.parametrize("module", ["audit", "auth", "banks", "cases", "escalations", "likeness", "screening"])
def test_one_domain_tables_resolve_their_foreign_keys_alone(module: str) -> None:
    """A process that imports one domain's tables (a CLI command, a worker) can flush its rows:
    a foreign key into another domain's table imports that table, so SQLAlchemy resolves it."""
    import subprocess
    import sys

    code = (f"import genguard.{module}.tables as m; from genguard.store.base import Base\n"
            "tables = [t for t in Base.metadata.sorted_tables]\n"
            "print(sum(1 for t in tables for fk in t.foreign_keys if fk.column is not None))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], env={"PYTHONPATH": "src", "PATH": "/usr/bin"})
    assert out.returncode == 0, out.stderr


_CASE = ("INSERT INTO cases (source, regime, category, priority, signals, status, clock, opened_at, "
         "clock_started_at, budget_s, paused_s, due_at{cols}) VALUES ('notice', 'uk_osa', 'other', 1, '{{}}', "
         "'open', 'uk', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 60, 0, '2026-01-01 00:01:00'{vals})")


def test_0011_moves_case_hashes_into_one_object_and_back(database_url: str) -> None:
    """Case hashes move from a column per type (0004) to ``cases.hashes`` and back, data kept."""
    opened = open_store(database_url)
    try:
        migrate(opened.engine, "0010", downgrade=True)
        with opened.engine.begin() as conn:
            conn.execute(text(_CASE.format(cols=", sha256, md5, pdq", vals=f", '{'a' * 64}', '{'b' * 32}', NULL")))
            conn.execute(text(_CASE.format(cols="", vals="")))
            conn.execute(text(_JOB))
        migrate(opened.engine, "0011")
        with opened.engine.connect() as conn:
            rows = conn.execute(text("SELECT hashes FROM cases ORDER BY id")).scalars().all()
            # No table copy: the rows pointing at a case (ON DELETE CASCADE) are still there.
            assert conn.execute(text("SELECT count(*) FROM case_jobs")).scalar_one() == 1
        parsed = [r if isinstance(r, dict) else json.loads(r) for r in rows]
        assert parsed == [{"sha256": "a" * 64, "md5": "b" * 32}, {}]
        with opened.engine.begin() as conn:
            conn.execute(text("UPDATE cases SET hashes = :h WHERE hashes IS NOT NULL AND id = "
                              "(SELECT max(id) FROM cases)").bindparams(bindparam("h", type_=JSON())),
                         {"h": {"pdq": "c" * 64, "sha1": "d" * 40}})
        migrate(opened.engine, "0010", downgrade=True)
        with opened.engine.connect() as conn:
            back = conn.execute(text("SELECT sha256, md5, pdq FROM cases ORDER BY id")).all()
        # A type 0004 has no column for (sha1 here) cannot survive the downgrade.
        assert [tuple(r) for r in back] == [("a" * 64, "b" * 32, None), (None, None, "c" * 64)]
        with opened.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM case_jobs")).scalar_one() == 1
        migrate(opened.engine, "head")
    finally:
        opened.close()


_JOB = ("INSERT INTO case_jobs (key, case_id, kind, payload, status, attempts, next_attempt_at, created_at) "
        "VALUES ('k', (SELECT min(id) FROM cases), 'notify', '{}', 'pending', 0, '2026-01-01 00:00:00', "
        "'2026-01-01 00:00:00')")
_SEEN = ("INSERT INTO seen_content (seen_at, source, ref, sha256, md5, pdq, pdq_quality) "
         "VALUES ('2026-01-01 00:00:00', 'upload', :ref, :sha256, :md5, NULL, NULL)")


def test_0012_moves_seen_exact_hashes_into_rows_and_back(database_url: str) -> None:
    """Seen items' MD5 and SHA-256 move into indexed ``seen_hashes`` rows and back, data kept."""
    opened = open_store(database_url)
    try:
        migrate(opened.engine, "0011", downgrade=True)
        with opened.engine.begin() as conn:
            for i in (1, 2):
                conn.execute(text(_SEEN), {"ref": f"r{i}", "sha256": f"{i}" * 64, "md5": f"{i}" * 32})
        migrate(opened.engine, "0012")
        with opened.engine.connect() as conn:
            rows = conn.execute(text("SELECT s.ref, h.signal_type, h.value FROM seen_hashes h JOIN seen_content s "
                                     "ON s.id = h.seen_id ORDER BY s.ref, h.signal_type")).all()
            assert [tuple(r) for r in rows] == [("r1", "md5", "1" * 32), ("r1", "sha256", "1" * 64),
                                                ("r2", "md5", "2" * 32), ("r2", "sha256", "2" * 64)]
            assert "md5" not in {c["name"] for c in inspect(conn).get_columns("seen_content")}
            assert {"ix_seen_hashes_lookup"} <= {i["name"] for i in inspect(conn).get_indexes("seen_hashes")}
        with opened.engine.begin() as conn:
            conn.execute(text("INSERT INTO seen_hashes (seen_id, signal_type, value) "
                              "SELECT id, 'sha1', :v FROM seen_content WHERE ref = 'r2'"), {"v": "d" * 40})
        migrate(opened.engine, "0011", downgrade=True)
        with opened.engine.connect() as conn:
            back = conn.execute(text("SELECT ref, sha256, md5 FROM seen_content ORDER BY ref")).all()
            assert "seen_hashes" not in inspect(conn).get_table_names()
            assert {"ix_seen_content_md5", "ix_seen_content_sha256"} <= {
                i["name"] for i in inspect(conn).get_indexes("seen_content")}
        assert [tuple(r) for r in back] == [("r1", "1" * 64, "1" * 32), ("r2", "2" * 64, "2" * 32)]
        migrate(opened.engine, "head")
    finally:
        opened.close()
