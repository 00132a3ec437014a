"""Account roles, standard measures, share codes and the clinicians' access log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("accounts") as batch:  # batch: SQLite rebuilds the table
        batch.add_column(sa.Column("role", sa.String(length=16), server_default="person", nullable=False))
    op.create_table(
        "measure_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=16), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("response", JSONDocument, nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_measure_responses_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_responses")),
        sa.UniqueConstraint(
            "person_id", "measure", "date", name=op.f("uq_measure_responses_person_id_measure_date")
        ),
    )
    op.create_table(
        "shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("clinician_account_id", sa.Integer(), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_shares_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["clinician_account_id"],
            ["accounts.id"],
            name=op.f("fk_shares_clinician_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shares")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_shares_code_hash")),
    )
    op.create_index(op.f("ix_shares_person_id"), "shares", ["person_id"])
    op.create_index(op.f("ix_shares_clinician_account_id"), "shares", ["clinician_account_id"])
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("clinician_account_id", sa.Integer(), nullable=True),
        sa.Column("clinician_email", sa.String(length=320), nullable=False),
        sa.Column("what", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_access_log_person_id_people"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["clinician_account_id"],
            ["accounts.id"],
            name=op.f("fk_access_log_clinician_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_person_id_at", "access_log", ["person_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_access_log_person_id_at", table_name="access_log")
    op.drop_table("access_log")
    op.drop_index(op.f("ix_shares_clinician_account_id"), table_name="shares")
    op.drop_index(op.f("ix_shares_person_id"), table_name="shares")
    op.drop_table("shares")
    op.drop_table("measure_responses")
    with op.batch_alter_table("accounts") as batch:
        batch.drop_column("role")
