"""Site lifecycle: several API keys per site (rotation with a grace period), the previous signing
secret kept for an overlap, disabled sites, and the sites' own audit log

Each site's one key hash moves to site_api_keys (hint "????": the key itself was never stored).

Revision ID: 7a3c9e1f2b44
Revises: 5c1e2d7a9b10
Create Date: 2026-11-30 18:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = "7a3c9e1f2b44"
down_revision: Union[str, Sequence[str], None] = "5c1e2d7a9b10"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "site_api_keys",
        sa.Column("id", Id, nullable=False),
        sa.Column("site_id", Id, nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("hint", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_api_keys_site_id_sites"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_api_keys")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_site_api_keys_key_hash")),
    )
    op.create_index(op.f("ix_site_api_keys_site_id"), "site_api_keys", ["site_id"], unique=False)
    op.create_table(
        "site_changes",
        sa.Column("id", Id, nullable=False),
        sa.Column("site_id", Id, nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_site_changes_site_id_sites"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_changes")),
    )
    op.create_index("ix_site_changes_site_id_id", "site_changes", ["site_id", "id"], unique=False)
    op.execute(
        "INSERT INTO site_api_keys (site_id, key_hash, hint, created_at) "
        "SELECT id, api_key_hash, '????', created_at FROM sites"
    )
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("previous_signing_secret", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("previous_signing_secret_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_constraint("uq_sites_api_key_hash", type_="unique")
        batch_op.drop_column("api_key_hash")


def downgrade() -> None:
    with op.batch_alter_table("sites") as batch_op:
        batch_op.add_column(sa.Column("api_key_hash", sa.String(length=64), nullable=True))
    # The newest key of each site becomes its one key again; older keys in their grace stop working.
    op.execute(
        "UPDATE sites SET api_key_hash = (SELECT key_hash FROM site_api_keys k WHERE k.site_id = sites.id "
        "ORDER BY k.id DESC LIMIT 1)"
    )
    with op.batch_alter_table("sites") as batch_op:
        batch_op.alter_column("api_key_hash", nullable=False)
        batch_op.create_unique_constraint("uq_sites_api_key_hash", ["api_key_hash"])
        batch_op.drop_column("disabled_at")
        batch_op.drop_column("previous_signing_secret_expires_at")
        batch_op.drop_column("previous_signing_secret")
    op.drop_index("ix_site_changes_site_id_id", table_name="site_changes")
    op.drop_table("site_changes")
    op.drop_index(op.f("ix_site_api_keys_site_id"), table_name="site_api_keys")
    op.drop_table("site_api_keys")
