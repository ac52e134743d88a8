"""Models and Alembic migrations agree, on SQLite and PostgreSQL, and RLS covers every council-owned table."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from konsey.tenants.db import council_owned_models, db


def test_models_match_migrations(ctx):
    engine = create_engine(ctx.config["KONSEY_MIGRATION_DATABASE_URL"])
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ: {diff}"


def test_rls_is_forced_on_every_council_owned_table(postgres_app):
    engine = create_engine(postgres_app.config["KONSEY_MIGRATION_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )).all()
        policies = {r[0] for r in connection.execute(text("SELECT tablename FROM pg_policies"))}
    engine.dispose()
    flags = {name: (enabled, forced) for name, enabled, forced in rows}
    for model in council_owned_models():
        assert flags[model.__tablename__] == (True, True), model.__tablename__
        assert model.__tablename__ in policies
    assert flags["councils"] == (False, False)
