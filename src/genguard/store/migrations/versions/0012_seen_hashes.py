"""seen hashes: a seen item's exact-type values as rows of seen_hashes, indexed by type and value

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 22:40:00

Retro-scans looked exact hashes up in a column per type (``seen_content.md5``, ``.sha256``);
they now look them up in ``seen_hashes`` through its ``(signal_type, value)`` index, which any
registered exact type (banks/signal_types.py) fits without a schema change. ``sha256`` stays a
column as the item's identity (its index goes: lookups use ``seen_hashes``); ``md5`` moves out.
Downgrade restores the ``md5`` column and both indexes of 0002 from the rows; values of later
types have no column there and are dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_hashes",
        sa.Column("seen_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
                  sa.ForeignKey("seen_content.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("signal_type", sa.String(length=16), primary_key=True),
        sa.Column("value", sa.String(length=64), nullable=False),
    )
    op.create_index("ix_seen_hashes_lookup", "seen_hashes", ["signal_type", "value"])
    for name in ("md5", "sha256"):  # the exact types 0002 gave columns
        op.execute(f"INSERT INTO seen_hashes (seen_id, signal_type, value) "
                   f"SELECT id, '{name}', {name} FROM seen_content WHERE {name} IS NOT NULL AND {name} <> ''")
    op.drop_index("ix_seen_content_md5", table_name="seen_content")
    op.drop_index("ix_seen_content_sha256", table_name="seen_content")
    # In place (SQLite >= 3.35), not a batch copy: on SQLite a copy drops ``seen_content``, which
    # with foreign keys on would cascade to the seen_hashes rows just written.
    op.drop_column("seen_content", "md5")


def downgrade() -> None:
    op.add_column("seen_content", sa.Column("md5", sa.String(length=32), nullable=True))
    op.execute("UPDATE seen_content SET md5 = (SELECT value FROM seen_hashes "
               "WHERE seen_hashes.seen_id = seen_content.id AND seen_hashes.signal_type = 'md5')")
    # 0002's md5 is required; an item recorded without one (none is, today) gets an empty value,
    # which no 32-hex bank entry can equal.
    op.execute("UPDATE seen_content SET md5 = '' WHERE md5 IS NULL")
    # seen_hashes goes first: the batch copy below (SQLite cannot make a column NOT NULL in
    # place) drops seen_content, which must no longer be referenced then.
    op.drop_index("ix_seen_hashes_lookup", table_name="seen_hashes")
    op.drop_table("seen_hashes")
    with op.batch_alter_table("seen_content", schema=None) as batch_op:
        batch_op.alter_column("md5", existing_type=sa.String(length=32), nullable=False)
    op.create_index("ix_seen_content_md5", "seen_content", ["md5"])
    op.create_index("ix_seen_content_sha256", "seen_content", ["sha256"])
