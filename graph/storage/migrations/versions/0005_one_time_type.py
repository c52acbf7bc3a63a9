"""One type for times: the leases and backoffs of the outbox, the jobs and the thread leases
(``held_until``, ``claimed_at``, ``expires_at``) were epoch seconds; they become ISO 8601 text in
UTC like every other time of our tables (graph/storage/tables.py), their values converted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS: dict[str, tuple[str, ...]] = {"outbox": ("held_until", "claimed_at")}
COLUMNS["jobs"] = ("held_until", "claimed_at")
COLUMNS["leases"] = ("expires_at",)
SQLITE = "strftime('%Y-%m-%dT%H:%M:%f', {c}, 'unixepoch') || '+00:00'"
POSTGRES = (
    "to_char(to_timestamp({c}) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') || '+00:00'"
)


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in COLUMNS.items():
        if not sqlite:
            for c in columns:
                op.alter_column(
                    table,
                    c,
                    type_=sa.Text(),
                    existing_type=sa.Float(),
                    postgresql_using=POSTGRES.format(c=c),
                )
            continue
        for (
            c
        ) in columns:  # converted first: a REAL column keeps the text it cannot read as a number
            op.execute(f"UPDATE {table} SET {c} = {SQLITE.format(c=c)} WHERE {c} IS NOT NULL")
        with op.batch_alter_table(table) as batch:
            for c in columns:
                batch.alter_column(c, type_=sa.Text(), existing_type=sa.Float())
