"""The embedded runner behind ``konsey serve``: one command, the whole platform on this machine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from konsey.app.demo import DEMO_PASSWORD, demo_logins, seed_demo


def run_platform(app: Flask, *, host: str, port: int, worker: bool) -> None:

    upgrade(revision="heads")  # the core and every plugin's migration branch
    for line in seed_demo():
        print(f"  seeded {line}")
    worker_process = None
    if worker:
        # A real worker process on the configured broker (embedded SQLite broker by default).
        env = dict(os.environ, KONSEY_INSTANCE_PATH=app.instance_path, KONSEY_BASE_URL=f"http://{host}:{port}")
        worker_process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "celery", "-A", "konsey.worker.main", "worker", "--loglevel=INFO",
             "--concurrency=1", "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
             # One process here, so it also runs the scheduler: the outbox relay, reminders, plugins' jobs.
             "--beat", f"--schedule={Path(app.instance_path) / 'celerybeat-schedule'}"],
            env=env,
        )
    url = f"http://{host}:{port}/"
    app.config["KONSEY_BASE_URL"] = url.rstrip("/")
    print()
    print(f"Konsey is running at {url}")
    print(f"Database: {app.config['SQLALCHEMY_DATABASE_URI']}")
    print(f"Broker:   {app.config['KONSEY_BROKER_URL']}")
    if app.config["KONSEY_MAIL_BACKEND"] == "file":
        print(f"E-mails are written to {app.config['KONSEY_MAIL_DIR']}")
    print(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, what in demo_logins():
        print(f"  {email:32} {what}")
    print()
    try:
        from werkzeug.serving import run_simple

        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if worker_process is not None:
            worker_process.send_signal(signal.SIGTERM)
            worker_process.wait(timeout=20)
