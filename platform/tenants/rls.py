"""PostgreSQL row-level security: the second wall behind ORM scoping.

Migrations call :func:`protect_table` for every council-owned table (plugins' tables too). The policy lets a
row through only when its ``council_id`` equals the transaction-local setting ``konsey.council_id`` (set by
:mod:`konsey.tenants.scoping` at transaction start), or when the connection is the read-only reader role,
``konsey_reader``, which only the audited escape hatch (:func:`konsey.tenants.scoping.all_councils`) uses,
through a connection of its own. The application role never sees every council at once: an SQL injection
through ``konsey_app`` cannot dump the platform, though it can still name one other council's id in the
setting (the setting is the application's, not a secret; a per-council role would be the next wall). ``FORCE`` applies the policy to the table owner
too; ``konsey_app`` is neither superuser, nor owner, nor BYPASSRLS. With nothing bound, raw SQL sees no rows:
it fails closed.
"""

from __future__ import annotations

APP_ROLE = "konsey_app"
READER_ROLE = "konsey_reader"

# Tables with secrets or personal accounts the escape hatch never needs (migration 0026 revokes them).
READER_NEVER_READS = ("users", "access_tokens", "invitations", "council_keys", "delivery_routes")

_CURRENT_COUNCIL = "NULLIF(current_setting('konsey.council_id', true), '')::uuid"
_READER = f"current_user = '{READER_ROLE}'"
# What the policy said before the reader role (migration 0024 replaces it, and its downgrade restores it).
OLD_CONDITION = f"(council_id = {_CURRENT_COUNCIL} OR current_setting('konsey.scope', true) = 'all')"
# From 0024 to 0030: one policy, the reader let in by an OR. The OR kept the planner from using the policy as an
# index condition and made it misjudge every council's row count (docs/performance.md, RLS policy).
OR_READER_CONDITION = f"(council_id = {_CURRENT_COUNCIL} OR {_READER})"
# Since 0031: the council in a scalar subquery — an InitPlan, read once per statement, whose value the planner
# uses like a parameter — and the reader let in by a policy of its own (``READER_POLICY``).
CONDITION = f"(council_id = (SELECT {_CURRENT_COUNCIL}))"
READER_POLICY = "reader_reads"


def policy_sql(table: str, condition: str = CONDITION) -> str:
    return f"CREATE POLICY council_isolation ON {table} USING {condition} WITH CHECK {condition}"


def reader_policy_sql(table: str) -> str:
    """The escape hatch's role reads every council's rows of ``table`` (and writes none: SELECT only). ``TO``
    keeps the policy out of every other role's plans; the condition keeps out roles that are merely granted
    konsey_reader (a policy's roles include their members)."""
    return f"CREATE POLICY {READER_POLICY} ON {table} FOR SELECT TO {READER_ROLE} USING ({_READER})"


def protect_table_sql(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        policy_sql(table),
        f"DROP POLICY IF EXISTS {READER_POLICY} ON {table}",
        # Migrations older than the reader role (0024) protect tables too: they get the policy from 0031.
        f"""DO $$ BEGIN
              IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER_ROLE}') THEN
                EXECUTE '{reader_policy_sql(table).replace("'", "''")}';
              END IF;
            END $$""",  # noqa: S608 - a table name of the models and this module's constants, never input
    ]


def _login_role_sql(role: str, privileges: str) -> list[str]:
    """A role that logs in with plain data ``privileges`` on every table (and every later one), nothing more."""
    return [
        f"""DO $$ BEGIN
              CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
            END $$""",
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT {privileges} ON ALL TABLES IN SCHEMA public TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {privileges} ON TABLES TO {role}",
    ]


def reader_role_sql() -> list[str]:
    """The read-only role of the escape hatch: it may read every council's rows and write nothing."""
    return _login_role_sql(READER_ROLE, "SELECT")


def repolicy_all_sql(condition: str) -> str:
    """Every council-isolation policy of the database, rewritten with ``condition`` (plugins' tables too)."""
    quoted = condition.replace("'", "''")
    # The condition is one of this module's two constants, never input.
    return f"""DO $$ DECLARE t record; BEGIN
      FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'council_isolation'
      LOOP
        EXECUTE format('DROP POLICY council_isolation ON %I', t.tablename);
        EXECUTE format('CREATE POLICY council_isolation ON %I USING {quoted} WITH CHECK {quoted}', t.tablename);
      END LOOP;
    END $$"""  # noqa: S608


