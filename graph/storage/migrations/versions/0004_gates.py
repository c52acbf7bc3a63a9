"""The go/no-go gate of campaign threads (bot/gate.py): the checklist's message and launch date,
its ticked criteria and its audit trail; what each user looks at while the agent pane is open.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _texts(*names: str) -> list[sa.Column]:
    return [sa.Column(name, sa.Text()) for name in names]


def upgrade() -> None:
    op.create_table(
        "gates",
        sa.Column("thread_key", sa.Text(), primary_key=True),
        *_texts("team", "channel", "thread_ts", "message_ts", "lang", "launch_date", "status"),
        *_texts("launched_by", "launched_at", "reminded_at", "created_at"),
    )
    op.create_table(
        "gate_checks",
        sa.Column("thread_key", sa.Text(), primary_key=True),
        sa.Column("criterion", sa.Text(), primary_key=True),
        *_texts("checked_by", "checked_at"),
    )
    op.create_table(
        "gate_events",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
        *_texts("thread_key", "criterion", "event", "user", "at"),
    )
    op.create_index("idx_gate_events_thread_key", "gate_events", ["thread_key"])
    op.create_table(
        "viewing",
        sa.Column("team", sa.Text(), primary_key=True),
        sa.Column("user", sa.Text(), primary_key=True),
        *_texts("channel", "canvas", "message_channel", "message_ts", "at"),
    )
