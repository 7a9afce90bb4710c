"""seen variants: PDQ of the rotations/flips of seen content, for retro-scans of turned copies

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 17:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("seen_content", sa.Column("pdq_variants", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("seen_content", "pdq_variants")
