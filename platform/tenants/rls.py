"""PostgreSQL row-level security: the second wall behind ORM scoping.

Migrations call :func:`protect_table` for every council-owned table (plugins' tables too). The policy lets a
row through only when its ``council_id`` equals the transaction-local setting ``konsey.council_id`` (set by
:mod:`konsey.tenants.scoping` at transaction start), or when the audited escape hatch set ``konsey.scope`` to
``all``. ``FORCE`` applies it to the table owner too; the application connects as ``konsey_app``, which is
neither superuser, nor owner, nor BYPASSRLS. With nothing bound, raw SQL sees no rows: it fails closed.
"""

from __future__ import annotations

APP_ROLE = "konsey_app"

_CURRENT_COUNCIL = "NULLIF(current_setting('konsey.council_id', true), '')::uuid"
_ALL_SCOPE = "current_setting('konsey.scope', true) = 'all'"


def protect_table_sql(table: str) -> list[str]:
    condition = f"(council_id = {_CURRENT_COUNCIL} OR {_ALL_SCOPE})"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY council_isolation ON {table} USING {condition} WITH CHECK {condition}",
    ]


def app_role_sql() -> list[str]:
    """The restricted role the application logs in as, with plain data privileges only."""
    return [
        f"""DO $$ BEGIN
              CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$""",
        f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}",
    ]


def protect_table(op, table: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in protect_table_sql(table):
        op.execute(statement)


def grant_app_role(op) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in app_role_sql():
        op.execute(statement)
