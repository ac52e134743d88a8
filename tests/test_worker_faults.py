"""Nothing is lost: real Celery worker processes on a Redis server of the test's own (so it can be stopped),
a webhook receiver and an SMTP server on loopback. Redis stopped while motions are adopted, a worker killed
with -9 in the middle of a batch, a mail server refusing for a while, an endpoint that is gone: after
recovery every motion is delivered exactly once in effect."""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid

import pytest
from sqlalchemy import select
from test_worker import Process

from conftest import WebhookReceiver, World, adopted_motion, free_port, need_service
from support.private_servers import REDIS_SERVER, PrivatePostgres, PrivateRedis

pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.xdist_group("worker")]

def _platform(tmp_path, smtp_server, database: dict | None = None, redis=None):
    """The platform on a private Redis (or the ``redis`` given: one under Sentinel) and SQLite (or the ``database``
    URLs given), with a way to start real workers against it; yields the pieces and stops what it started."""
    need_service("redis-server", REDIS_SERVER is not None, "install redis-server; fault tests skipped")
    from flask_migrate import upgrade

    from konsey.app import create_app

    if redis is None:
        redis = PrivateRedis()
    redis.start()
    try:  # a failure before the platform is up stops the Redis just started
        sqlite = f"sqlite:///{tmp_path / 'konsey.sqlite'}"
        database = database or {"app": sqlite, "migration": sqlite, "reader": None}
        settings = {
            "KONSEY_DATABASE_URL": database["app"], "KONSEY_MIGRATION_DATABASE_URL": database["migration"],
            **({"KONSEY_READER_DATABASE_URL": database["reader"]} if database["reader"] else {}),
            "KONSEY_BROKER_URL": redis.url, "KONSEY_MAIL_BACKEND": "smtp", "KONSEY_SMTP_HOST": "127.0.0.1",
            "KONSEY_SMTP_PORT": str(smtp_server.port), "KONSEY_BASE_URL": "http://konsey.test",
            "KONSEY_SECRET_KEY": "fault-test-secret", "KONSEY_INSTANCE_PATH": str(tmp_path),
            "KONSEY_RETRY_BASE_SECONDS": "0.2", "KONSEY_OUTBOX_REDELIVER_AFTER": "3", "KONSEY_OUTBOX_LEASE_SECONDS": "3",
            "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1", "KONSEY_REDIS_SENTINEL_MASTER": "konsey",
        }
        app = create_app({"SQLALCHEMY_DATABASE_URI": database["app"], "KONSEY_MIGRATION_DATABASE_URL": database["migration"],
                          "KONSEY_READER_DATABASE_URL": database["reader"],
                          "KONSEY_BROKER_URL": redis.url, "KONSEY_TASKS_EAGER": False, "KONSEY_MAIL_BACKEND": "smtp",
                          "KONSEY_SMTP_HOST": "127.0.0.1", "KONSEY_SMTP_PORT": smtp_server.port,
                          "KONSEY_BASE_URL": "http://konsey.test", "TESTING": True, "SECRET_KEY": "fault-test-secret",
                          "KONSEY_RETRY_BASE_SECONDS": 0.2, "KONSEY_OUTBOX_REDELIVER_AFTER": 3,
                          "KONSEY_PASSWORD_HASHING": "cheapest", "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"},
                         instance_path=tmp_path)
        with app.app_context():
            upgrade(revision="heads")
    except BaseException:
        redis.stop()
        raise
    app.konsey_backend = "sqlite" if database["app"].startswith("sqlite") else "postgresql"
    workers: list[Process] = []

    def start_worker(**extra) -> Process:
        worker = Process([sys.executable, "-m", "celery", "-A", "konsey.worker.main", "worker", "--pool=solo",
                          "--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat",
                          f"--hostname=w{uuid.uuid4().hex[:6]}@%h", "--loglevel=INFO"],
                         env={**os.environ, **settings, **extra})
        worker.wait_for(r"ready\.", timeout=60)
        workers.append(worker)
        return worker

    try:
        yield {"app": app, "redis": redis, "start_worker": start_worker, "world": World(app)}
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()
        with app.app_context():
            from konsey.tenants.db import db

            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def platform(tmp_path, smtp_server):
    yield from _platform(tmp_path, smtp_server)


@pytest.fixture
def pg_platform(tmp_path, smtp_server):
    """The same on a PostgreSQL cluster of the test's own, which the test may stop as a crash would."""
    need_service("a private PostgreSQL (initdb, pg_ctl)", PrivatePostgres.available(),
                 "install postgresql; the database-outage test skipped")
    server = PrivatePostgres()
    try:
        server.start()
        database = server.platform_database()
        for pieces in _platform(tmp_path, smtp_server, database):
            pieces["postgres"] = server
            yield pieces
    finally:
        server.destroy()


