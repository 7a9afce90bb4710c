"""notice idempotency: a client's Idempotency-Key and the receipt it was answered with

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 13:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("idempotency_key", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("receipt", sa.JSON(), nullable=True))
        batch_op.create_index("ux_notices_idempotency", ["submitted_by", "idempotency_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index("ux_notices_idempotency")
        batch_op.drop_column("receipt")
        batch_op.drop_column("idempotency_key")
