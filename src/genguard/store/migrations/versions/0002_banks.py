"""banks: hash banks, their entries, the change log workers tail, flood counters, seen content

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("pdq_threshold", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_until", UTCDateTime(), nullable=True),
        sa.Column("flood_limit", sa.Integer(), nullable=False),
        sa.Column("flood_window_s", sa.Integer(), nullable=False),
        sa.Column("list_owner", sa.String(200), nullable=True),
        sa.Column("list_version", sa.String(100), nullable=True),
        sa.Column("imported_at", UTCDateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "bank_entries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("bank_id", sa.Integer(), sa.ForeignKey("banks.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("signal_type", sa.String(16), nullable=False),
        sa.Column("value", sa.String(64), nullable=False, index=True),
        sa.Column("external_id", sa.String(200), nullable=True, index=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("tombstone", sa.Boolean(), nullable=False),
        sa.Column("quarantined_at", UTCDateTime(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("extra", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("bank_id", "signal_type", "value"),
    )
    op.create_table(
        "bank_changes",
        sa.Column("seq", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("ts", UTCDateTime(), nullable=False),
        sa.Column("entry_id", sa.Integer(), sa.ForeignKey("bank_entries.id", ondelete="CASCADE"), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
    )
    head = op.create_table(
        "bank_change_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
    )
    # The one row change-log writers lock; seq 0 means "no change yet".
    op.bulk_insert(head, [{"id": 1, "seq": 0}])
    op.create_table(
        "bank_entry_hits",
        sa.Column(
            "entry_id",
            sa.Integer(),
            sa.ForeignKey("bank_entries.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("window_start", UTCDateTime(), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "seen_content",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("seen_at", UTCDateTime(), nullable=False, index=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("ref", sa.String(500), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("md5", sa.String(32), nullable=False, index=True),
        sa.Column("pdq", sa.String(64), nullable=True),
        sa.Column("pdq_quality", sa.Integer(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("seen_content")
    op.drop_table("bank_entry_hits")
    op.drop_table("bank_change_head")
    op.drop_table("bank_changes")
    op.drop_table("bank_entries")
    op.drop_table("banks")