def _council(platform, route: str, address: str):
    from konsey.core import delivery
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    world = platform["world"]
    council_id = world.council("izmir")
    with platform["app"].app_context(), bound_council(council_id):
        secret = delivery.set_route(route, address).secret
        db.session.commit()
    member = world.member(council_id, name="Ayşe Kaya")
    world.body_with_seat(council_id, member)
    return council_id, member, secret


def _motions(platform, council_id) -> dict:
    from konsey.core.motions import Motion
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with platform["app"].app_context(), bound_council(council_id):
        return {m.id: m.status.value for m in db.session.scalars(select(Motion))}


def _relay(platform) -> int:
    from konsey.worker.relay import relay

    with platform["app"].app_context():
        return relay()


def _until(condition, timeout: float, every: float = 0.3, step=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if step:
            step()
        if condition():
            return True
        time.sleep(every)
    return False


def test_redis_down_while_motions_are_adopted_loses_nothing(platform):
    receiver = WebhookReceiver()
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        platform["redis"].stop()
        for title in ("Bisiklet yolu", "Park", "Kütüphane"):
            adopted_motion(platform["app"], platform["world"], council_id, title=title, member_id=member)
        assert _relay(platform) == 0  # the broker is down: every event stays pending, nothing is lost
        motions = _motions(platform, council_id)
        assert len(motions) == 6 and set(motions.values()) == {"adopted"}

        platform["redis"].start()
        platform["start_worker"]()
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"delivered"}, 60,
                      step=lambda: _relay(platform)), _motions(platform, council_id)
        assert len(receiver.received) == 6 and receiver.rejected == 0
    finally:
        receiver.close()


def test_a_worker_killed_mid_batch_delivers_every_motion_once(platform):
    receiver = WebhookReceiver(delay=0.4, hold_after=2)
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        for index in range(5):
            adopted_motion(platform["app"], platform["world"], council_id, title=f"Önerge {index}", member_id=member)
        # Every event is published before the worker starts: the worker holds the embedded database's write lock
        # while a delivery waits on the receiver, and the relay must not be waiting for it then.
        assert _relay(platform) >= 5
        worker = platform["start_worker"]()
        assert _until(lambda: receiver.requests >= 2, 30)
        os.killpg(worker.popen.pid, signal.SIGKILL)  # in the middle of the batch, a message unacknowledged
        worker.popen.wait()
        delivered_before = len(receiver.received)
        assert delivered_before < 10
        receiver.released.set()  # the next worker's deliveries are answered at once

        platform["start_worker"]()
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"delivered"}, 90, every=1,
                      step=lambda: _relay(platform)), _motions(platform, council_id)
        motions = _motions(platform, council_id)
        assert len(motions) == 10
        assert set(receiver.received) == {f"msg_{motion_id.hex}" for motion_id in motions}  # each once in effect
    finally:
        receiver.close()


def test_a_mail_server_that_refuses_for_a_while(platform, tmp_path):
    """The registry desk's mail server answers 451 three times, then accepts: each motion arrives once."""
    from aiosmtpd.controller import Controller

    class Moody:
        def __init__(self):
            self.refusals, self.accepted = 3, []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's naming
            if self.refusals > 0:
                self.refusals -= 1
                return "451 4.3.0 try again later"
            self.accepted.append(envelope.content)
            return "250 OK"

    handler = Moody()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        council_id, member, _secret = _council(platform, "email", "evrak@izmir.bel.tr")
        adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
        platform["start_worker"](KONSEY_SMTP_PORT=str(port))
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"sent"}, 60,
                      step=lambda: _relay(platform)), _motions(platform, council_id)
        motion_mails = [m for m in handler.accepted if b"application/zip" in m]
        assert len(motion_mails) == 2 and handler.refusals == 0
        ids = {line for m in motion_mails for line in m.split(b"\r\n") if line.lower().startswith(b"message-id")}
        assert len(ids) == 2  # one message per motion, however many attempts it took
    finally:
        controller.stop()


