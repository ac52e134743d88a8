"""Test fixtures: real SQLite and PostgreSQL databases, a loopback SMTP server, helpers for people and tokens.

Every test that takes ``app`` runs twice, on SQLite and on PostgreSQL. Each xdist worker migrates one
database per backend once; after each test every table is emptied. Without a PostgreSQL server the
PostgreSQL half is skipped with one line saying how to enable it, except under CI=true, where it fails.
"""

from __future__ import annotations

import os
import time

import pytest

from support.apps import _make_app, _postgres_reachable, empty_all_tables
from support.clients import (
    ApiClient,
    WebhookReceiver,
    adopted_motion,
    approve_by_general_assembly,
    login,
    sitting,
    take_export,
)
from support.services import (
    ARTIFACTS,
    IN_CI,
    POSTGRES_ADMIN_URL,
    REDIS_URL,
    Mailbox,
    free_port,
    need_service,
    port_open,
    worker_name,
)
from support.world import World

# The tests' councils keep İstanbul time, and much of the suite says "today" both as the process does
# (date.today()) and as a council does (council_today()). The process keeps İstanbul time too, so that a run
# between İstanbul's midnight and UTC's (21:00–24:00 UTC) sees one date, not two; workers started by a test
# inherit it. The platform itself never asks the process for a date (it asks council_today()):
# KONSEY_TEST_PROCESS_TZ=America/Los_Angeles runs the suite with the process elsewhere, to find one that does
# (the tests' own "today" then disagrees too; tests/test_dates.py keeps that check in the suite).
os.environ["TZ"] = os.environ.get("KONSEY_TEST_PROCESS_TZ", "Europe/Istanbul")
# One master key for every app and process a test starts (a worker opens what the web process sealed), as one
# installation has; a test of rotation configures its own.
os.environ.setdefault("KONSEY_MASTER_KEYS", "test1:" + "a2Vlcy1mb3ItdGhlLXRlc3RzLW9ubHktMzItYnl0ZXM")
time.tzset()

# A test that passes on one calendar day and fails on another is a bug. KONSEY_TEST_CLOCK=<ISO instant> starts
# every test at that moment (the clock then runs on; several, comma-separated, start each test at one of them,
# support.clock.moment_of), through time-machine: the platform takes every instant
# from Python's clock (never from PostgreSQL's now()), so the whole request path travels with it. Processes a
# test starts (a Celery worker, gunicorn, Chromium) do not travel: tests/test_calendar_moments.py runs the
# in-process tests at the awkward moments of the calendar.
TEST_CLOCK = [moment.strip() for moment in os.environ.get("KONSEY_TEST_CLOCK", "").split(",") if moment.strip()]

__all__ = ["ARTIFACTS", "IN_CI", "REDIS_URL", "ApiClient", "Mailbox", "WebhookReceiver", "World", "adopted_motion",
           "approve_by_general_assembly", "free_port", "login", "sitting", "take_export", "need_service", "port_open", "worker_name"]


def pytest_collection_modifyitems(items):
    # "-m 'not postgres'" selects the SQLite half (the calendar-moment runs need no second database).
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if params.get("app") == "postgresql" or "postgres_app" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(autouse=True)
def _calendar_moment(request):
    if not TEST_CLOCK:
        yield
        return
    import time_machine

    from support.clock import moment_of

    with time_machine.travel(moment_of(request.node.nodeid, TEST_CLOCK), tick=True):
        yield


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
def sms_provider(app):
    """A loopback server answering as Netgsm's and İleti Merkezi's APIs do, the app's provider addresses set to it."""
    from support.sms_provider import SmsProvider

    server = SmsProvider()
    app.config.update(KONSEY_NETGSM_URL=server.url, KONSEY_ILETIMERKEZI_URL=server.url)
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The loopback SMTP server's mailbox, emptied; every message that reached it during the test must read
    cleanly with the e-mail parser's strict policy (invitations with their calendars, motion packages…)."""
    smtp_server.clear()
    yield smtp_server
    assert smtp_server.refused == [], smtp_server.refused


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


@pytest.fixture
def world(request):
    # Works with whichever app fixture the test uses.
    for name in ("app", "postgres_app", "sqlite_app"):
        if name in request.fixturenames:
            return World(request.getfixturevalue(name))
    return World(request.getfixturevalue("app"))


@pytest.fixture
def api(app):
    def make(token: str | None = None, language: str = "en") -> ApiClient:
        return ApiClient(app.test_client(), token, language)

    return make


@pytest.fixture
def receiver():
    hook = WebhookReceiver()
    yield hook
    hook.close()



@pytest.fixture
def secretary(app, world):
    """İzmir's secretary general signed in on the pages (Turkish), with the council's id."""
    council = world.council("izmir")
    world.user("gs@izmir.example.org", roles={council: "administrator"})
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    return {"council": council, "client": client}
