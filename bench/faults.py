#!/usr/bin/env python3
"""Nothing lost, nothing stuck: 1,000 motion deliveries through worker kills, a Redis restart and a database outage.

    .venv-test/bin/python bench/faults.py [motions]        # default 1000; bounded to ten minutes (about six on 2 cores)

Everything real and private to the run: a PostgreSQL cluster of its own (initdb; the app as ``konsey_app`` under
RLS), a Redis server of its own (it keeps nothing, so a restart loses every queued message), two Celery worker
processes, the outbox relay looping as beat would, and a webhook receiver on loopback that verifies each
signature and counts every request. While the motions are delivered:

* every 8 s one worker is killed with ``kill -9`` (a message unacknowledged) and started again (5 kills);
* Redis is killed and started empty once;
* PostgreSQL is stopped as a crash would (``pg_ctl -m immediate``) for 6 s once.

Prints delivered, lost (never reached the receiver), stuck (neither done nor dead when the run ends), dead
letters, raw duplicates (requests the receiver had seen before by ``webhook-id``: expected, at-least-once) and how
often events were published; the last line is ``ratio: <delivered ÷ motions>`` (1.0 means none lost).
"""

from __future__ import annotations

import os
import signal
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

SETTINGS = {"KONSEY_RETRY_BASE_SECONDS": "0.5", "KONSEY_OUTBOX_REDELIVER_AFTER": "10",
            "KONSEY_OUTBOX_LEASE_SECONDS": "20", "KONSEY_OUTBOX_RELAY_BATCH": "200",
            "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}


def main(motions: int) -> int:
    from delivery import adopt_many, start_worker
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, func, select, text

    from konsey.app import create_app
    from konsey.core import delivery
    from konsey.core.motions import Motion, MotionStatus
    from konsey.core.outbox import DeadLetter, OutboxEvent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.worker.relay import relay
    from support.clients import WebhookReceiver
    from support.private_servers import PrivatePostgres, PrivateRedis
    from support.world import World

    postgres, redis, receiver, workers = PrivatePostgres(), PrivateRedis(), WebhookReceiver(), []
    instance = postgres.root / "instance"
    stop_relay = threading.Event()
    try:
        postgres.start()
        redis.start()
        admin = create_engine(postgres.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE konsey"))
        admin.dispose()
        app_url, owner_url = postgres.url("konsey_app", "konsey"), postgres.url("postgres", "konsey")
        reader_url = postgres.url("konsey_reader", "konsey")
        env = {**os.environ, **SETTINGS, "KONSEY_DATABASE_URL": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
               "KONSEY_READER_DATABASE_URL": reader_url, "KONSEY_BROKER_URL": redis.url,
               "KONSEY_SECRET_KEY": "bench", "KONSEY_BASE_URL": "http://konsey.bench",
               "KONSEY_INSTANCE_PATH": str(instance), "KONSEY_MAIL_BACKEND": "file"}
        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
                          "KONSEY_READER_DATABASE_URL": reader_url, "KONSEY_BROKER_URL": redis.url,
                          "KONSEY_TASKS_EAGER": False, "SECRET_KEY": "bench", "KONSEY_BASE_URL": "http://konsey.bench",
                          "KONSEY_PASSWORD_HASHING": "cheapest", "KONSEY_MAIL_BACKEND": "file",
                          "KONSEY_OUTBOX_REDELIVER_AFTER": float(SETTINGS["KONSEY_OUTBOX_REDELIVER_AFTER"]),
                          "KONSEY_OUTBOX_RELAY_BATCH": int(SETTINGS["KONSEY_OUTBOX_RELAY_BATCH"]),
                          "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}, instance_path=instance)
        with app.app_context():
            upgrade(revision="heads")
        world = World(app)
        council_id = world.council("izmir", name="İzmir Kent Konseyi")
        member = world.member(council_id, name="Ayşe Kaya")
        world.body_with_seat(council_id, member)
        with app.app_context(), bound_council(council_id):
            receiver.secret = delivery.set_route("webhook", receiver.url).secret
            db.session.commit()
        print(f"adopting {motions} motions …", flush=True)
        ids = adopt_many(app, council_id, motions)

        def relay_loop():  # beat's job: a pass every second, whatever is down
            while not stop_relay.wait(1.0):
                try:
                    with app.app_context():
                        relay()
                except Exception:  # noqa: BLE001 - the database or Redis is down: the next pass tries again
                    with app.app_context():
                        db.session.remove()

        def delivered_count() -> int | None:
            try:
                with app.app_context(), bound_council(council_id):
                    return db.session.scalar(select(func.count(Motion.id)).where(
                        Motion.id.in_(ids), Motion.status == MotionStatus.DELIVERED))
            except Exception:  # noqa: BLE001 - during the outage
                with app.app_context():
                    db.session.remove()
                return None

        workers = [start_worker(env) for _ in range(2)]
        threading.Thread(target=relay_loop, daemon=True).start()
        start = time.monotonic()
        faults = [(8 * n, "kill") for n in range(1, 6)] + [(20, "redis"), (30, "postgres")]
        faults.sort()
        log = []
        deadline = start + 600
        while time.monotonic() < deadline:
            elapsed = time.monotonic() - start
            while faults and faults[0][0] <= elapsed:
                _, fault = faults.pop(0)
                if fault == "kill":
                    victim = workers.pop(0)
                    os.killpg(victim.pid, signal.SIGKILL)
                    victim.wait()
                    workers.append(start_worker(env))
                elif fault == "redis":
                    redis.stop()
                    time.sleep(1)
                    redis.start()
                else:
                    postgres.stop()
                    time.sleep(6)
                    postgres.start()
                log.append(f"{elapsed:5.1f} s  {fault:8}  delivered so far: {len(receiver.received)}")
                print(log[-1], flush=True)
            if not faults and delivered_count() == len(ids):
                break
            time.sleep(0.5)
        took = time.monotonic() - start
        time.sleep(3)  # late duplicates still on the wire reach the receiver
        stop_relay.set()

        with app.app_context(), bound_council(council_id):
            events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "motion.adopted")).all()
            stuck = sum(1 for e in events if e.completed_at is None and e.dead_at is None)
            publications = [e.publish_count for e in events]
            letters = db.session.scalar(select(func.count(DeadLetter.id)))
            statuses = db.session.execute(select(Motion.status, func.count()).where(Motion.id.in_(ids))
                                          .group_by(Motion.status)).all()
        expected = {f"msg_{motion_id.hex}" for motion_id in ids}
        arrived = expected & set(receiver.received)
        duplicates = receiver.requests - len(receiver.received)
        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}")
        print(f"motions: {len(ids)}; faults: 5 worker kills (-9), 1 Redis restart (queue lost), "
              "1 PostgreSQL crash-stop of 6 s")
        print(f"  delivered:       {len(arrived)} in {took:.0f} s")
        print(f"  lost:            {len(expected - arrived)}")
        print(f"  stuck:           {stuck}")
        print(f"  dead letters:    {letters}")
        print(f"  raw duplicates:  {duplicates} (requests {receiver.requests}; dropped by webhook-id)")
        print(f"  rejected:        {receiver.rejected} (bad signature)")
        print(f"  publications per event: median {statistics.median(publications):.0f}, max {max(publications)}")
        print(f"  motion statuses: {', '.join(f'{s.value} {n}' for s, n in statuses)}")
        print(f"ratio: {len(arrived) / len(ids):.3f}")
        return 0 if arrived == expected and stuck == 0 else 1
    finally:
        stop_relay.set()
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        receiver.close()
        redis.stop()
        postgres.destroy()


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
