"""Each source's consecutive failed cycles, as `rasd status` promises: `sources.failed_cycles` (0 after a
cycle in which it worked) and `sources.last_failure` (why its last cycle failed). Counting failed fetches
instead said 3 for one bad hour and 0 for a site whose feed answered while every article timed out.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    # ADD COLUMN in place (not a batch copy of the table: dropping `sources` fails on its foreign keys)
    op.add_column("sources", sa.Column("failed_cycles", sa.Integer, nullable=False, server_default="0"))
    op.add_column("sources", sa.Column("last_failure", sa.Text))


def downgrade() -> None:
    op.drop_column("sources", "last_failure")
    op.drop_column("sources", "failed_cycles")
