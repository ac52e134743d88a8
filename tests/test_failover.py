"""Nothing lost when a server dies (#32), with real processes on private servers (their own ports and folders, never
the shared ones): two beats send each scheduled job once and the second takes over from a leader killed with -9,
catching up what fell due; a Redis master killed under load (Redis Sentinel promotes its replica) loses no delivery;
a PostgreSQL primary killed under load (pg_auto_failover promotes its synchronous standby) loses no acknowledged
ballot and counts none twice; a point-in-time restore (pgBackRest) gives the data of that moment with a valid audit
chain."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from test_worker import Process

from support.private_servers import REDIS_SERVER, PrivateRedis
from support.services import need_service

# One at a time, and never beside the browser tests (three PostgreSQL servers and thirty phones take both cores for
# a while): in the browser tests' group.
pytestmark = [pytest.mark.worker, pytest.mark.redis, pytest.mark.slow, pytest.mark.xdist_group("browser")]


def _until(condition, timeout: float, every: float = 0.3, step=None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if step is not None:
            step()
        if condition():
            return True
        time.sleep(every)
    return condition()


def _sent(redis_url: str) -> dict[str, int]:
    """How many messages of each task wait in the broker (no worker takes them here)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    counts: dict[str, int] = {}
    for key in client.scan_iter():
        if client.type(key) != b"list":
            continue
        for raw in client.lrange(key, 0, -1):
            task = json.loads(raw).get("headers", {}).get("task")
            if task:
                counts[task] = counts.get(task, 0) + 1
    return counts


def _beat(tmp_path, redis_url: str, name: str) -> Process:
    env = {**os.environ, "KONSEY_BROKER_URL": redis_url, "KONSEY_BEAT_LOCK_SECONDS": "10",
           "KONSEY_OUTBOX_RELAY_SECONDS": "1", "KONSEY_SECRET_KEY": "beat-test", "KONSEY_INSTANCE_PATH": str(tmp_path),
           "KONSEY_DATABASE_URL": f"sqlite:///{tmp_path / 'konsey.sqlite'}"}
    return Process([sys.executable, "-m", "celery", "-A", "konsey.worker.main", "beat", "--loglevel=INFO",
                    "-s", str(tmp_path / f"{name}-schedule")], env=env)


def test_two_beats_send_each_job_once_and_the_second_takes_over_with_what_fell_due(tmp_path):
    need_service("redis-server", REDIS_SERVER is not None, "install redis-server; failover tests skipped")
    redis = PrivateRedis()
    redis.start()
    beats = []
    try:
        leader = _beat(tmp_path, redis.url, "a")
        beats.append(leader)
        leader.wait_for(r"Acquired lock", timeout=60)
        follower = _beat(tmp_path, redis.url, "b")
        beats.append(follower)
        follower.wait_for(r"beat: Starting", timeout=60)
        from redbeat import RedBeatSchedulerEntry

        from konsey.app import create_app

        app = create_app({"TESTING": True, "SECRET_KEY": "beat-test", "KONSEY_BROKER_URL": redis.url},
                         instance_path=tmp_path)
        celery = app.extensions["celery"]

        def a_day_passes_for_the_reminders():
            key = f"{celery.conf.redbeat_key_prefix}meeting-reminders"
            RedBeatSchedulerEntry.from_key(key, app=celery).reschedule(
                last_run_at=datetime.now(UTC) - timedelta(hours=25))

        a_day_passes_for_the_reminders()
        assert _until(lambda: _sent(redis.url).get("konsey.meeting_reminders") == 1, 20)
        before, started = _sent(redis.url).get("konsey.relay_outbox", 0), time.monotonic()
        time.sleep(6)
        counts = _sent(redis.url)
        # The daily job once, though two beats run; the relay (every second) once a second, not twice.
        assert counts.get("konsey.meeting_reminders") == 1, counts
        assert counts["konsey.relay_outbox"] - before <= time.monotonic() - started + 2, counts
        assert not any("Acquired lock" in line for line in follower.lines)  # it waits for the lock

        # The leader dies as a machine would; the reminders fall due again before the follower takes over.
        os.killpg(leader.popen.pid, signal.SIGKILL)
        leader.popen.wait()
        a_day_passes_for_the_reminders()
        follower.wait_for(r"Acquired lock", timeout=60)
        assert _until(lambda: _sent(redis.url).get("konsey.meeting_reminders") == 2, 40)
        relayed = _sent(redis.url).get("konsey.relay_outbox", 0)
        time.sleep(4)
        counts = _sent(redis.url)
        assert counts["konsey.meeting_reminders"] == 2  # caught up once
        assert counts["konsey.relay_outbox"] > relayed  # and the follower goes on sending the rest
    finally:
        for beat in beats:
            beat.stop()
        redis.stop()


