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


def test_policies_read_the_council_once_and_let_the_reader_in_by_a_policy_of_its_own(postgres_app):
    """Migration 0031: the council in a scalar subquery (one InitPlan per statement, usable as an index
    condition) and no OR for the reader, who reads (only reads) through a SELECT policy of its own."""
    engine = create_engine(postgres_app.config["KONSEY_MIGRATION_DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT tablename, policyname, cmd, roles::text[], qual, with_check FROM pg_policies "
            "WHERE schemaname = 'public'")).all()
    engine.dispose()
    by_table: dict = {}
    for table, name, cmd, roles, qual, with_check in rows:
        by_table.setdefault(table, {})[name] = (cmd, list(roles), qual, with_check)
    for model in council_owned_models():
        policies = by_table[model.__tablename__]
        assert set(policies) == {"council_isolation", "reader_reads"}, model.__tablename__
        cmd, roles, qual, with_check = policies["council_isolation"]
        assert "SELECT" in qual and "konsey_reader" not in qual and qual == with_check, (model.__tablename__, qual)
        assert policies["reader_reads"][:2] == ("SELECT", ["konsey_reader"])
        assert "CURRENT_USER" in policies["reader_reads"][2].upper(), policies["reader_reads"]


def test_groups_approved_before_rule_5_get_their_general_assembly_seat(app, world):
    """Migration 0030 opens the seat of each active group approved before the rule, as the owner under
    row-level security, numbering it after the council's members."""
    import importlib.util
    from pathlib import Path

    import sqlalchemy as sa
    from alembic.operations import Operations

    from konsey.core.bodies import Body
    from konsey.core.membership import Member
    from konsey.core.seats import group_seat
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    body_id = world.body_with_seat(council, world.member(council, name="Ayşe Kaya"))["body_a"]
    engine = create_engine(app.config["KONSEY_MIGRATION_DATABASE_URL"])
    postgres = engine.dialect.name == "postgresql"
    members = sa.table("members", sa.column("group_body_id", sa.Uuid()), sa.column("council_id", sa.Uuid()))
    with engine.begin() as connection:  # as it was before the rule: the approved group has no seat
        if postgres:
            connection.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council)})
        gone = connection.execute(members.delete().where(members.c.group_body_id == body_id)).rowcount
    assert gone == 1
    path = next((Path(__file__).parent.parent / "platform/migrations/versions").glob("0030_*.py"))
    spec = importlib.util.spec_from_file_location("migration_0030", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    for _twice in range(2):  # a second run finds the seat and opens no other
        with engine.begin() as connection, Operations.context(MigrationContext.configure(connection)):
            migration._open_seats_of_approved_groups()
    engine.dispose()
    with app.app_context(), bound_council(council):
        seat = group_seat(db.session.get(Body, body_id))
        numbers = sorted(db.session.scalars(sa.select(Member.member_no)))
        assert (seat.name, seat.category.value, seat.kind.value) == ("Ulaşım Çalışma Grubu",
                                                                     "working_group_representative", "institutional")
        assert seat.member_no == numbers[-1] and len(numbers) == len(set(numbers))
    later = world.member(council, name="Sonraki Üye")  # the counter moved past the seat's number
    with app.app_context(), bound_council(council):
        assert db.session.get(Member, later).member_no == seat.member_no + 1


def _migration(prefix: str):
    import importlib.util
    from pathlib import Path

    path = next((Path(__file__).parent.parent / "platform/migrations/versions").glob(f"{prefix}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{prefix}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_data_steps_of_0044_and_0045_reach_every_council_under_row_level_security(app, world):
    """Run as the owner, whom row-level security shows one council at a time (PostgreSQL): each motion's
    changed_at and each member's search key are filled in every council, none left blank."""
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from konsey.core.membership import Member
    from konsey.core.motions import Motion
    from konsey.tenants.scoping import bound_council
    from support.clients import adopted_motion

    councils = [world.council("izmir"), world.council("nilufer", province=16)]
    for council in councils:
        world.member(council, name="İsmail Işık")
        adopted_motion(app, world, council)
    engine = create_engine(app.config["KONSEY_MIGRATION_DATABASE_URL"])
    postgres = engine.dialect.name == "postgresql"
    long_ago = datetime(2001, 1, 1, tzinfo=UTC)
    members = sa.table("members", sa.column("council_id", sa.Uuid()), sa.column("search_name", sa.String()))
    motions = sa.table("motions", sa.column("council_id", sa.Uuid()), sa.column("changed_at", sa.DateTime(True)))
    with engine.begin() as connection:  # as before the migrations: nothing filled in
        for council in councils:
            if postgres:
                connection.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council)})
            connection.execute(members.update().where(members.c.council_id == council).values(search_name=""))
            connection.execute(motions.update().where(motions.c.council_id == council).values(changed_at=long_ago))
    with engine.begin() as connection:
        _migration("0044").fill_changed_at(connection)
        _migration("0045").fill_search_names(connection)
    engine.dispose()
    for council in councils:
        with app.app_context(), bound_council(council):
            keys = set(db.session.scalars(sa.select(Member.search_name)))
            assert "ismail isik" in keys and "" not in keys, keys
            for motion in db.session.scalars(sa.select(Motion)):
                assert motion.changed_at.replace(tzinfo=motion.changed_at.tzinfo or UTC) > long_ago


def test_0046_folds_the_assemblies_own_board_switches_into_the_one_list_in_every_council(app, world):
    """A version that kept the youth assembly's president off the board (its own by-law field, now retired)
    leaves the youth assembly out of executive_board_ex_officio_assemblies; the fields go; every council, as
    the owner under row-level security."""
    import sqlalchemy as sa

    from konsey.core.bylaws import parameters_on
    from konsey.tenants.scoping import bound_council
    from support.clock import council_today

    councils = [world.council("izmir"), world.council("nilufer", province=16), world.council("bursa", province=16)]
    engine = create_engine(app.config["KONSEY_MIGRATION_DATABASE_URL"])
    postgres = engine.dialect.name == "postgresql"
    profiles = sa.table("bylaw_profiles", sa.column("council_id", sa.Uuid()), sa.column("parameters", sa.JSON()))
    with engine.begin() as connection:  # as a version adopted before: the assemblies' own fields
        # The third's list left the youth assembly out, but its own field (true) seated the president anyway.
        listed = [None, None, ["womens_assembly", "disabled_assembly"]]
        for council, youth, kept_list in zip(councils, (False, True, True), listed, strict=True):
            if postgres:
                connection.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council)})
            for row in connection.execute(sa.select(profiles.c.parameters).where(profiles.c.council_id == council)):
                held = {k: v for k, v in row.parameters.items() if k != "executive_board_ex_officio_assemblies"}
                if kept_list is not None:
                    held["executive_board_ex_officio_assemblies"] = kept_list
                connection.execute(profiles.update().where(profiles.c.council_id == council).values(
                    parameters={**held, "youth_president_on_executive_board": youth,
                                "disabled_president_on_executive_board": True}))
    with engine.begin() as connection:
        _migration("0046").fold_board_switches(connection)
    engine.dispose()
    seen = []
    for council in councils:
        with app.app_context(), bound_council(council):
            held = parameters_on(council_today())
            assert "youth_president_on_executive_board" not in held
            assert "disabled_president_on_executive_board" not in held
            seen.append(sorted(held["executive_board_ex_officio_assemblies"]))
    assert seen == [["disabled_assembly", "womens_assembly"],
                    ["disabled_assembly", "womens_assembly", "youth_assembly"],
                    ["disabled_assembly", "womens_assembly", "youth_assembly"]]  # nobody's seat changes
