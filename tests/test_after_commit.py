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
