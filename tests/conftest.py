"""Test fixtures: real SQLite and PostgreSQL databases, a loopback SMTP server, helpers for people and tokens.

Every test that takes ``app`` runs twice, on SQLite and on PostgreSQL. Each xdist worker migrates one
database per backend once; after each test every table is emptied. Without a PostgreSQL server the
PostgreSQL half is skipped with one line saying how to enable it, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "KONSEY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("KONSEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def need_service(name: str, reachable: bool, how: str) -> None:
    """Skip (locally) or fail (in CI) when a real service the test needs is not there."""
    if reachable:
        return
    message = f"{name} is not reachable: {how}"
    if IN_CI:
        pytest.fail(f"{message} (CI=true: service tests may not be skipped)")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_name() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


# --- the loopback SMTP server ------------------------------------------------------------------------


@dataclass
class Mailbox:
    messages: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = None

    def __post_init__(self):
        self.arrived = threading.Condition(self.lock)

    def add(self, raw: bytes) -> None:
        with self.arrived:
            self.messages.append(message_from_bytes(raw, policy=policy.default))
            self.arrived.notify_all()

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, count: int = 1, timeout: float = 30.0) -> list:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.messages) >= count, timeout=timeout)
            return list(self.messages)

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
            mailbox.add(envelope.original_content or envelope.content)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.clear()
    return smtp_server


# --- databases ----------------------------------------------------------------------------------------


def _postgres_reachable() -> bool:
    url = make_url(POSTGRES_ADMIN_URL)
    return port_open(url.host or "127.0.0.1", url.port or 5432)


class PostgresDatabase:
    """A database of its own for this test run and worker; dropped at the end."""

    def __init__(self):
        self.name = f"konsey_test_{os.getpid()}_{worker_name()}"
        self.admin_engine = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with self.admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}"'))
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        base = make_url(POSTGRES_ADMIN_URL)
        self.owner_url = base.set(database=self.name).render_as_string(hide_password=False)
        self.app_url = base.set(database=self.name, username="konsey_app", password=None).render_as_string(
            hide_password=False
        )

    def drop(self):
        with self.admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin_engine.dispose()


def _make_app(tmp_root: Path, backend: str, smtp_port: int, extra: dict | None = None):
    from flask_migrate import upgrade

    from konsey.app import create_app

    instance = tmp_root / f"instance-{backend}"
    pg = None
    if backend == "postgresql":
        pg = PostgresDatabase()
        database_url, migration_url = pg.app_url, pg.owner_url
    else:
        database_url = migration_url = f"sqlite:///{instance / 'konsey.sqlite'}"
        instance.mkdir(parents=True, exist_ok=True)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "KONSEY_MIGRATION_DATABASE_URL": migration_url,
        "KONSEY_TASKS_EAGER": True,
        "KONSEY_MAIL_BACKEND": "smtp",
        "KONSEY_SMTP_HOST": "127.0.0.1",
        "KONSEY_SMTP_PORT": smtp_port,
        "KONSEY_BASE_URL": "http://konsey.test",
        "WTF_CSRF_ENABLED": False,
        "KONSEY_PASSWORD_HASHING": "cheapest",
        **(extra or {}),
    }
    app = create_app(config, instance_path=instance)
    with app.app_context():
        upgrade(revision="heads")
    app.konsey_backend = backend
    app.konsey_pg = pg
    return app


def empty_all_tables(app) -> None:
    from konsey.tenants.db import db

    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if app.konsey_backend == "postgresql":
            engine = create_engine(app.konsey_pg.owner_url)
            with engine.begin() as conn:
                conn.execute(text("TRUNCATE " + ", ".join(tables) + " CASCADE"))
            engine.dispose()
        else:
            with db.engine.begin() as conn:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))


_apps: dict = {}


@pytest.fixture(scope="session")
def _app_factory(tmp_path_factory, smtp_server):
    def get(backend: str):
        if backend not in _apps:
            _apps[backend] = _make_app(tmp_path_factory.mktemp(backend), backend, smtp_server.port)
        return _apps[backend]

    yield get
    for app in _apps.values():
        with app.app_context():
            from konsey.tenants.db import db

            db.session.remove()
            db.engine.dispose()
        if app.konsey_pg is not None:
            app.konsey_pg.drop()
    _apps.clear()


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, _app_factory, smtp_server):
    if request.param == "postgresql":
        need_service(
            "PostgreSQL", _postgres_reachable(),
            f"start it or set KONSEY_TEST_POSTGRES_URL (now {POSTGRES_ADMIN_URL}); PostgreSQL tests skipped",
        )
    app = _app_factory(request.param)
    smtp_server.clear()
    yield app
    empty_all_tables(app)


@pytest.fixture
def postgres_app(_app_factory, smtp_server):
    """For what exists on PostgreSQL only (row-level security)."""
    need_service(
        "PostgreSQL", _postgres_reachable(),
        f"start it or set KONSEY_TEST_POSTGRES_URL (now {POSTGRES_ADMIN_URL}); PostgreSQL tests skipped",
    )
    app = _app_factory("postgresql")
    smtp_server.clear()
    yield app
    empty_all_tables(app)


@pytest.fixture
def sqlite_app(_app_factory, smtp_server):
    """For tests whose subject is not the database (one run is enough)."""
    app = _app_factory("sqlite")
    smtp_server.clear()
    yield app
    empty_all_tables(app)


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


# --- people, councils and tokens ------------------------------------------------------------------------


class World:
    """Builds councils, people and tokens for a test, through the same services the product uses."""

    def __init__(self, app):
        self.app = app

    def council(self, slug: str, *, status: str = "active", province: int = 35, name: str | None = None):
        from konsey.core import reference
        from konsey.core.councils import change_status, onboard_council
        from konsey.schemas.councils import OnboardingSchema
        from konsey.tenants.db import db
        from konsey.tenants.models import CouncilStatus

        with self.app.app_context():
            municipality = reference.municipalities(province)[0]
            data = OnboardingSchema().load({
                "name": name or f"{slug.title()} Kent Konseyi", "slug": slug, "province_code": province,
                "municipality_id": municipality.id, "contact_email": f"info@{slug}.example.org",
                "motion_delivery_address": f"evrak@{slug}.bel.tr", "admin_email": f"admin@{slug}.example.org",
            })
            council = onboard_council(data).council
            if status != "onboarding":
                change_status(council, CouncilStatus.ACTIVE)
                if status in ("suspended", "archived"):
                    change_status(council, CouncilStatus(status), export_acknowledged=True)
            db.session.commit()
            return council.id

    def user(self, email: str, *, roles: dict | None = None, platform_role: str | None = None,
             password: str = "correct horse battery"):
        from konsey.core.accounts import CouncilRoleName, PlatformRole, User, grant_role
        from konsey.tenants.db import db

        with self.app.app_context():
            user = User(email=email, display_name=email.split("@")[0].title(),
                        platform_role=PlatformRole(platform_role) if platform_role else None)
            user.set_password(password)
            db.session.add(user)
            for council_id, role in (roles or {}).items():
                grant_role(user, council_id, CouncilRoleName(role))
            db.session.commit()
            return user.id

    def application(self, council_id, **applicant):
        from konsey.core.applications import KVKK_NOTICE_VERSION
        from konsey.tenants.scoping import bound_council
        from konsey.usecases.applications import submit_application

        values = {"category": "individual", "name": "Başvuran Kişi", **applicant}
        with self.app.app_context(), bound_council(council_id):
            application = submit_application({"applicant": values, "notice_version": KVKK_NOTICE_VERSION,
                                              "consents": ["membership"]})
            return application.id

    def body_with_seat(self, council_id, member_id) -> dict:
        from datetime import date

        from konsey.core.bodies import BodyKind
        from konsey.core.membership import Member
        from konsey.core.seats import SeatRole, assign_seat, create_body
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            body = create_body(BodyKind.WORKING_GROUP, "Ulaşım Çalışma Grubu")
            seat = assign_seat(body, db.session.get(Member, member_id), SeatRole.FACILITATOR, date(2026, 1, 1), None)
            db.session.commit()
            body_id, seat_id = body.id, seat.id
        self.approve(council_id, body_id)
        return {"body_a": body_id, "seat_a": seat_id}

    def enable(self, council_id, plugin: str, config: dict | None = None) -> None:
        from konsey.tenants.scoping import bound_council
        from konsey.usecases.base import SYSTEM, acting_as
        from konsey.usecases.plugins import enable_plugin

        with self.app.app_context(), bound_council(council_id), acting_as(SYSTEM):
            enable_plugin(plugin, config or {})

    def child(self, council_id, *, consent: bool = True) -> dict:
        """A child of the children's assembly (the plugin enabled first), with the guardian's consent."""
        from datetime import date

        from konsey.plugins.children_assembly.models import ConsentMethod, record_consent, register_child
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            child = register_child({"name": "Ece Y.", "birth_date": date(date.today().year - 11, 3, 1),
                                    "guardian": {"name": "Selin Yıldız", "relation": "anne",
                                                 "email": "selin@example.org"}})
            if consent:
                record_consent(child, {"guardian_name": "Selin Yıldız", "relation": "anne",
                                       "given_on": date.today(), "method": ConsentMethod.WRITTEN_FORM})
            db.session.commit()
            return {"child_a": child.id}

    def notification(self, council_id, member_id):
        from konsey.core.notifications import Kind, Notification
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            note = Notification(member_id=member_id, kind=Kind.DECISION, subject="Gizli karar", body="Gizli")
            db.session.add(note)
            db.session.commit()
            return note.id

    def session_request(self, council_id):
        from konsey.core.session_requests import open_request
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            request = open_request("Kentsel dönüşüm için olağanüstü toplantı")
            db.session.commit()
            return request.id

    def dead_letter(self, council_id):
        from konsey.core.outbox import OutboxEvent, bury
        from konsey.tenants.db import db, utcnow
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            event = OutboxEvent(kind="motion.adopted", payload={"motion_id": str(council_id)},
                                published_at=utcnow(), publish_count=21)
            db.session.add(event)
            db.session.flush()
            letter = bury("konsey.handle_event", {"council_id": str(council_id), "event_id": str(event.id)},
                          "RetryLater: 503", 21)
            db.session.commit()
            return letter.id

    def participant(self, council_id, body_id):
        from konsey.core.bodies import Body
        from konsey.core.participants import join
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            participant = join(db.session.get(Body, body_id), {"name": "Deniz Katılımcı", "consent": True})
            db.session.commit()
            return participant.id

    def approve(self, council_id, body_id) -> None:
        """The general assembly approves a proposed body: a meeting of the individual members, all voting yes."""
        from datetime import UTC, datetime, timedelta

        from sqlalchemy import select

        from konsey.core import meetings
        from konsey.core.bodies import Body, BodyKind
        from konsey.core.membership import Member, MemberKind, MemberStatus
        from konsey.core.seats import approve_body
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            has_voters = db.session.scalar(select(Member.id).where(Member.kind == MemberKind.INDIVIDUAL).limit(1))
        if not has_voters:
            self.member(council_id, name="Genel Kurul Üyesi")
        with self.app.app_context(), bound_council(council_id):
            assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
            meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Genel Kurul",
                                        datetime.now(UTC) + timedelta(days=3), None, ["Önerinin onayı"])
            voters = db.session.scalars(select(Member).where(Member.kind == MemberKind.INDIVIDUAL,
                                                             Member.status == MemberStatus.ACTIVE)).all()
            for member in voters:
                meetings.check_in(meeting, member, online=False)
            item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id))
            vote = meetings.open_vote(meeting, assembly, item, meetings.VoteKind.OPEN)
            for member in voters:
                meetings.cast(vote, meeting, assembly, member, meetings.Choice.YES)
            meetings.close_vote(vote, meeting, assembly)
            approve_body(db.session.get(Body, body_id), vote)
            db.session.commit()

    def meeting_with_vote(self, council_id, member_id) -> dict:
        """A working-group meeting with the member present and an open vote on its first item."""
        from datetime import UTC, datetime, timedelta

        from sqlalchemy import select

        from konsey.core import meetings
        from konsey.core.bodies import Body
        from konsey.core.membership import Member
        from konsey.core.seats import Seat
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            seat = db.session.scalar(select(Seat).where(Seat.member_id == member_id))
            body = db.session.get(Body, seat.body_id)
            when = datetime.now(UTC) + timedelta(days=30)
            meeting = meetings.schedule(body, meetings.MeetingKind.ORDINARY, "Toplantı", when, None, ["Gündem"])
            member = db.session.get(Member, member_id)
            # Move the meeting to today so the seat (from 2026-01-01) counts, as if it were being held now.
            meeting.scheduled_at = datetime.now(UTC)
            meetings.check_in(meeting, member, online=False)
            item = db.session.scalar(select(meetings.AgendaItem).where(meetings.AgendaItem.meeting_id == meeting.id))
            vote = meetings.open_vote(meeting, body, item, meetings.VoteKind.OPEN)
            db.session.commit()
            return {"meeting_a": meeting.id, "vote_a": vote.id, "item_a": item.id,
                    "motion_a": self._motion(meeting, body, member)}

    def _motion(self, meeting, body, member):
        from sqlalchemy import select

        from konsey.core import meetings, motions
        from konsey.tenants.db import db

        item = meetings.AgendaItem(meeting_id=meeting.id, position=2, title="Önerge")
        db.session.add(item)
        db.session.flush()
        vote = meetings.Vote(agenda_item_id=item.id, kind=meetings.VoteKind.OPEN, present=1, yes=1,
                             outcome="adopted", decision_number="2026/99", closed_at=meeting.scheduled_at)
        db.session.add(vote)
        db.session.flush()
        motion = motions.adopt(vote, "Park önerisi", "Metin")
        db.session.commit()
        assert db.session.scalar(select(motions.Motion.id).where(motions.Motion.id == motion.id))
        return motion.id

    def election(self, council_id):
        from datetime import date

        from sqlalchemy import select

        from konsey.core.bodies import Body, BodyKind
        from konsey.core.elections import Office, call_election
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
            board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
            election = call_election(assembly, board, Office.PRESIDENT, 1, date(2026, 6, 1), 0)
            db.session.commit()
            return election.id

    def report(self, council_id):
        from sqlalchemy import select

        from konsey.core.bodies import Body, BodyKind
        from konsey.core.reports import draft
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with self.app.app_context(), bound_council(council_id):
            group = db.session.scalar(select(Body).where(Body.kind == BodyKind.WORKING_GROUP))
            report = draft(group, "Ulaşım raporu", "Taslak metin")
            db.session.commit()
            return report.id

    def representative(self, council_id, *, category: str = "professional_chamber", name: str = "Mimarlar Odası",
                       representative: str = "Temsilci Kişi") -> dict:
        """An institutional member with a representative whose mandate runs for a year."""
        from datetime import date, timedelta

        from konsey.core.membership import Member
        from konsey.core.representatives import Capacity, appoint
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        member_id = self.member(council_id, category=category, name=name, representative_name=representative)
        with self.app.app_context(), bound_council(council_id):
            rep = appoint(db.session.get(Member, member_id), Capacity.REPRESENTATIVE, representative, "2026/1",
                          date.today() + timedelta(days=365))
            db.session.commit()
            return {"institution_a": member_id, "representative_a": rep.id}

    def grant_of(self, user_id, council_id):
        from sqlalchemy import select

        from konsey.core.accounts import CouncilRole
        from konsey.tenants.db import db

        with self.app.app_context():
            return db.session.scalar(
                select(CouncilRole.id).where(CouncilRole.user_id == user_id, CouncilRole.council_id == council_id)
            )

    def token(self, user_id, council_id=None) -> str:
        from konsey.core.accounts import User, issue_token
        from konsey.tenants.db import db

        with self.app.app_context():
            _token, secret = issue_token(db.session.get(User, user_id), "test", council_id)
            db.session.commit()
            return secret

    def member(self, council_id, **data):
        from konsey.core.membership import add_member
        from konsey.schemas.members import MemberInputSchema
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        values = {"category": "individual", "name": "Ayşe Yılmaz", **data}
        with self.app.app_context(), bound_council(council_id):
            member = add_member(MemberInputSchema().load(values))
            db.session.commit()
            return member.id


@pytest.fixture
def world(request):
    # Works with whichever app fixture the test uses.
    for name in ("app", "postgres_app", "sqlite_app"):
        if name in request.fixturenames:
            return World(request.getfixturevalue(name))
    return World(request.getfixturevalue("app"))


class ApiClient:
    def __init__(self, client, token: str | None = None, language: str = "en"):
        self.client, self.token, self.language = client, token, language

    def _headers(self, extra=None):
        headers = {"Accept-Language": self.language}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers | (extra or {})

    def __getattr__(self, method):
        if method not in ("get", "post", "patch", "put", "delete"):
            raise AttributeError(method)

        def call(url, headers=None, **kwargs):
            return getattr(self.client, method)(url, headers=self._headers(headers), **kwargs)

        return call


@pytest.fixture
def api(app):
    def make(token: str | None = None, language: str = "en") -> ApiClient:
        return ApiClient(app.test_client(), token, language)

    return make


def approve_by_general_assembly(admin, base: str, body_id: str, voters: list[str]) -> dict:
    """Through the API: a general assembly meeting where ``voters`` adopt the board's proposal of a body."""
    from datetime import UTC, datetime, timedelta

    bodies = {b["kind"]: b["id"] for b in admin.get(f"{base}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{base}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Önerinin onayı"]}).json
    url = f"{base}/meetings/{meeting['id']}"
    for member_id in voters:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item}).json
    for member_id in voters:
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": "yes"})
    admin.post(f"{url}/votes/{vote['id']}/close", json={})
    return admin.post(f"{base}/bodies/{body_id}/approval", json={"vote_id": vote["id"]})


