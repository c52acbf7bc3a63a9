"""The outbox and the jobs share one claim (graph/storage/queues.py's LaneQueue): outbox rows get
``claimed_at`` (epoch seconds) as jobs have, and a pending row's backoff is its ``held_until``
(its ``next_try`` is kept as written, for reading).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("claimed_at", sa.Float()))
