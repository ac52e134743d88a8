"""What a distributed PostgreSQL (Citus, ``council_id`` as the distribution column) asks of the schema, checked
over the models' metadata (docs/scaling.md): a council's rows can live on one shard only if every unique
constraint of a council-owned table includes ``council_id``, and every foreign key from one council-owned
table to another includes it (a co-located join)."""

from __future__ import annotations

from sqlalchemy import UniqueConstraint


def _tables():
    import konsey.app  # noqa: F401 - imports every model, the plugins' too, onto the metadata
    from konsey.tenants.db import db

    return {name: table for name, table in db.metadata.tables.items()}


def _council_owned(tables) -> dict:
    """The tables of :class:`CouncilOwned` models (scoped, under RLS): the distributed tables."""
    from konsey.tenants.db import CouncilOwned, db

    owned = {mapper.local_table.name for mapper in db.Model.registry.mappers
             if issubclass(mapper.class_, CouncilOwned)}
    return {name: table for name, table in tables.items() if name in owned}


def test_every_unique_constraint_of_a_council_owned_table_includes_council_id():
    offenders = []
    for name, table in _council_owned(_tables()).items():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint) and "council_id" not in [c.name for c in constraint.columns]:
                offenders.append(f"{name}: {constraint.columns.keys()}")
        for index in table.indexes:
            if index.unique and "council_id" not in [c.name for c in index.columns]:
                offenders.append(f"{name}: index {index.name}")
    assert offenders == []


def test_every_council_owned_tables_primary_key_includes_council_id():
    offenders = [f"{name}: {table.primary_key.columns.keys()}" for name, table in _council_owned(_tables()).items()
                 if table.primary_key.columns.keys() != ["council_id", "id"]]
    assert offenders == []


def test_the_database_has_the_composite_primary_keys(postgres_app):
    """What the migrations made on PostgreSQL (the core's and the plugins'), not only what the models say."""
    from sqlalchemy import create_engine, text

    engine = create_engine(postgres_app.config["KONSEY_MIGRATION_DATABASE_URL"])
    with engine.connect() as connection:
        keys = dict(connection.execute(text(
            "SELECT c.relname, array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_attribute a ON a.attrelid = i.indrelid "
            "AND a.attnum = ANY(i.indkey) WHERE i.indisprimary AND c.relnamespace = 'public'::regnamespace "
            "GROUP BY c.relname")).all())
    engine.dispose()
    owned = _council_owned(_tables())
    assert {name: keys.get(name) for name in owned if keys.get(name) != ["council_id", "id"]} == {}
    assert keys["councils"] == ["id"]  # a platform table: a reference table keeps its own key


def test_foreign_keys_between_council_owned_tables_include_council_id():
    tables = _tables()
    owned = _council_owned(tables)
    offenders = []
    for name, table in owned.items():
        for key in table.foreign_key_constraints:
            target = key.referred_table.name
            if target in owned and "council_id" not in key.column_keys:
                offenders.append(f"{name}.{key.column_keys} → {target}")
    assert offenders == []


def test_platform_tables_are_few_and_known():
    """What is not council-owned becomes a Citus reference table (copied to every node): it must stay small
    and platform-wide. A new table lands in one list or the other on purpose."""
    tables = _tables()
    platform_tables = sorted(set(tables) - set(_council_owned(tables)))
    assert platform_tables == sorted(PLATFORM_TABLES), platform_tables


# Platform-wide: the councils themselves, accounts with their grants, tokens, invitations and second factors (an
# authenticator, passkeys, recovery codes, remembered devices: looked up before any council is bound, a few rows a
# person), the platform's own event log, and the federation's daily snapshots (aggregates only).
PLATFORM_TABLES = ["access_tokens", "council_roles", "councils", "federation_snapshots", "invitations", "passkeys",
                   "platform_events", "recovery_codes", "remembered_devices", "second_factors", "users"]