# --- Redis under Sentinel -------------------------------------------------------------------------------------------


def test_a_redis_master_killed_under_load_loses_no_delivery(tmp_path, smtp_server):
    from test_worker_faults import _council, _motions, _platform, _relay

    from conftest import WebhookReceiver, adopted_motion
    from support.private_servers import REDIS_SENTINEL, PrivateSentinelRedis

    need_service("redis-sentinel", REDIS_SENTINEL is not None, "install redis-sentinel; failover tests skipped")
    sentinel = PrivateSentinelRedis()
    pieces = _platform(tmp_path, smtp_server, redis=sentinel)
    receiver = WebhookReceiver(delay=0.1)
    try:
        platform = next(pieces)
        council_id, member, secret = _council(platform, "webhook", receiver.url)
        receiver.secret = secret

        def relay_through_the_failover():
            with contextlib.suppress(Exception):  # the master is gone for a moment: the next pass publishes
                _relay(platform)

        for index in range(10):
            adopted_motion(platform["app"], platform["world"], council_id, title=f"Önerge {index}", member_id=member)
        platform["start_worker"]()
        assert _until(lambda: len(receiver.received) >= 3, 60, step=relay_through_the_failover)
        first_master = sentinel.master_port()
        sentinel.kill_master()
        killed = time.monotonic()
        for index in range(10, 20):  # the council goes on while the sentinel promotes the replica
            adopted_motion(platform["app"], platform["world"], council_id, title=f"Önerge {index}", member_id=member)
        assert _until(lambda: sentinel.master_port() not in (None, first_master), 30)
        promoted = time.monotonic() - killed
        assert _until(lambda: set(_motions(platform, council_id).values()) == {"delivered"}, 120,
                      step=relay_through_the_failover), _motions(platform, council_id)
        # One package per motion, each once (the receiver keeps each webhook-id once, as a municipality would).
        packages = [p["data"]["motion_id"] for p in receiver.received.values() if p["type"] == "motion.package"]
        motions = len(_motions(platform, council_id))
        assert len(packages) == motions and len(set(packages)) == motions and receiver.rejected == 0, (
            len(packages), len(set(packages)), motions)
        print(f"the sentinel promoted the replica {promoted:.1f} s after the kill")
    finally:
        receiver.close()
        for _ in pieces:  # the generator's own cleanup
            pass
        sentinel.stop()  # were the platform never made


# --- PostgreSQL under pg_auto_failover -----------------------------------------------------------------------------


