#!/usr/bin/env python3
"""How fast do motions reach the municipality, and notifications their readers, through the worker?

    .venv/bin/python bench/delivery.py [motions] [emails]      # defaults: 1000 10000

On PostgreSQL (served as the restricted konsey_app role) with Redis as the broker:

1. **Packages.** ``motions`` motions are adopted in one council. *Plain*: one process builds every package in
   a loop (cover letter and decision extract as PDFs, signed manifest, zip). *Queued*: the outbox relay
   publishes the adoption events and two real Celery worker processes build each package and deliver it to a
   webhook receiver on loopback that verifies every signature. Packages per second for both.
2. **E-mail.** ``emails`` notification e-mails to an SMTP server on loopback: through the worker (two
   processes, the ``konsey.send_email`` task) against plain ``smtplib`` in one process (one connection per
   message, as the platform sends).

Prints the figures and, last, ``ratio: <queued packages per second / plain packages per second>``.
"""

from __future__ import annotations

import os
import smtplib
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
ADMIN_URL = os.environ.get("KONSEY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("KONSEY_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")


def adopt_many(app, council_id, count: int) -> list[uuid.UUID]:
    """One working-group meeting with ``count`` agenda items, each adopted and made a motion."""
    from konsey.core import meetings, votes
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import AgendaItem, Choice, VoteKind
    from konsey.core.membership import Member
    from konsey.core.motions import adopt
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        body = db.session.scalar(select(Body).where(Body.kind == BodyKind.WORKING_GROUP))
        member = db.session.scalar(select(Member).where(Member.group_body_id.is_(None)))  # not the group's seat
        starts = datetime.now(UTC) - timedelta(minutes=1)  # held now (check-ins open shortly before the start)
        meeting = meetings.schedule(body, meetings.MeetingKind.ORDINARY, "Toplu oturum", starts, None,
                                    [f"Öneri {i}" for i in range(count)], now=starts - timedelta(days=30))
        meetings.check_in(meeting, member, online=False)
        ids = []
        for item in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                       .order_by(AgendaItem.position)):
            vote = votes.open_vote(meeting, body, item, VoteKind.OPEN)
            votes.cast(vote, meeting, body, member, Choice.YES)
            votes.close_vote(vote, meeting, body)
            ids.append(adopt(vote, item.title, f"{item.title}: kent için bir öneri. " * 8).id)
        db.session.commit()
        return ids


def start_worker(env: dict) -> subprocess.Popen:
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "celery", "-A", "konsey.worker.main", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", f"--hostname=b{uuid.uuid4().hex[:6]}@%h",
         "--loglevel=WARNING"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    return worker


