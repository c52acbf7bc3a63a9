"""Deliverables written as canvases (bot/delivery.py): the canvas of each thread's deliverable by
specialist, so that a recomputed deliverable edits its canvas in place.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "canvases",
        sa.Column("thread_key", sa.Text(), primary_key=True),
        sa.Column("agent", sa.Text(), primary_key=True),
        *[
            sa.Column(name, sa.Text())
            for name in ("canvas_id", "permalink", "created_at", "updated_at")
        ],
    )