def test_a_postgresql_primary_killed_under_load_loses_no_acknowledged_ballot(tmp_path, smtp_server):
    from test_worker_faults import _platform

    from support.clients import ApiClient
    from support.failover import assembly_with_phones, vote_through_a_failover
    from support.private_servers import PrivateFormation

    need_service("pg_auto_failover (pg_autoctl)", PrivateFormation.available(),
                 "install postgresql-15-auto-failover; the failover tests skipped")
    formation = PrivateFormation()
    try:
        formation.start()
        database = {"app": formation.url("konsey_app"), "migration": formation.url("postgres"),
                    "reader": formation.url("konsey_reader")}
        pieces = _platform(tmp_path, smtp_server, database)
        try:
            platform = next(pieces)
            app = platform["app"]
            app.config["RATELIMIT_ENABLED"] = False
            assembly = assembly_with_phones(app, platform["world"],
                                            lambda token=None: ApiClient(app.test_client(), token), phones=30)
            _the_counts_read_the_standby(tmp_path, database, formation, members=30)
            outcome = vote_through_a_failover(app, formation, assembly)
            print(outcome)
            # Every phone was answered "recorded" (none refused, none gave up), each ballot counted once, and
            # nothing answered "recorded" was lost in the failover.
            assert outcome["refused"] == [], outcome
            assert outcome["retried"] > 0, outcome  # some ballots met the failover and were sent again
            assert outcome["recorded"] == outcome["phones"] == outcome["counted"] == outcome["distinct_seats"]
            assert outcome["promoted_after"] is not None and outcome["first_write_after_kill"] is not None
            live = assembly["admin"].get(f"{assembly['url']}/live").json["vote"]
            assert live["turnout"] == outcome["phones"]  # the desk's count, read again through the new primary
        finally:
            for _ in pieces:
                pass
    finally:
        formation.destroy()


# --- point-in-time recovery with pgBackRest ----------------------------------------------------------------------


def test_a_point_in_time_restore_gives_that_moments_data_with_a_valid_audit_chain(tmp_path, smtp_server):
    import psycopg
    from sqlalchemy import select
    from test_worker_faults import _platform

    from konsey.app import create_app
    from support.private_servers import PrivateArchivedPostgres

    need_service("pgBackRest", PrivateArchivedPostgres.available(), "install pgbackrest; the restore test skipped")
    server = PrivateArchivedPostgres()
    restored = None
    try:
        server.start()
        database = server.platform_database()
        pieces = _platform(tmp_path, smtp_server, database)
        try:
            platform = next(pieces)
            world = platform["world"]
            server.backrest("stanza-create")
            server.backrest("--type=full", "backup")
            council = world.council("izmir")
            kept = world.member(council, name="Ayşe Önce")
            with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as connection:
                connection.execute("SELECT pg_create_restore_point('before-the-mistake')")
            world.member(council, name="Mehmet Sonra")  # after the moment: not in the restored data
            with psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True) as connection:
                # The moment's WAL segment closed and in the repository before the server dies.
                segment = connection.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
                assert _until(lambda: (connection.execute("SELECT last_archived_wal FROM pg_stat_archiver")
                                       .fetchone()[0] or "") >= segment, 30), "the WAL was not archived"
            before = platform["app"].test_cli_runner().invoke(args=["audit", "verify", "izmir"])
            assert before.exit_code == 0, before.output
        finally:
            for _ in pieces:
                pass
        server.stop()
        restored = server.restore_to("before-the-mistake")
        try:
            restored.start()
            # Accepting connections while it replays (a hot standby): wait until it reached the moment and promoted.
            with psycopg.connect(restored.url().replace("+psycopg", ""), autocommit=True) as connection:
                assert _until(lambda: connection.execute("SELECT pg_is_in_recovery()").fetchone()[0] is False, 60)
        except Exception:
            raise AssertionError(restored.log.read_text()[-3000:]) from None
        urls = {name: url.replace(f":{server.port}/", f":{restored.port}/") for name, url in database.items()}
        app = create_app({"TESTING": True, "SECRET_KEY": "fault-test-secret", "SQLALCHEMY_DATABASE_URI": urls["app"],
                          "KONSEY_MIGRATION_DATABASE_URL": urls["migration"], "KONSEY_READER_DATABASE_URL": urls["reader"]},
                         instance_path=tmp_path)
        from konsey.core.membership import Member
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with app.app_context(), bound_council(council):
            names = set(db.session.scalars(select(Member.name)))
            assert db.session.get(Member, kept) is not None
        assert names == {"Ayşe Önce"}, names
        verified = app.test_cli_runner().invoke(args=["audit", "verify", "izmir"])
        assert verified.exit_code == 0 and "chain intact" in verified.output, verified.output
        with app.app_context():
            db.engine.dispose()
    finally:
        if restored is not None:
            restored.destroy()
        server.destroy()