def split_reader_policies_sql(split: bool) -> str:
    """Every protected table gets (``split``) or loses its reader policy; with it, the council policy needs no
    OR. The roles exist before (migration 0024)."""
    quoted = _READER.replace("'", "''")
    create = (f"EXECUTE format('CREATE POLICY {READER_POLICY} ON %I FOR SELECT TO {READER_ROLE} USING ({quoted})', "
              "t.tablename);") if split else ""
    return f"""DO $$ DECLARE t record; BEGIN
      FOR t IN SELECT tablename FROM pg_policies WHERE schemaname = 'public' AND policyname = 'council_isolation'
      LOOP
        EXECUTE format('DROP POLICY IF EXISTS {READER_POLICY} ON %I', t.tablename);
        {create}
      END LOOP;
    END $$"""  # noqa: S608


def app_role_sql() -> list[str]:
    """The restricted role the application logs in as, with plain data privileges only."""
    return _login_role_sql(APP_ROLE, "SELECT, INSERT, UPDATE, DELETE")


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


def council_primary_key_sql(table: str, *, composite: bool = True) -> str:
    """``table``'s primary key becomes ``(council_id, id)`` (``composite``) or ``id`` again, if it is not so
    already: Citus needs the distribution column in the primary key (docs/scaling.md). The composite foreign
    keys keep referencing ``UNIQUE (council_id, id)``, so nothing else changes."""
    wanted, other = ("council_id, id", "{id}") if composite else ("id", "{council_id,id}")
    return f"""DO $$ BEGIN
      IF (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = '{table}'::regclass AND i.indisprimary) = '{other}'::text[] THEN
        ALTER TABLE {table} DROP CONSTRAINT pk_{table}, ADD CONSTRAINT pk_{table} PRIMARY KEY ({wanted});
      END IF;
    END $$"""  # noqa: S608 - table names of the models, never input


def council_primary_keys(op, tables: list[str], *, composite: bool = True) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # one machine, no distribution: SQLite keeps id as the key, with UNIQUE (council_id, id) beside it
    for table in tables:
        op.execute(council_primary_key_sql(table, composite=composite))


def each_council(bind):
    """For a data migration: yields each council's id with that council bound on the connection (row-level
    security lets the owner see one council at a time), and unbinds at the end."""
    import sqlalchemy as sa

    postgres = bind.dialect.name == "postgresql"
    councils = sa.table("councils", sa.column("id", sa.Uuid()))
    for council_id in bind.execute(sa.select(councils.c.id)).scalars().all():
        if postgres:
            bind.execute(sa.text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council_id)})
        yield council_id
    if postgres:
        bind.execute(sa.text("SELECT set_config('konsey.council_id', '', true)"))


def create_council_table(op, name: str, *columns, keys=(), uniques=()) -> None:
    """A council-owned table as every migration makes one: ``columns``, then ``council_id`` and ``id``, the
    composite foreign keys ``keys`` ((column, table, ondelete) — the referenced row of the same council), the
    council's own foreign key, ``UNIQUE (council_id, id)`` and each of ``uniques`` led by ``council_id``."""
    import sqlalchemy as sa

    op.create_table(
        name, *columns,
        sa.Column("council_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *(sa.ForeignKeyConstraint(["council_id", column], [f"{table}.council_id", f"{table}.id"],
                                  name=op.f(f"fk_{name}_council_id_{column}_{table}"), ondelete=ondelete)
          for column, table, ondelete in keys),
        sa.ForeignKeyConstraint(["council_id"], ["councils.id"], name=op.f(f"fk_{name}_council_id_councils"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("council_id", "id", name=op.f(f"uq_{name}_council_id_id")),
        *(sa.UniqueConstraint("council_id", *unique, name=op.f(f"uq_{name}_council_id_{'_'.join(unique)}"))
          for unique in uniques),
    )


def protect_council_tables(op, tables: list[str]) -> None:
    """New council-owned tables as every migration finishes them: row-level security on each, and the primary key
    led by ``council_id`` (PostgreSQL; nothing on SQLite)."""
    for table in tables:
        protect_table(op, table)
    council_primary_keys(op, tables)
