"""Action versions, author notes, comments by article and by time

- moderation_actions.version: the comment version an action applied to, so an action on a version
  edited since is shown as history and not offered for undo. Existing actions get the version the
  comment had when they were taken (the latest version created before them).
- author_notes: moderators' notes on a site's authors, each with its audit row.
- comments by (site, article) for the per-article view, by (site, created_at) for the simulator.

Revision ID: 1c41167da2f3
Revises: 8b4d0f2a3c55
Create Date: 2026-11-30 17:57:03.891913

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "1c41167da2f3"
down_revision: Union[str, Sequence[str], None] = "8b4d0f2a3c55"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "author_notes",
        sa.Column("id", Id, nullable=False),
        sa.Column("site_id", Id, nullable=False),
        sa.Column("author_id", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action_id", Id, nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"], ["moderation_actions.id"], name=op.f("fk_author_notes_action_id_moderation_actions")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_author_notes_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_author_notes")),
    )
    with op.batch_alter_table("author_notes", schema=None) as batch_op:
        batch_op.create_index("ix_author_notes_site_id_author_id", ["site_id", "author_id"], unique=False)

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_site_id_article_id", ["site_id", "article_id"], unique=False)
        batch_op.create_index("ix_comments_site_id_created_at", ["site_id", "created_at"], unique=False)

    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))

    op.execute(
        "UPDATE moderation_actions SET version = ("
        " SELECT max(v.version) FROM comment_versions v"
        " WHERE v.comment_id = moderation_actions.comment_id AND v.created_at <= moderation_actions.created_at)"
        " WHERE comment_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_column("version")

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_site_id_created_at")
        batch_op.drop_index("ix_comments_site_id_article_id")

    with op.batch_alter_table("author_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_author_notes_site_id_author_id")

    op.drop_table("author_notes")
