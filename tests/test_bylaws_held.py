"""Each process keeps a copy of a council's by-laws, read once per ``Council.bylaws_version``: every write of a
version (adopted, replaced, changed by hand) bumps it, so no process judges by a version that is gone, and a
version written in a transaction that rolls back is never kept."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, text

from support.statements import statements_sent


def test_the_copy_is_read_once_and_follows_every_write(app, world):
    from konsey.core.bylaws import ByLawProfile, parameters_on
    from konsey.tenants.db import db
    from konsey.tenants.models import Council, council_today
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    with app.app_context(), bound_council(council):
        today = council_today()
        assert parameters_on(today)["reconvene_after_days"] == 7
        request_council = db.session.get(Council, council)  # a request holds its council (g.council)
        with statements_sent(app) as seen:
            assert parameters_on(today)["reconvene_after_days"] == 7
        assert seen == [] and request_council.bylaws_version >= 0  # the kept copy: no question asked
        # Changed by hand through the ORM (as a test or the demo does): the version goes up, the copy follows.
        profile = db.session.scalar(select(ByLawProfile))
        before = db.session.get(Council, council).bylaws_version
        profile.parameters = {**profile.parameters, "reconvene_after_days": 9}
        db.session.flush()
        assert parameters_on(today)["reconvene_after_days"] == 9
        db.session.commit()
        assert db.session.get(Council, council).bylaws_version == before + 1
        assert parameters_on(today)["reconvene_after_days"] == 9


def test_a_version_rolled_back_is_never_kept(app, world):
    from konsey.core.bylaws import adopt_version, parameters_on
    from konsey.tenants.db import db
    from konsey.tenants.models import council_today
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    with app.app_context(), bound_council(council):
        tomorrow = council_today() + timedelta(days=1)
        assert parameters_on(tomorrow)["reconvene_after_days"] == 7
        adopt_version({**parameters_on(tomorrow), "reconvene_after_days": 11}, tomorrow, ["reconvene_after_days"])
        with db.session.begin_nested():  # a savepoint released inside it (a counter's first number, say)
            pass
        with db.session.begin_nested() as savepoint:
            savepoint.rollback()
        assert parameters_on(tomorrow)["reconvene_after_days"] == 11  # this transaction sees its own version
        db.session.rollback()
        db.session.remove()
        # The version number the rolled-back write took is free again: another process's write takes it. Had the
        # rolled-back by-laws been kept under it, they would be served now.
        _written_elsewhere(council, 13)
    with app.app_context(), bound_council(council):
        assert parameters_on(tomorrow)["reconvene_after_days"] == 13


def test_another_process_writing_a_version_is_seen_on_the_next_request(app, world):
    """Another process (here: a connection of its own, which this process's session never hears of) adopts a
    version and bumps the council's by-laws version, as its flush would: this process's next request reads it."""
    from konsey.core.bylaws import parameters_on
    from konsey.tenants.db import db
    from konsey.tenants.models import council_today
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    with app.app_context(), bound_council(council):
        today = council_today()
        assert parameters_on(today)["reconvene_after_days"] == 7  # kept now
        db.session.remove()
        _written_elsewhere(council, 12)
    with app.app_context(), bound_council(council):
        assert parameters_on(today)["reconvene_after_days"] == 12


def _written_elsewhere(council, days: int) -> None:
    """What another process's adoption leaves (a connection of its own, which this process's session never hears
    of): the versions' parameters changed and the council's by-laws version one up."""
    from konsey.tenants.db import db

    with db.engine.begin() as conn:
        key = council if conn.dialect.name == "postgresql" else council.hex
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT set_config('konsey.council_id', :c, true)"), {"c": str(council)})
        conn.execute(text("UPDATE bylaw_profiles SET parameters = :p WHERE council_id = :c"),
                     {"p": f'{{"reconvene_after_days": {days}}}', "c": key})
        conn.execute(text("UPDATE councils SET bylaws_version = bylaws_version + 1 WHERE id = :c"), {"c": key})
