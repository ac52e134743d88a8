"""A real Celery worker process: on Redis (production's broker) and on the embedded SQLite broker that the
README's first command uses. E-mail goes to the loopback SMTP server."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid

import pytest
from sqlalchemy.engine import make_url

from conftest import REDIS_URL, World, free_port, need_service, port_open

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker")]


class Process:
    """A child process whose output is collected line by line, so tests can wait for what it says."""

    def __init__(self, args: list[str], env: dict):
        self.lines: list[str] = []
        self.popen = subprocess.Popen(  # noqa: S603 - our own interpreter
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.popen.stdout:
            self.lines.append(line)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.popen.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError(f"{pattern!r} never appeared:\n{''.join(self.lines[-60:])}")

    def stop(self):
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()


@pytest.fixture(scope="module")
def redis_worker(tmp_path_factory, smtp_server):
    need_service("Redis", port_open(make_url(REDIS_URL).host or "127.0.0.1", make_url(REDIS_URL).port or 6379),
                 f"start redis-server or set KONSEY_TEST_REDIS_URL (now {REDIS_URL}); worker tests skipped")
    from flask_migrate import upgrade

    from konsey.app import create_app

    folder = tmp_path_factory.mktemp("worker")
    settings = {
        "KONSEY_DATABASE_URL": f"sqlite:///{folder / 'konsey.sqlite'}",
        "KONSEY_BROKER_URL": REDIS_URL,
        # A queue namespace of its own, so parallel test runs never share work.
        "KONSEY_BROKER_KEY_PREFIX": f"konsey-test-{uuid.uuid4().hex[:10]}:",
        "KONSEY_MAIL_BACKEND": "smtp",
        "KONSEY_SMTP_HOST": "127.0.0.1",
        "KONSEY_SMTP_PORT": str(smtp_server.port),
        "KONSEY_BASE_URL": "http://konsey.test",
        "KONSEY_SECRET_KEY": "worker-test-secret",
        "KONSEY_INSTANCE_PATH": str(folder),
    }
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": settings["KONSEY_DATABASE_URL"],
         "KONSEY_MIGRATION_DATABASE_URL": settings["KONSEY_DATABASE_URL"],
         "KONSEY_BROKER_URL": REDIS_URL, "KONSEY_BROKER_KEY_PREFIX": settings["KONSEY_BROKER_KEY_PREFIX"],
         "KONSEY_TASKS_EAGER": False, "KONSEY_MAIL_BACKEND": "smtp", "KONSEY_SMTP_HOST": "127.0.0.1",
         "KONSEY_SMTP_PORT": smtp_server.port, "KONSEY_BASE_URL": "http://konsey.test", "TESTING": True,
         "SECRET_KEY": "worker-test-secret"},
        instance_path=folder,
    )
    with app.app_context():
        upgrade(revision="heads")
    app.konsey_backend = "sqlite"
    worker = Process(
        [sys.executable, "-m", "celery", "-A", "konsey.worker.main", "worker", "--pool=solo", "--concurrency=1",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
        env={**os.environ, **settings},
    )
    try:
        worker.wait_for(r"ready\.", timeout=60)
        yield app, worker
    finally:
        worker.stop()


def test_onboarding_invitation_is_delivered_by_the_worker(redis_worker, smtp_server):
    app, worker = redis_worker
    world = World(app)
    operator = world.token(world.user(f"op-{uuid.uuid4().hex[:6]}@example.org", platform_role="operator"))
    from konsey.core import reference

    municipality = next(m for m in reference.municipalities(35) if m.name.startswith("Bornova"))
    smtp_server.clear()
    from support.contract import DocumentedClient

    app.test_client_class = DocumentedClient  # the answer is held to the OpenAPI document, as everywhere
    response = app.test_client().post("/api/v1/councils", headers={"Authorization": f"Bearer {operator}"}, json={
        "name": "Bornova Kent Konseyi", "slug": "bornova", "province_code": 35, "municipality_id": municipality.id,
        "contact_email": "info@bornova.example.org", "motion_delivery_address": "evrak@bornova.bel.tr",
        "admin_email": "gs@bornova.example.org",
    })
    assert response.status_code == 201
    messages = smtp_server.wait_for(1, timeout=30)
    assert [m["To"] for m in messages] == ["gs@bornova.example.org"]
    assert "/invitations/" in messages[0].get_body(("plain",)).get_content()
    worker.wait_for(r"Task konsey\.send_email\[[^\]]+\] succeeded")


def test_rolled_back_work_is_never_sent(redis_worker, smtp_server):
    app, _worker = redis_worker
    from konsey.core.tasks_after_commit import enqueue_after_commit
    from konsey.tenants.db import db
    from konsey.worker.tasks import send_email

    smtp_server.clear()
    with app.app_context():
        enqueue_after_commit(send_email, to="never@example.org", subject="x", body="rolled back")
        db.session.rollback()
        enqueue_after_commit(send_email, to="kept@example.org", subject="y", body="committed")
        db.session.commit()
    messages = smtp_server.wait_for(1, timeout=30)
    time.sleep(1.5)  # the rolled-back one would have been queued first
    assert [m["To"] for m in smtp_server.messages] == ["kept@example.org"]
    assert messages


def test_council_bound_task_sees_only_its_council(redis_worker):
    app, worker = redis_worker
    world = World(app)
    small, large = world.council(f"kucuk-{uuid.uuid4().hex[:4]}"), world.council(f"buyuk-{uuid.uuid4().hex[:4]}")
    world.member(small, name="Tek Üye")
    for i in range(3):
        world.member(large, name=f"Üye {i}")
    from konsey.worker.celery_app import dispatch
    from konsey.worker.tasks import count_members

    with app.app_context():
        first = dispatch(count_members, council_id=str(large))
        second = dispatch(count_members, council_id=str(small))
    assert worker.wait_for(rf"konsey\.count_members\[{first.id}\] succeeded in [0-9.]+s: 3")
    assert worker.wait_for(rf"konsey\.count_members\[{second.id}\] succeeded in [0-9.]+s: 1")


def test_embedded_platform_runs_without_redis(tmp_path, smtp_server):
    """The README's first command: SQLite, kombu's SQLite broker, a real worker, the demo councils."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KONSEY_")}
    env.update(KONSEY_INSTANCE_PATH=str(tmp_path), KONSEY_MAIL_BACKEND="smtp", KONSEY_SMTP_HOST="127.0.0.1",
               KONSEY_SMTP_PORT=str(smtp_server.port))
    platform = Process([sys.executable, "-c", "from konsey.app.cli import main; main()", "serve", "--port", str(port)],
                       env=env)
    try:
        platform.wait_for(r"sekreter@izmir\.example\.org", timeout=120)
        platform.wait_for(rf"Konsey is running at http://127\.0\.0\.1:{port}/", timeout=30)
        # The worker's log is in its file, not on the console, which keeps the address and logins in sight.
        log = tmp_path / "worker.log"
        deadline = time.monotonic() + 60
        while not (log.exists() and re.search(r"celery@\S+ ready\.", log.read_text(errors="replace"))):
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.5)
        assert "celery@" not in "".join(platform.lines)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        base = f"http://127.0.0.1:{port}"
        answer = opener.open(f"{base}/password/forgot", timeout=10)
        assert answer.headers["Server"].strip() == "Konsey"  # no Werkzeug or Python version to look up
        form = answer.read().decode()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        smtp_server.clear()
        body = urllib.parse.urlencode({"csrf_token": token, "email": "sekreter@izmir.example.org"}).encode()
        opener.open(f"{base}/password/forgot", data=body, timeout=10)
        messages = smtp_server.wait_for(1, timeout=60)
        assert messages and messages[0]["To"] == "sekreter@izmir.example.org"
        assert f"http://127.0.0.1:{port}/password/reset/" in messages[0].get_body(("plain",)).get_content()
        # The console still ends with the address: the request above wrote nothing there.
        assert [line for line in platform.lines if line.strip()][-1].startswith("Konsey is running at")
        # Stopping the platform (SIGTERM, as a service manager does, to the platform alone) stops its worker
        # too, quietly; Ctrl-C (SIGINT) takes the same path.
        [worker_pid] = _children(platform.popen.pid)
        os.kill(platform.popen.pid, signal.SIGTERM)
        assert platform.popen.wait(timeout=40) == 0
        platform.wait_for(r"^Konsey stopped\.", timeout=5)
        assert "Traceback" not in "".join(platform.lines)
        deadline = time.monotonic() + 20
        while _alive(worker_pid):
            assert time.monotonic() < deadline, "the worker outlived the platform"
            time.sleep(0.2)
    finally:
        platform.stop()


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux's /proc)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_serve_takes_a_free_port_when_the_asked_one_is_busy():
    import socket

    from konsey.app.runner import _free_port

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        other = _free_port("127.0.0.1", taken)
        assert other != taken and other > 0
    assert _free_port("127.0.0.1", taken) == taken  # free again
