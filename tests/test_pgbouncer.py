"""Behind PgBouncer in transaction pooling mode (docs/scaling.md): the council bound in one transaction never
leaks into another client's transaction on the same server connection, and nothing breaks for the lack of
session state (server-side prepared statements are off with KONSEY_BEHIND_PGBOUNCER)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from support.private_servers import PrivatePgBouncer
from support.services import need_service

pytestmark = pytest.mark.postgres


@pytest.fixture
def bounced(postgres_app, tmp_path):
    """An app like ``postgres_app`` whose every connection goes through one PgBouncer server connection."""
    need_service("pgbouncer", PrivatePgBouncer.available(), "apt-get install pgbouncer; test skipped")
    from konsey.app import create_app

    name = postgres_app.konsey_pg.name
    bouncer = PrivatePgBouncer(name)
    bouncer.start()
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": bouncer.url("konsey_app", name),
                      "KONSEY_MIGRATION_DATABASE_URL": postgres_app.konsey_pg.owner_url,
                      "KONSEY_READER_DATABASE_URL": bouncer.url("konsey_reader", name),
                      "KONSEY_BEHIND_PGBOUNCER": True, "RATELIMIT_ENABLED": False,
                      "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 4}}, instance_path=tmp_path)
    try:
        yield app
    finally:
        from konsey.tenants.db import db

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        bouncer.stop()


def test_the_bound_council_never_leaks_through_the_pool(bounced, postgres_app, world):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    izmir, nilufer = world.council("izmir"), world.council("nilufer")
    for council, names in ((izmir, ["Ayşe Kaya", "Mehmet Er"]), (nilufer, ["Zeynep Ak"])):
        for name in names:
            world.member(council, name=name)
    with bounced.app_context():
        assert db.session.get_bind().url.port != 5432  # through the bouncer
        other = db.engine.connect()  # a second client: the same single server connection, in turn
        try:
            for round_ in range(12):  # more than psycopg's prepare threshold (5) of the same statements
                council, expected = (izmir, {"Ayşe Kaya", "Mehmet Er"}) if round_ % 2 == 0 else (nilufer, {"Zeynep Ak"})
                with bound_council(council):
                    assert set(db.session.scalars(select(Member.name))) == expected
                    db.session.commit()
                # The other client's next transaction runs on the server connection the first just used.
                with other.begin():
                    setting = other.execute(text("SELECT current_setting('konsey.council_id', true)")).scalar()
                    assert setting in (None, ""), setting
                    assert other.execute(text("SELECT count(*) FROM members")).scalar() == 0  # RLS: nothing bound
        finally:
            other.close()
        # The reader role through the bouncer too (the relay's and the federation's reads).
        from konsey.tenants.scoping import all_councils

        with all_councils(reason="pgbouncer test", audit=False) as every:
            assert every.scalar(select(func.count(Member.id))) == 3
            every.rollback()
