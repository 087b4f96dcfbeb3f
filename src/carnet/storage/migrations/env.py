"""Alembic environment: carnet hands it an open connection (see database.migrate)."""

from alembic import context

from carnet.storage.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
