"""screening memory: conversation sessions, lineage of allowed outputs, likeness registry

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from genguard.store.base import UTCDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "session_turns",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("session_id", sa.String(200), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), sa.ForeignKey("audit_records.seq"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("account", "session_id", "turn"),
    )
    op.create_table(
        "lineage_nodes",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("root_id", sa.BigInteger(), nullable=True, index=True),
        sa.Column("parent_id", sa.BigInteger(), nullable=True),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("pdq", sa.JSON(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("faces", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("reduction_turns", sa.Integer(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), sa.ForeignKey("audit_records.seq"), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "likeness_persons",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("registered_by", sa.String(16), nullable=False),
        sa.Column("consent_name", sa.String(200), nullable=False),
        sa.Column("consent_statement", sa.Text(), nullable=False),
        sa.Column("consented_at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "likeness_embeddings",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "person_id", sa.Integer(), sa.ForeignKey("likeness_persons.id", ondelete="CASCADE"),
            nullable=False, index=True,
        ),
        sa.Column("embedding", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("likeness_embeddings")
    op.drop_table("likeness_persons")
    op.drop_table("lineage_nodes")
    op.drop_table("session_turns")
