"""case hashes: one JSON object of signal type -> value instead of a column per hash type

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 22:30:00

A case's hashes are never searched by value (an item is found again by ``item_key``, banks by
their own indexed entries), so they move to ``cases.hashes``, which any registered hash type
(banks/signal_types.py) fits without a schema change. Downgrade restores the three columns of
0004 from the object; a value of a later type has no column there and is dropped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The columns of revision 0004, in the order notices list them (frozen: this revision's view).
_COLUMNS = (("sha256", 64), ("md5", 32), ("pdq", 64))


# Plain ALTER TABLE throughout, no batch copy: on SQLite a copy drops ``cases``, and with foreign
# keys on that cascades to the rows that point at it (jobs, copies, appeals). SQLite >= 3.35 drops
# a column in place.


def upgrade() -> None:
    op.add_column("cases", sa.Column("hashes", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    conn = op.get_bind()
    names = [name for name, _ in _COLUMNS]
    rows = conn.execute(sa.text(f"SELECT id, {', '.join(names)} FROM cases")).all()
    update = sa.text("UPDATE cases SET hashes = :hashes WHERE id = :id").bindparams(
        sa.bindparam("hashes", type_=sa.JSON()))
    for row in rows:
        conn.execute(update, {"id": row[0], "hashes": {n: v for n, v in zip(names, row[1:], strict=True) if v}})
    for name, _ in _COLUMNS:
        op.drop_column("cases", name)


def downgrade() -> None:
    for name, length in _COLUMNS:
        op.add_column("cases", sa.Column(name, sa.String(length=length), nullable=True))
    conn = op.get_bind()
    for case_id, raw in conn.execute(sa.text("SELECT id, hashes FROM cases")).all():
        hashes = raw if isinstance(raw, dict) else json.loads(raw or "{}")
        values = {name: hashes.get(name) or None for name, _ in _COLUMNS}
        conn.execute(sa.text(f"UPDATE cases SET {', '.join(f'{n} = :{n}' for n in values)} WHERE id = :id"),
                     {"id": case_id, **values})
    op.drop_column("cases", "hashes")