def test_an_endpoint_that_is_gone_lands_in_the_dead_letters_and_is_retried(platform):
    from konsey.core import delivery
    from konsey.core.outbox import DeadLetter
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    receiver = WebhookReceiver()
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        receiver.answers = [(410, {})] * 20
        adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
        platform["start_worker"]()

        def letters():
            with platform["app"].app_context(), bound_council(council_id):
                return db.session.scalars(select(DeadLetter)).all()

        assert _until(lambda: len(letters()) >= 1, 60, step=lambda: _relay(platform))
        assert "410" in letters()[0].error or "Gone" in letters()[0].error
        # The dead event is never published again: after three redelivery times still one letter per event
        # (20 events for a gone endpoint once made 259 letters).
        _until(lambda: False, 9, step=lambda: _relay(platform))
        dead = [event for event in _events(platform, council_id) if event.dead_at is not None]
        assert len(letters()) == len(dead) >= 1
        assert {letter.event_id for letter in letters()} == {event.id for event in dead}
        assert all(event.publish_count == 1 for event in dead), [event.publish_count for event in dead]
        # Someone fixes the endpoint, then sends the task again from the command line.
        receiver.answers = []
        with platform["app"].app_context(), bound_council(council_id):
            delivery.set_route("webhook", receiver.url)
            db.session.commit()
        runner = platform["app"].test_cli_runner()
        listed = runner.invoke(args=["deadletters", "list", "izmir"])
        assert "waiting" in listed.output
        for letter in letters():
            assert runner.invoke(args=["deadletters", "retry", "izmir", str(letter.id)]).exit_code == 0
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"delivered"}, 60,
                      step=lambda: _relay(platform)), _motions(platform, council_id)
        assert len(receiver.received) == 2
    finally:
        receiver.close()



def _events(platform, council_id) -> list:
    from konsey.core.outbox import OutboxEvent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with platform["app"].app_context(), bound_council(council_id):
        events = db.session.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at)).all()
        db.session.expunge_all()
        return events


def _queued(platform) -> int:
    import redis

    return redis.Redis.from_url(platform["redis"].url).llen("celery")


def test_a_backlog_is_not_answered_with_copies_of_itself(platform):
    """No worker takes the messages: the relay publishes each event again only after its lease, and the lease
    doubles at each copy (the queue reached 8,148 messages when every pass republished what was waiting)."""
    from datetime import timedelta

    from konsey.tenants.db import utcnow
    from konsey.worker.relay import relay

    council_id, member, _secret = _council(platform, "email", "evrak@izmir.bel.tr")
    adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
    start = utcnow()
    with platform["app"].app_context():
        for step in range(10):  # ten passes, 4 s apart, with a 3 s redelivery time
            relay(now=start + timedelta(seconds=4 * step))
    events = _events(platform, council_id)
    assert events and all(1 <= event.publish_count <= 4 for event in events), \
        [event.publish_count for event in events]
    assert _queued(platform) == sum(event.publish_count for event in events) <= 4 * len(events)


def test_a_relay_pass_publishes_a_bounded_batch(platform):
    from konsey.worker.relay import relay

    council_id, member, _secret = _council(platform, "email", "evrak@izmir.bel.tr")
    adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
    waiting = len(_events(platform, council_id))
    assert waiting >= 3
    with platform["app"].app_context():
        platform["app"].config["KONSEY_OUTBOX_RELAY_BATCH"] = 2
        assert relay() == 2  # the oldest two; the rest go in the next pass
        assert relay() == min(2, waiting - 2)
    assert _queued(platform) == min(4, waiting)


def test_a_retry_that_waits_keeps_its_event(platform):
    """The receiver asks for 30 s: while that wait runs the relay sends no copy (it did every few seconds)."""
    # Leases of 8 s, not this fixture's 3: on a loaded machine building and sending one package can take longer
    # than 3 s, and a lease that runs out mid-work is redelivered by design — not the case under test.
    platform["app"].config["KONSEY_OUTBOX_REDELIVER_AFTER"] = 8
    receiver = WebhookReceiver()
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        receiver.answers = [(503, {"Retry-After": "30"})] * 6
        adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
        platform["start_worker"](KONSEY_OUTBOX_LEASE_SECONDS="8", KONSEY_OUTBOX_REDELIVER_AFTER="8")
        motions = len(_motions(platform, council_id))
        assert _until(lambda: receiver.requests >= motions, 60, step=lambda: _relay(platform))
        _until(lambda: False, 18, step=lambda: _relay(platform))  # two redelivery times and more
        assert receiver.requests == motions, "a copy of a waiting event was delivered"
        held = [event for event in _events(platform, council_id) if event.kind == "motion.adopted"]
        assert held and all(event.dead_at is None and event.completed_at is None for event in held)
        assert max(event.publish_count for event in held) == 1
    finally:
        receiver.close()


