"""Domain rules stored normalised: one row per domain however the operator wrote it

Rules used to be stored as typed ("https://kazino.ru/") and compared after normalising, so a later
"--allow kazino.ru" left both rows and the block won. Each site's rules are normalised here; where
two rows name one domain, the latest (highest id) stays, as set_domain_rules keeps the latest given.

Revision ID: 5c1e2d7a9b10
Revises: 3df0d19d102d
Create Date: 2026-11-30 18:00:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

from shared.domains import normalise_domain

revision: str = "5c1e2d7a9b10"
down_revision: Union[str, Sequence[str], None] = "3df0d19d102d"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

rules = sa.table("site_domain_rules", sa.column("id", sa.BigInteger), sa.column("site_id", sa.BigInteger),
                 sa.column("domain", sa.String))


def upgrade() -> None:
    connection = op.get_bind()
    latest: dict[tuple[int, str], int] = {}  # (site, normalised domain) -> the row that stays
    rows = connection.execute(sa.select(rules.c.id, rules.c.site_id, rules.c.domain).order_by(rules.c.id)).all()
    for row_id, site_id, domain in rows:
        latest[(site_id, normalise_domain(domain))] = row_id
    keep = set(latest.values())
    gone = [row_id for row_id, _, _ in rows if row_id not in keep]
    if gone:
        connection.execute(sa.delete(rules).where(rules.c.id.in_(gone)))
    for (site_id, domain), row_id in latest.items():
        if not domain:
            connection.execute(sa.delete(rules).where(rules.c.id == row_id))
        else:
            connection.execute(sa.update(rules).where(rules.c.id == row_id).values(domain=domain))


def downgrade() -> None:
    """Nothing to undo: normalised rules are valid rules."""
