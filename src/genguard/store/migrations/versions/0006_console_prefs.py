"""console prefs: per-user console settings in the database, shared by every worker

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 12:22:45.189736
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table("console_prefs",
    sa.Column("key_id", sa.Integer(), nullable=False),
    sa.Column("reveal_media", sa.Boolean(), nullable=False),
    sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["key_id"], ["api_keys.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("key_id")
    )


def downgrade() -> None:
    op.drop_table("console_prefs")