def _the_counts_read_the_standby(tmp_path, database: dict, formation, members: int) -> None:
    """The federation's and the operator's counts read as konsey_reader; that address may name the standby."""
    from sqlalchemy import func, select, text

    from konsey.app import create_app
    from konsey.core.membership import Member
    from konsey.tenants.scoping import all_councils

    standby = formation.url("konsey_reader").replace("target_session_attrs=read-write",
                                                     "target_session_attrs=prefer-standby")
    reader_app = create_app({"TESTING": True, "SECRET_KEY": "fault-test-secret",
                             "SQLALCHEMY_DATABASE_URI": database["app"],
                             "KONSEY_MIGRATION_DATABASE_URL": database["migration"],
                             "KONSEY_READER_DATABASE_URL": standby}, instance_path=tmp_path)
    with reader_app.app_context():
        deadline = time.monotonic() + 20
        with all_councils("test: the counts on the standby", audit=False) as every:
            assert every.execute(text("SELECT pg_is_in_recovery()")).scalar() is True
            while every.scalar(select(func.count(Member.id))) < members and time.monotonic() < deadline:
                every.rollback()
                time.sleep(0.2)  # a synchronous standby has applied the commits; a moment's lag is allowed
            assert every.scalar(select(func.count(Member.id))) == members
            every.rollback()


def test_the_beat_finds_its_lock_and_the_broker_through_the_sentinels(tmp_path):
    """The beat's schedule, its lock and the messages it sends go to the master the sentinels name."""
    from support.private_servers import REDIS_SENTINEL, PrivateSentinelRedis

    need_service("redis-sentinel", REDIS_SENTINEL is not None, "install redis-sentinel; failover tests skipped")
    sentinel = PrivateSentinelRedis()
    beat = None
    try:
        sentinel.start()
        env = {**os.environ, "KONSEY_BROKER_URL": sentinel.url, "KONSEY_REDIS_SENTINEL_MASTER": sentinel.MASTER,
               "KONSEY_OUTBOX_RELAY_SECONDS": "1", "KONSEY_SECRET_KEY": "beat-test",
               "KONSEY_INSTANCE_PATH": str(tmp_path), "KONSEY_DATABASE_URL": f"sqlite:///{tmp_path / 'konsey.sqlite'}"}
        beat = Process([sys.executable, "-m", "celery", "-A", "konsey.worker.main", "beat", "--loglevel=INFO",
                        "-s", str(tmp_path / "schedule")], env=env)
        beat.wait_for(r"Acquired lock", timeout=60)
        master = f"redis://127.0.0.1:{sentinel.master_port()}/0"
        assert _until(lambda: _sent(master).get("konsey.relay_outbox", 0) >= 2, 30), _sent(master)
        import redis

        keys = {key.decode() for key in redis.Redis.from_url(master).scan_iter("*redbeat*")}
        assert any(key.endswith("::lock") for key in keys), keys  # the lock lives on the master

        # The master dies: the beat loses its connection and exits; systemd starts it again (Restart=always in
        # deploy/konsey-beat.service), and it finds the promoted replica through the sentinels, lock and all.
        first = sentinel.master_port()
        sentinel.kill_master()
        assert _until(lambda: sentinel.master_port() not in (None, first), 30)
        _until(lambda: beat.popen.poll() is not None, 20)  # it exits (it might also ride it out: then it goes on)
        if beat.popen.poll() is not None:
            beat = Process([sys.executable, "-m", "celery", "-A", "konsey.worker.main", "beat", "--loglevel=INFO",
                            "-s", str(tmp_path / "schedule")], env=env)
            beat.wait_for(r"Acquired lock", timeout=90)
        promoted = f"redis://127.0.0.1:{sentinel.master_port()}/0"
        before = _sent(promoted).get("konsey.relay_outbox", 0)
        assert _until(lambda: _sent(promoted).get("konsey.relay_outbox", 0) >= before + 2, 60), _sent(promoted)
    finally:
        if beat is not None:
            beat.stop()
        sentinel.stop()


