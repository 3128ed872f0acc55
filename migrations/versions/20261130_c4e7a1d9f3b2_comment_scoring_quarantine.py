"""Comments whose scoring keeps failing are quarantined; timestamps no reader can read are cleared;
moderators' session generation (logout and a new password end their sessions)

Revision ID: c4e7a1d9f3b2
Revises: 1c41167da2f3
Create Date: 2026-11-30 22:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "c4e7a1d9f3b2"
down_revision: Union[str, Sequence[str], None] = "1c41167da2f3"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("comments") as batch:
        batch.add_column(sa.Column("scoring_failures", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("quarantined_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("moderators") as batch:
        batch.add_column(sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False))
    # Before validation bounded them, a site could store times Python cannot read back (year 10000 in
    # UTC): every read of such a row failed, and with it its worker batch. The time is unknown, not kept.
    # (SQLite never held them: Python refused to write them.)
    low, high = "1970-01-01 00:00:00+00:00", "3000-01-01 00:00:00+00:00"
    if op.get_bind().dialect.name == "postgresql":
        for column in ("posted_at", "author_registered_at"):
            op.execute(
                f"UPDATE comments SET {column} = NULL WHERE {column} < TIMESTAMPTZ '{low}' OR {column} >= TIMESTAMPTZ '{high}'"
            )


def downgrade() -> None:
    with op.batch_alter_table("moderators") as batch:
        batch.drop_column("session_generation")
    with op.batch_alter_table("comments") as batch:
        batch.drop_column("quarantined_at")
        batch.drop_column("scoring_failures")
