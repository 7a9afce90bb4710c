"""Opening the database: engine set-up per backend, migrations to head, sessions.

One code path serves an SQLite file on a laptop and PostgreSQL behind many API workers. The
differences live here and nowhere else: SQLite gets WAL, foreign keys, a busy timeout and
explicit ``BEGIN`` handling; PostgreSQL gets an advisory lock around migrations so that
workers starting together do not race to create the same tables.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url, text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from genguard.config import Settings
from genguard.errors import GenguardError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: Arbitrary constant naming genguard's migration lock among PostgreSQL advisory locks.
_MIGRATION_LOCK_KEY = 0x67656E6775617264  # "genguard"
#: Execution option asking for ``BEGIN IMMEDIATE`` on SQLite (the write lock up front).
_IMMEDIATE = "genguard_sqlite_immediate"
_SQLITE_BUSY_TIMEOUT_MS = 30_000


class StoreError(GenguardError):
    """The database URL is unusable or the database cannot be reached."""

    code = "store_unavailable"
    status = 503


def normalise_url(url: str) -> URL:
    """Parse ``url``; plain ``postgresql://``/``postgres://`` mean the psycopg 3 driver we ship."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    try:
        parsed = make_url(url)
    except Exception as exc:  # SQLAlchemy raises ArgumentError with the URL in it
        raise StoreError("invalid database URL", code="store_url_invalid", status=500) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database backend {parsed.get_backend_name()!r}: use sqlite or postgresql",
            code="store_url_invalid",
            status=500,
        )
    return parsed


def _sqlite_engine(url: URL) -> Engine:
    in_memory = url.database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": _SQLITE_BUSY_TIMEOUT_MS / 1000},
        # One shared connection is the only way an in-memory database outlives a checkout.
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Autocommit at the driver level: SQLAlchemy then emits BEGIN itself (below), which
        # pysqlite would otherwise delay until the first write and so break read-then-write.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if not in_memory:
            _enable_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")  # durable enough with WAL, much faster
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _alembic_config() -> Config:
    """Alembic configured in code: no alembic.ini, the scripts ship inside the package."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.set_main_option("path_separator", "os")
    return cfg


def migrate(engine: Engine, revision: str = "head", *, downgrade: bool = False) -> None:
    """Upgrade (or with ``downgrade=True`` downgrade) the schema to ``revision``.

    A no-op when the schema is already there. Runs in one transaction that first takes a database-wide lock (an advisory lock on
    PostgreSQL, the SQLite write lock), so processes starting at once queue up and the later
    ones find the work done.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.execution_options(**{_IMMEDIATE: True})
        with conn.begin():
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK_KEY})
            from alembic import command

            cfg = _alembic_config()
            cfg.attributes["connection"] = conn
            (command.downgrade if downgrade else command.upgrade)(cfg, revision)


class Store:
    """An open database: the engine, a session factory and transaction helpers.

    Create it with :func:`open_store`. Sessions do not expire objects on commit, so values
    read in a transaction stay readable after it (callers hand them to other layers).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    @contextmanager
    def transaction(self, *, write_lock: bool = False) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        ``write_lock=True`` makes SQLite take its (database-wide) write lock at ``BEGIN``, so a
        read-then-write sequence cannot interleave with another writer in any process. On
        PostgreSQL it changes nothing: callers lock the rows they read (``FOR UPDATE``).
        """
        with self.sessions() as session, session.begin():
            if write_lock and self.dialect == "sqlite":
                # Procures the connection now; the option reaches its BEGIN (see _on_begin).
                session.connection(execution_options={_IMMEDIATE: True})
            yield session

    def ping(self) -> bool:
        """True when the database answers a trivial query (for readiness checks)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:  # readiness is a yes/no question; the reason goes to the caller's log
            return False

    def close(self) -> None:
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Store({self.engine.url.render_as_string(hide_password=True)!r})"


def open_store(url: str | None = None, *, migrate_to: str | None = "head") -> Store:
    """Connect to ``url`` (default: the configured database), migrate it and return a Store.

    ``migrate_to=None`` skips migrations (for tools that inspect an old database as it is).
    """
    parsed = normalise_url(url or Settings().resolved_database_url())
    if parsed.get_backend_name() == "sqlite":
        engine = _sqlite_engine(parsed)
    else:
        engine = create_engine(parsed, pool_pre_ping=True)
    try:
        if migrate_to is not None and not (migrate_to == "head" and _at_head(engine)):
            migrate(engine, migrate_to)
    except Exception as exc:
        engine.dispose()
        raise StoreError(f"cannot open database: {type(exc).__name__}") from exc
    return Store(engine)


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(None|\"\w+\")\s*$", re.MULTILINE)


@cache
def _script_head() -> str | None:
    """The head revision, read from the migration files' ``revision``/``down_revision`` lines
    without importing Alembic (which costs a CLI command ~0.3 s). None whenever the files are not
    one plain chain (a merge, a line this cannot read): then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((k, v.strip('"')) for k, v in _REVISION_LINE.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found or "down_revision" not in found:
            return None
        revisions.add(found["revision"])
        if found["down_revision"] != "None":
            parents.add(found["down_revision"])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(engine: Engine) -> bool:
    """True when the database is already at the head revision, so opening it needs no Alembic.
    Any doubt (no version table, another revision, unreadable scripts) answers False."""
    head = _script_head()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            versions = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception:  # noqa: BLE001 - a fresh database has no version table: migrate it
        return False
    return versions == {head}


def _enable_wal(cursor: Any) -> None:
    """Switch the database to WAL. SQLite does not apply its busy timeout to this switch, so two
    processes opening a new database at once saw "database is locked" (a flaky two-process
    migration test): retry for as long as the busy timeout would have waited."""
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal":
                return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("could not switch the database to WAL: database is locked")
        time.sleep(0.05)
