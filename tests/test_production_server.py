"""The production server: ``konsey serve --production`` is gunicorn with the project's settings
(konsey.app.gunicorn_conf): preloaded app, forked workers with their own database pools, an access log that
says how long each request took, and a clean stop on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
import urllib.request
from pathlib import Path

from test_worker import Process

from conftest import free_port, port_open


def test_konsey_serve_production_serves_logs_and_stops(tmp_path):
    from flask_migrate import upgrade

    from konsey.app import create_app

    database = f"sqlite:///{tmp_path / 'konsey.sqlite'}"
    with create_app({"SQLALCHEMY_DATABASE_URI": database, "KONSEY_MIGRATION_DATABASE_URL": database,
                     "SECRET_KEY": "x"}, instance_path=tmp_path).app_context():
        upgrade(revision="heads")
    port = free_port()
    konsey = Path(sys.executable).parent / "konsey"
    server = Process([str(konsey), "serve", "--production", "--port", str(port)],
                     env={**os.environ, "KONSEY_DATABASE_URL": database, "KONSEY_MIGRATION_DATABASE_URL": database,
                          "KONSEY_SECRET_KEY": "production-test", "KONSEY_INSTANCE_PATH": str(tmp_path),
                          "KONSEY_WEB_WORKERS": "2", "KONSEY_WEB_THREADS": "2"})
    try:
        server.wait_for(r"Listening at: http://127\.0\.0\.1:" + str(port), timeout=60)
        deadline = time.monotonic() + 60
        while len([line for line in server.lines if "Booting worker" in line]) < 2:
            assert time.monotonic() < deadline, "".join(server.lines[-30:])
            time.sleep(0.1)
        assert port_open("127.0.0.1", port)
        for path in ("/health", "/"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:  # noqa: S310
                assert response.status == 200
        logged = server.wait_for(r'"GET /health HTTP/1\.1" 200 \d+ (\d+)ms', timeout=30)
        assert int(logged.group(1)) >= 0
        assert not any("Traceback" in line for line in server.lines), "".join(server.lines[-40:])
    finally:
        if server.popen.poll() is None:
            os.killpg(server.popen.pid, signal.SIGTERM)
        code = server.popen.wait(timeout=40)
    assert code == 0, "".join(server.lines[-30:])
    assert any(re.search(r"Shutting down: Master", line) for line in server.lines)
