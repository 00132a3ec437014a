"""The diary: people, their saved cases and their daily check-ins.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONDocument = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case", JSONDocument, nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_cases_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_index(op.f("ix_cases_person_id"), "cases", ["person_id"])
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("pain", sa.Integer(), nullable=False),
        sa.Column("fatigue", sa.Integer(), nullable=False),
        sa.Column("walk_minutes_done", sa.Float(), nullable=False),
        sa.Column("crash", sa.Boolean(), nullable=False),
        sa.Column("resting_hr", sa.Integer(), nullable=True),
        sa.Column("exercises_done", JSONDocument, nullable=False),
        sa.Column("new_findings", JSONDocument, nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("pain >= 0 AND pain <= 10", name=op.f("ck_checkins_pain_range")),
        sa.CheckConstraint("fatigue >= 0 AND fatigue <= 10", name=op.f("ck_checkins_fatigue_range")),
        sa.CheckConstraint(
            "walk_minutes_done >= 0 AND walk_minutes_done <= 600", name=op.f("ck_checkins_walk_range")
        ),
        sa.CheckConstraint(
            "resting_hr IS NULL OR (resting_hr >= 25 AND resting_hr <= 250)",
            name=op.f("ck_checkins_hr_range"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_checkins_person_id_people"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
        sa.UniqueConstraint("person_id", "date", name=op.f("uq_checkins_person_id_date")),
    )


def downgrade() -> None:
    op.drop_table("checkins")
    op.drop_index(op.f("ix_cases_person_id"), table_name="cases")
    op.drop_table("cases")
    op.drop_table("people")
