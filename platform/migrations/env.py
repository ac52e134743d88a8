"""Alembic environment: migrates with the owner connection (KONSEY_MIGRATION_DATABASE_URL)."""

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

config = context.config
target_metadata = current_app.extensions["migrate"].db.metadata


def run_migrations_offline():
    context.configure(url=current_app.config["KONSEY_MIGRATION_DATABASE_URL"], target_metadata=target_metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    engine = create_engine(current_app.config["KONSEY_MIGRATION_DATABASE_URL"])
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,  # SQLite needs batch mode to alter tables
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
