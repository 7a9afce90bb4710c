"""Alembic environment: always runs on the connection ``genguard.store.db`` hands over.

There is no alembic.ini and no URL here on purpose: the caller has already opened the
connection, begun the transaction and taken the migration lock.
"""

from __future__ import annotations

from alembic import context

from genguard.store.metadata import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "genguard migrations run through genguard.store.db.migrate() or "
        "`python -m genguard.store.revision`, not the alembic command line"
    )

context.configure(
    connection=connection,
    target_metadata=metadata,
    # SQLite cannot ALTER most things; batch mode rebuilds tables instead, on both backends.
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
