"""item media URLs, TAKE IT DOWN requester access, match feedback (issue 17, mediaurl)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 16:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("item_media",
    sa.Column("platform_id", sa.String(length=200), nullable=False),
    sa.Column("url", sa.String(length=2000), nullable=False),
    sa.Column("registered_by", sa.String(length=200), nullable=False),
    sa.Column("registered_at", UTCDateTime(), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint("platform_id")
    )
    op.create_table("requester_access",
    sa.Column("notice_id", sa.String(length=36), nullable=False),
    sa.Column("token_sha256", sa.String(length=64), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("outcome_sent_at", UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("notice_id")
    )
    with op.batch_alter_table("requester_access", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_requester_access_outcome_sent_at"), ["outcome_sent_at"], unique=False)
    op.create_table("match_feedback",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("entry_id", sa.Integer(), nullable=False),
    sa.Column("subject", sa.String(length=200), nullable=False),
    sa.Column("verdict", sa.String(length=16), nullable=False),
    sa.Column("actor", sa.String(length=200), nullable=False),
    sa.Column("note", sa.String(length=1000), nullable=True),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(["entry_id"], ["bank_entries.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("entry_id", "actor", "subject")
    )
    with op.batch_alter_table("match_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_feedback_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("match_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_feedback_entry_id"))
    op.drop_table("match_feedback")
    with op.batch_alter_table("requester_access", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_requester_access_outcome_sent_at"))
    op.drop_table("requester_access")
    op.drop_table("item_media")
