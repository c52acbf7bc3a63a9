"""Alembic's environment: the migrations run on the connection Database.migrate passes, inside
the transaction it holds (the lock that keeps two starting processes from migrating at once)."""

from alembic import context

from graph.storage.tables import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