def main(motions: int, emails: int) -> int:
    sys.path.insert(0, str(ROOT / "tests"))
    from flask_migrate import upgrade

    from conftest import Mailbox, WebhookReceiver, World, free_port
    from konsey.app import create_app
    from konsey.core import delivery
    from konsey.core.motion_package import build_package
    from konsey.core.motions import Motion, MotionStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.worker.relay import relay

    name = f"konsey_bench_delivery_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = admin.url.set(database=name).render_as_string(hide_password=False)
    app_url = admin.url.set(database=name, username="konsey_app", password=None).render_as_string(hide_password=False)
    reader_url = admin.url.set(database=name, username="konsey_reader", password=None).render_as_string(
        hide_password=False)
    instance = Path(tempfile.mkdtemp(prefix="konsey-bench-delivery-"))
    prefix = f"konsey-bench-{uuid.uuid4().hex[:8]}:"

    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            mailbox.add(envelope.content)
            return "250 OK"

    smtp_port = free_port()
    smtp = Controller(Handler(), hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    receiver = WebhookReceiver()
    settings = {"KONSEY_DATABASE_URL": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
                "KONSEY_READER_DATABASE_URL": reader_url,
                "KONSEY_BROKER_URL": REDIS_URL, "KONSEY_BROKER_KEY_PREFIX": prefix, "KONSEY_MAIL_BACKEND": "smtp",
                "KONSEY_SMTP_HOST": "127.0.0.1", "KONSEY_SMTP_PORT": str(smtp_port), "KONSEY_SECRET_KEY": "bench",
                "KONSEY_BASE_URL": "http://konsey.bench", "KONSEY_INSTANCE_PATH": str(instance),
                "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"}
    workers = []
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
                          "KONSEY_READER_DATABASE_URL": reader_url,
                          "KONSEY_BROKER_URL": REDIS_URL, "KONSEY_BROKER_KEY_PREFIX": prefix,
                          "KONSEY_TASKS_EAGER": False, "KONSEY_MAIL_BACKEND": "smtp", "KONSEY_SMTP_HOST": "127.0.0.1",
                          "KONSEY_SMTP_PORT": smtp_port, "SECRET_KEY": "bench", "KONSEY_BASE_URL": "http://konsey.bench",
                          "KONSEY_PASSWORD_HASHING": "cheapest", "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1"},
                         instance_path=instance)
        with app.app_context():
            upgrade(revision="heads")
        world = World(app)
        council_id = world.council("izmir", name="İzmir Kent Konseyi")
        member = world.member(council_id, name="Ayşe Kaya")
        world.body_with_seat(council_id, member)
        with app.app_context(), bound_council(council_id):
            receiver.secret = delivery.set_route("webhook", receiver.url).secret
            db.session.commit()
        ids = adopt_many(app, council_id, motions)

        # 1a. plain: build every package in a loop, in this process
        with app.app_context(), bound_council(council_id):
            start = time.perf_counter()
            for motion_id in ids:
                build_package(db.session.get(Motion, motion_id))
            plain = time.perf_counter() - start
            db.session.rollback()

        # 1b. queued: relay the events, two workers build and deliver
        workers = [start_worker({**os.environ, **settings}) for _ in range(2)]
        time.sleep(4)  # both workers up
        start = time.perf_counter()
        with app.app_context():
            while relay():
                pass

        def delivered() -> int:
            with app.app_context(), bound_council(council_id):
                return len(db.session.scalars(select(Motion.id).where(
                    Motion.id.in_(ids), Motion.status == MotionStatus.DELIVERED)).all())

        while delivered() < len(ids):
            time.sleep(0.2)
        queued = time.perf_counter() - start
        assert receiver.rejected == 0 and len({f"msg_{i.hex}" for i in ids} & set(receiver.received)) == len(ids)

        # 2a. e-mail through the worker
        from konsey.worker.celery_app import dispatch
        from konsey.worker.tasks import send_email

        mailbox.clear()
        with app.app_context():
            start = time.perf_counter()
            for n in range(emails):
                dispatch(send_email, to=f"uye{n}@example.org", subject="Toplantı hatırlatması",
                         body="Yarın 18.00'de Genel Kurul toplantısı var.")
            published = time.perf_counter() - start
        mailbox.wait_for(emails, timeout=1800)
        mail_queued = time.perf_counter() - start
        for worker in workers:
            worker.terminate()

        # 2b. e-mail with plain smtplib, one connection per message
        mailbox.clear()
        start = time.perf_counter()
        for n in range(emails):
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "konsey@example.org", f"uye{n}@example.org", "Hatırlatma"
            message.set_content("Yarın 18.00'de Genel Kurul toplantısı var.")
            with smtplib.SMTP("127.0.0.1", smtp_port) as client:
                client.send_message(message)
        mailbox.wait_for(emails, timeout=600)
        mail_plain = time.perf_counter() - start

        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}")
        print(f"packages: {len(ids)}")
        print(f"  plain loop (one process, build only):        {len(ids) / plain:8.1f} packages/s ({plain:.1f} s)")
        print(f"  queued (relay + 2 workers, build + deliver): {len(ids) / queued:8.1f} packages/s ({queued:.1f} s)")
        print(f"e-mails: {emails}")
        print(f"  plain smtplib (one process):                 {emails / mail_plain:8.1f} messages/s")
        print(f"  through the worker (2 processes):            {emails / mail_queued:8.1f} messages/s "
              f"(publishing alone: {emails / published:.0f}/s)")
        print(f"  e-mail ratio queued/plain: {mail_plain / mail_queued:.2f}")
        print(f"ratio: {plain / queued:.2f}")
        return 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        receiver.close()
        smtp.stop()
        from konsey.tenants.db import db as database

        try:
            database.session.remove()
            for engine in database.engines.values():
                engine.dispose()
        except Exception:  # noqa: BLE001, S110 - best effort before dropping the database
            pass
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    sys.exit(main(*(args + [1000, 10000][len(args):])))