@pytest.mark.real_clock  # the live service checks the stream key against its own clock
def test_the_live_service_follows_the_redis_master_the_sentinels_name(app, tmp_path, world, api):
    """A screen following a meeting through the live service keeps getting its states across a Redis failover:
    the publisher and the service's subscription both ask the sentinels for the master."""
    import subprocess

    from test_hybrid_meeting import _Screen

    from konsey.core.live import stream_key
    from support.apps import LIVE_KEY_PREFIX
    from support.clients import ApiClient
    from support.private_servers import REDIS_SENTINEL, PrivateSentinelRedis
    from support.services import free_port

    need_service("redis-sentinel", REDIS_SENTINEL is not None, "install redis-sentinel; failover tests skipped")
    sentinel = PrivateSentinelRedis()
    service, screen = None, None
    try:
        sentinel.start()
        port = free_port()
        env = {**os.environ, "KONSEY_SECRET_KEY": "test-secret", "KONSEY_LIVE_REDIS_URL": sentinel.url,
               "KONSEY_REDIS_SENTINEL_MASTER": sentinel.MASTER, "KONSEY_INSTANCE_PATH": str(tmp_path),
               "KONSEY_LIVE_COALESCE_SECONDS": "0.2", "KONSEY_LIVE_KEY_PREFIX": LIVE_KEY_PREFIX}
        service = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "konsey"), "live", "--port",
                                    str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        assert _until(lambda: _answers(f"{base}/health"), 60)
        council = world.council("izmir")
        admin = ApiClient(app.test_client(), world.token(world.user("gs@izmir.example.org",
                                                                    roles={council: "administrator"}), council))
        people = [str(world.member(council, name=name)) for name in ("Ayşe Kaya", "Zeynep Ak", "Can Demir")]
        board = next(b for b in admin.get("/api/v1/councils/izmir/bodies").json if b["kind"] == "executive_board")
        for member in people:
            admin.post(f"/api/v1/councils/izmir/bodies/{board['id']}/seats",
                       json={"member_id": member, "role": "principal", "starts_on": "2026-01-01"})
        meeting = admin.post("/api/v1/councils/izmir/meetings", json={
            "body_id": board["id"], "title": "Canlı", "agenda": ["Bütçe"],
            "scheduled_at": (datetime.now(UTC) + timedelta(days=3)).isoformat()}).json
        admin.start_meeting(meeting["id"])
        url = f"/api/v1/councils/izmir/meetings/{meeting['id']}"
        app.config.update(KONSEY_LIVE_REDIS_URL=sentinel.url, KONSEY_REDIS_SENTINEL_MASTER=sentinel.MASTER)
        with app.test_request_context():
            key = stream_key(uuid.UUID(meeting["id"]))
        admin.post(f"{url}/attendance", json={"member_id": people[0]})
        screen = _Screen(f"{base}/live/meetings/{key}")
        assert screen.next_state()["quorum"]["present"] == 1
        first = sentinel.master_port()
        sentinel.kill_master()
        assert _until(lambda: sentinel.master_port() not in (None, first), 30)
        admin.post(f"{url}/attendance", json={"member_id": people[1]})
        # The service's subscription finds the new master within a second or two (it retries every second); a
        # state published before that is not heard: publish changes (the stream link) until one arrives.
        screen.connection.sock.settimeout(120)
        heard: list[dict] = []
        reader = threading.Thread(target=lambda: heard.append(screen.next_state()), daemon=True)
        reader.start()
        for index in range(60):
            if heard:
                break
            admin.put(f"{url}/stream", json={"stream_url": f"https://video.example.org/{index}"})
            reader.join(timeout=1.5)
        assert heard and heard[0]["quorum"]["present"] == 2, heard
    finally:
        app.config["KONSEY_LIVE_REDIS_URL"] = None
        if screen is not None:
            screen.close()
        if service is not None:
            service.terminate()
            service.wait(timeout=20)
        sentinel.stop()


def _answers(url: str) -> bool:
    import urllib.request

    try:
        urllib.request.urlopen(url, timeout=1).read()
        return True
    except OSError:
        return False