def test_a_stale_copy_is_dropped_while_the_lease_holds(platform):
    """Two messages for one event: the one whose token holds the lease works, the other does nothing."""
    from konsey.core import outbox
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    council_id, member, _secret = _council(platform, "email", "evrak@izmir.bel.tr")
    adopted_motion(platform["app"], platform["world"], council_id, member_id=member)
    event = _events(platform, council_id)[0]
    with platform["app"].app_context(), bound_council(council_id), acting_as(SYSTEM):
        from datetime import timedelta

        outbox.published(db.session.get(outbox.OutboxEvent, event.id), "holder", timedelta(seconds=60))
        db.session.commit()
        assert system.handle_event(event.id, "stale-copy") is False
        assert db.session.get(outbox.OutboxEvent, event.id).completed_at is None
        assert system.handle_event(event.id, "holder") is True
        stored = db.session.get(outbox.OutboxEvent, event.id)
        assert stored.completed_at is not None and stored.attempts == 1
        assert system.handle_event(event.id, "holder") is False  # done: a redelivery has no second effect


def test_a_database_outage_does_not_stop_the_worker(pg_platform):
    """PostgreSQL stops (as a crash would) while the worker delivers: the worker retries instead of dying
    (it exited with ``Unrecoverable error: PendingRollbackError``), and once the database is back the same
    process delivers every motion, none to the dead letters."""
    from konsey.core.outbox import DeadLetter
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    platform = pg_platform
    receiver = WebhookReceiver(delay=0.3)
    try:
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret
        for index in range(4):
            adopted_motion(platform["app"], platform["world"], council_id, title=f"Önerge {index}", member_id=member)
        motions = len(_motions(platform, council_id))
        assert _relay(platform) >= motions
        with platform["app"].app_context():
            db.engine.dispose()  # the test's own connections go too; the pool makes new ones after the restart
        worker = platform["start_worker"]()
        assert _until(lambda: receiver.requests >= 1, 30)
        platform["postgres"].stop()
        time.sleep(4)  # the worker meets the outage: its connection is cut, reconnecting is refused
        assert worker.popen.poll() is None, "".join(worker.lines[-40:])
        platform["postgres"].start()

        # No relay pass after the outage: the worker's own retries must carry the events through it (the relay
        # would republish them once their leases ran out, and hide a worker that gives up).
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"delivered"}, 120, every=1), \
            _motions(platform, council_id)
        assert worker.popen.poll() is None, "".join(worker.lines[-40:])  # the same worker went on by itself
        assert not any("Unrecoverable error" in line for line in worker.lines)
        assert len(receiver.received) == motions
        with platform["app"].app_context(), bound_council(council_id):
            assert db.session.scalars(select(DeadLetter)).all() == []
    finally:
        receiver.close()


def test_an_sms_the_provider_refuses_for_good_waits_in_the_dead_letters_and_goes_once_fixed(platform):
    """#31: a provider's answer no retry can change (a wrong password) sends the SMS to the dead letters at once, not
    through days of retries; fixed and sent again, it goes once."""
    from konsey.core import passes, sms
    from konsey.core.meetings import Meeting
    from konsey.core.outbox import DeadLetter
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.sms_provider import SmsProvider

    provider = SmsProvider()
    try:
        world, app = platform["world"], platform["app"]
        council_id = world.council("izmir")
        member = world.member(council_id, name="Telefonlu Üye", phone="0532 123 45 67")
        world.body_with_seat(council_id, member)
        meeting_id = world.meeting_with_vote(council_id, member)["meeting_a"]
        with app.test_request_context(), bound_council(council_id):
            sms.configure("netgsm", "KENTKONSEYI", {"username": "8503001122", "password": "yanlis"})
            assert passes.send_links(db.session.get(Meeting, meeting_id)) == 1
            db.session.commit()
        platform["start_worker"](KONSEY_NETGSM_URL=provider.url)

        def letters():
            with app.app_context(), bound_council(council_id):
                return db.session.scalars(select(DeadLetter)).all()

        def messages():
            with app.app_context(), bound_council(council_id):
                found = db.session.scalars(select(sms.SmsMessage)).all()
                db.session.expunge_all()
                return found

        assert _until(lambda: len(letters()) == 1, 60, step=lambda: _relay(platform))
        (message,) = messages()
        assert (message.status.value, message.error_code, message.attempts) == ("failed", "30", 1)
        assert "30" in letters()[0].error and provider.received == []
        with app.app_context(), bound_council(council_id):
            sms.configure("netgsm", "KENTKONSEYI", {"username": "8503001122", "password": "dogru-parola"})
            db.session.commit()
        retried = app.test_cli_runner().invoke(args=["deadletters", "retry", "izmir", str(letters()[0].id)])
        assert retried.exit_code == 0, retried.output
        assert _until(lambda: len(provider.received) == 1, 60, step=lambda: _relay(platform))
        _until(lambda: False, 3, step=lambda: _relay(platform))  # time for a copy, were there one
        assert len(provider.received) == 1 and provider.received[0]["number"] == "905321234567"
        (message,) = messages()
        assert (message.status.value, message.attempts, message.text_sealed) == ("sent", 2, None)
    finally:
        provider.stop()
