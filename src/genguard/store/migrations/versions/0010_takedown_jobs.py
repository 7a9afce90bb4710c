"""takedown jobs: the case worker's leased steps, one open case per screened item, copies
that cannot be notified

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_jobs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(length=200), nullable=False, unique=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=False),
        sa.Column("lease_owner", sa.String(length=100), nullable=True),
        sa.Column("lease_expires_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("done_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_case_jobs_case_id", "case_jobs", ["case_id"])
    op.create_index("ix_case_jobs_status", "case_jobs", ["status"])
    op.create_index("ix_case_jobs_next_attempt_at", "case_jobs", ["next_attempt_at"])
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_key", sa.String(length=220), nullable=True))
    op.create_index("ux_cases_open_item", "cases", ["item_key"], unique=True,
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    with op.batch_alter_table("case_copies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notify_error", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_copies", schema=None) as batch_op:
        batch_op.drop_column("notify_error")
    op.drop_index("ux_cases_open_item", table_name="cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("item_key")
    op.drop_table("case_jobs")