def login(client, email: str, password: str = "correct horse battery"):
    return client.post("/login", data={"email": email, "password": password})


# --- a municipality's webhook receiver on loopback ----------------------------------------------------------


class WebhookReceiver:
    """Verifies Standard Webhooks signatures and keeps each ``webhook-id`` once, as a careful municipality
    would; ``answers`` queues (status, headers) replies before the default 204."""

    def __init__(self, secret: str | None = None, delay: float = 0.0):
        import http.server

        self.secret, self.delay = secret, delay
        self.received: dict[str, dict] = {}  # webhook-id → payload (de-duplicated)
        self.requests = 0
        self.rejected = 0
        self.answers: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                import json
                import time

                from standardwebhooks import Webhook, WebhookVerificationError

                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                if receiver.delay:
                    time.sleep(receiver.delay)
                with receiver.lock:
                    receiver.requests += 1
                    answer = receiver.answers.pop(0) if receiver.answers else None
                if answer is not None:
                    self.send_response(answer[0])
                    for name, value in answer[1].items():
                        self.send_header(name, value)
                    self.end_headers()
                    return
                try:
                    payload = Webhook(receiver.secret).verify(body, dict(self.headers)) if receiver.secret \
                        else json.loads(body)
                except WebhookVerificationError:
                    with receiver.lock:
                        receiver.rejected += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                with receiver.lock:
                    receiver.received.setdefault(self.headers["webhook-id"], payload)
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/konsey"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()


@pytest.fixture
def receiver():
    hook = WebhookReceiver()
    yield hook
    hook.close()


def adopted_motion(app, world, council_id, title="Bisiklet yolu", member_id=None):
    """A motion adopted from a working group's decision, with its outbox event; returns the motion's id."""
    from konsey.core import meetings
    from konsey.core.bodies import Body
    from konsey.core.meetings import Choice, Meeting, Vote
    from konsey.core.membership import Member
    from konsey.core.motions import adopt
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    if member_id is None:
        member_id = world.member(council_id, name="Ayşe Kaya")
        world.body_with_seat(council_id, member_id)
    refs = world.meeting_with_vote(council_id, member_id)
    with app.app_context(), bound_council(council_id):
        vote = db.session.get(Vote, refs["vote_a"])
        meeting = db.session.get(Meeting, refs["meeting_a"])
        body = db.session.get(Body, meeting.body_id)
        meetings.cast(vote, meeting, body, db.session.get(Member, member_id), Choice.YES)
        meetings.close_vote(vote, meeting, body)
        motion = adopt(vote, title, "Sahil boyunca kesintisiz bir bisiklet yolu yapılması önerilir.")
        db.session.commit()
        return motion.id
