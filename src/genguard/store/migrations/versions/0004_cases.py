"""cases: notices, cases with statutory clocks, copies found by the takedown sweep, appeals, strikes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 10:31:37.482570
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("notices",
    sa.Column("id", sa.String(length=36), nullable=False),
    sa.Column("received_at", UTCDateTime(), nullable=False),
    sa.Column("regime", sa.String(length=16), nullable=False),
    sa.Column("reporter_type", sa.String(length=32), nullable=False),
    sa.Column("category", sa.String(length=40), nullable=False),
    sa.Column("digest", sa.String(length=64), nullable=False),
    sa.Column("body", sa.JSON(), nullable=False),
    sa.Column("submitted_by", sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_received_at"), ["received_at"], unique=False)

    op.create_table("cases",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("notice_id", sa.String(length=36), nullable=True),
    sa.Column("escalation_id", sa.Integer(), nullable=True),
    sa.Column("source", sa.String(length=32), nullable=False),
    sa.Column("regime", sa.String(length=16), nullable=False),
    sa.Column("category", sa.String(length=40), nullable=False),
    sa.Column("reporter_type", sa.String(length=32), nullable=True),
    sa.Column("platform_id", sa.String(length=200), nullable=True),
    sa.Column("url", sa.String(length=2000), nullable=True),
    sa.Column("sha256", sa.String(length=64), nullable=True),
    sa.Column("md5", sa.String(length=32), nullable=True),
    sa.Column("pdq", sa.String(length=64), nullable=True),
    sa.Column("account", sa.String(length=200), nullable=True),
    sa.Column("priority", sa.Integer(), nullable=False),
    sa.Column("signals", sa.JSON(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("clock", sa.String(length=32), nullable=False),
    sa.Column("opened_at", UTCDateTime(), nullable=False),
    sa.Column("clock_started_at", UTCDateTime(), nullable=False),
    sa.Column("budget_s", sa.Integer(), nullable=False),
    sa.Column("paused_s", sa.Integer(), nullable=False),
    sa.Column("paused_since", UTCDateTime(), nullable=True),
    sa.Column("pause_reason", sa.String(length=32), nullable=True),
    sa.Column("due_at", UTCDateTime(), nullable=False),
    sa.Column("escalated_at", UTCDateTime(), nullable=True),
    sa.Column("breached_at", UTCDateTime(), nullable=True),
    sa.Column("claimed_by", sa.String(length=200), nullable=True),
    sa.Column("claim_expires_at", UTCDateTime(), nullable=True),
    sa.Column("decision", sa.String(length=24), nullable=True),
    sa.Column("decided_by", sa.String(length=200), nullable=True),
    sa.Column("decided_at", UTCDateTime(), nullable=True),
    sa.Column("removed_at", UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["escalation_id"], ["escalations.id"], ),
    sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("escalation_id")
    )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cases_account"), ["account"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_notice_id"), ["notice_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_platform_id"), ["platform_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_priority"), ["priority"], unique=False)
        batch_op.create_index(batch_op.f("ix_cases_status"), ["status"], unique=False)

    op.create_table("appeals",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("filed_at", UTCDateTime(), nullable=False),
    sa.Column("appellant", sa.String(length=200), nullable=False),
    sa.Column("grounds", sa.Text(), nullable=False),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("decided_by", sa.String(length=200), nullable=True),
    sa.Column("decided_at", UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_appeals_status"), ["status"], unique=False)

    op.create_table("case_copies",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=False),
    sa.Column("seen_id", sa.BigInteger(), nullable=False),
    sa.Column("ref", sa.String(length=500), nullable=True),
    sa.Column("bank", sa.String(length=100), nullable=False),
    sa.Column("signal_type", sa.String(length=16), nullable=False),
    sa.Column("distance", sa.Integer(), nullable=False),
    sa.Column("found_at", UTCDateTime(), nullable=False),
    sa.Column("removed_at", UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("case_id", "seen_id")
    )
    with op.batch_alter_table("case_copies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_copies_case_id"), ["case_id"], unique=False)

    op.create_table("strikes",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("account", sa.String(length=200), nullable=False),
    sa.Column("at", UTCDateTime(), nullable=False),
    sa.Column("reason", sa.String(length=64), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=True),
    sa.Column("audit_seq", sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_strikes_account"), ["account"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("strikes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_strikes_account"))

    op.drop_table("strikes")
    with op.batch_alter_table("case_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_copies_case_id"))

    op.drop_table("case_copies")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_status"))
        batch_op.drop_index(batch_op.f("ix_appeals_case_id"))

    op.drop_table("appeals")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cases_status"))
        batch_op.drop_index(batch_op.f("ix_cases_priority"))
        batch_op.drop_index(batch_op.f("ix_cases_platform_id"))
        batch_op.drop_index(batch_op.f("ix_cases_notice_id"))
        batch_op.drop_index(batch_op.f("ix_cases_due_at"))
        batch_op.drop_index(batch_op.f("ix_cases_account"))

    op.drop_table("cases")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_received_at"))

    op.drop_table("notices")
