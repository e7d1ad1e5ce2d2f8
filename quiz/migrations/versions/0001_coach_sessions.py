"""Coach sessions, their submissions, and the failure counts that throttle guessing.

Revision ID: 0001
Revises:
Create Date: 2025-06-01

Written by hand to match the models in quiz/sessions/db.py exactly (tests/unit/test_storage.py compares
the migrated schema with them on SQLite and PostgreSQL). Types are spelled out here rather than
imported, so that later changes to the models cannot change what this revision creates.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_sessions")),
        sa.UniqueConstraint("code", name=op.f("uq_coach_sessions_code")),
    )
    op.create_index(op.f("ix_coach_sessions_expires_at"), "coach_sessions", ["expires_at"])
    op.create_index(op.f("ix_coach_sessions_owner"), "coach_sessions", ["owner"])

    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("pseudonym", sa.String(length=40), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("bank_version", sa.String(length=64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["coach_sessions.id"],
            name=op.f("fk_submissions_session_id_coach_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submissions")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_submissions_key_hash")),
    )
    op.create_index(op.f("ix_submissions_session_id"), "submissions", ["session_id"])

    op.create_table(
        "throttles",
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failure_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_throttles")),
    )


def downgrade() -> None:
    op.drop_table("throttles")
    op.drop_index(op.f("ix_submissions_session_id"), table_name="submissions")
    op.drop_table("submissions")
    op.drop_index(op.f("ix_coach_sessions_owner"), table_name="coach_sessions")
    op.drop_index(op.f("ix_coach_sessions_expires_at"), table_name="coach_sessions")
    op.drop_table("coach_sessions")
