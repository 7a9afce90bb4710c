"""webhook outbox: case webhooks kept until acknowledged, retried by the case tick

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 11:04:43.399821
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("webhook_outbox",
    sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
    sa.Column("idempotency_key", sa.String(length=200), nullable=False),
    sa.Column("event", sa.String(length=40), nullable=False),
    sa.Column("case_id", sa.Integer(), nullable=True),
    sa.Column("payload", sa.JSON(), nullable=False),
    sa.Column("effect", sa.String(length=32), nullable=True),
    sa.Column("status", sa.String(length=16), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
    sa.Column("last_error", sa.String(length=200), nullable=True),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("delivered_at", UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("idempotency_key")
    )
    with op.batch_alter_table("webhook_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_webhook_outbox_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_outbox_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_webhook_outbox_status"), ["status"], unique=False)



def downgrade() -> None:
    with op.batch_alter_table("webhook_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_webhook_outbox_status"))
        batch_op.drop_index(batch_op.f("ix_webhook_outbox_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_webhook_outbox_case_id"))

    op.drop_table("webhook_outbox")
