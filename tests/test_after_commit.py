"""Work queued during a transaction leaves only if the transaction commits."""

from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.tenants.db import db
from konsey.worker.tasks import send_email


def test_rollback_drops_queued_work_even_before_any_statement(sqlite_app, mailbox):
    with sqlite_app.app_context():
        enqueue_after_commit(send_email, to="never@example.org", subject="x", body="rolled back")
        db.session.rollback()
        enqueue_after_commit(send_email, to="kept@example.org", subject="y", body="committed")
        db.session.commit()
    assert [m["To"] for m in mailbox.wait_for(1)] == ["kept@example.org"]


def test_rollback_after_writes_drops_queued_work(sqlite_app, mailbox):
    from konsey.core.accounts import User

    with sqlite_app.app_context():
        db.session.add(User(email="x@example.org", display_name="X"))
        db.session.flush()
        enqueue_after_commit(send_email, to="never@example.org", subject="x", body="rolled back")
        db.session.rollback()
        db.session.commit()
    assert mailbox.wait_for(1, timeout=0.5) == []


def test_a_rolled_back_savepoint_drops_what_was_queued_inside_it(sqlite_app, mailbox):
    with sqlite_app.app_context():
        enqueue_after_commit(send_email, to="outer@example.org", subject="x", body="before the savepoint")
        savepoint = db.session.begin_nested()
        enqueue_after_commit(send_email, to="never@example.org", subject="x", body="inside, rolled back")
        inner = db.session.begin_nested()
        enqueue_after_commit(send_email, to="never-either@example.org", subject="x", body="deeper")
        inner.commit()
        savepoint.rollback()
        kept = db.session.begin_nested()
        enqueue_after_commit(send_email, to="kept@example.org", subject="y", body="a savepoint that stood")
        kept.commit()
        assert mailbox.wait_for(1, timeout=0.5) == []  # a released savepoint is not the transaction's commit
        db.session.commit()
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == ["kept@example.org", "outer@example.org"]
    assert mailbox.wait_for(3, timeout=0.5)[2:] == []


def test_a_unit_of_work_tells_its_followers_how_it_ended_and_a_failing_one_changes_nothing(sqlite_app):
    """The use cases' unit of work names no follower (the live screens register themselves): each hears of a
    commit or a rollback once per outermost unit, and one that fails after the commit leaves the work done."""
    import pytest

    from konsey.core import units_of_work
    from konsey.core.accounts import User
    from konsey.usecases.base import SYSTEM, acting_as, command

    heard = []

    def fail():
        heard.append("failed")
        raise RuntimeError("the screens' Redis is gone")

    @command(None)
    def add(email, *, then=None):
        db.session.add(User(email=email, display_name="X"))
        if then:
            then()

    @command(None)
    def add_two():
        add("inner@example.org")  # joins the outer unit: nothing heard until the outer one ends
        add("outer@example.org")

    units_of_work.follow("test", committed=lambda: heard.append("committed"),
                         rolled_back=lambda: heard.append("rolled back"))
    try:
        with sqlite_app.app_context(), acting_as(SYSTEM):
            add_two()
            assert heard == ["committed"]
            with pytest.raises(ValueError):
                add("refused@example.org", then=lambda: (_ for _ in ()).throw(ValueError("refused")))
            assert heard == ["committed", "rolled back"]
            units_of_work.follow("test", committed=fail, rolled_back=lambda: None)
            add("kept@example.org")  # no exception reaches the caller
            assert heard[-1] == "failed"
            stored = set(db.session.scalars(db.select(User.email).where(User.email.like("%@example.org"))))
            assert {"inner@example.org", "outer@example.org", "kept@example.org"} <= stored
            assert "refused@example.org" not in stored
    finally:
        units_of_work._followers.pop("test", None)
