"""`digest_channels.not_before`: a push service that answered 429 or 503 with Retry-After is not tried again
before the time it asked for (branch faults14).

NULL for every delivery: tried at the next digest run, as before. A push the service refused for now and asked
to wait for was tried again at each digest check (every 5 minutes by default under `rasd run`), each a refusal
the service may count against the sender, whatever the wait it asked for.

Revision ID: 0021
Revises: 0020
"""

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"


def upgrade() -> None:
    op.add_column("digest_channels", sa.Column("not_before", sa.DateTime(), nullable=True))  # no table rewrite


def downgrade() -> None:
    op.drop_column("digest_channels", "not_before")
