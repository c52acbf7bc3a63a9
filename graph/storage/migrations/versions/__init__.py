"""Alembic revisions of our tables, oldest first (0001: the tables of the release before Alembic)."""
