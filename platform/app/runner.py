"""The embedded runner behind ``konsey serve``: one command, the whole platform on this machine."""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from konsey.app.demo import DEMO_PASSWORD, demo_logins, seed_demo, sittings_now


def _request_handler():
    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        # No server or Python version in the Server header: nothing to look up in a list of known flaws.
        server_version = "Konsey"
        sys_version = ""

    return Handler


def _free_port(host: str, wanted: int) -> int:
    """``wanted`` if nothing listens there, else a free port the system picks."""
    with socket.socket() as probe:
        try:
            probe.bind((host, wanted))
            return wanted
        except OSError as error:
            if error.errno != errno.EADDRINUSE:
                raise
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def run_platform(app: Flask, *, host: str, port: int, worker: bool) -> None:
    """Migrate, seed the demo, start a worker (its log in a file) and serve until Ctrl-C.

    The console keeps what a person needs: the seeding summary, then the address and the demo logins as
    the last lines (the worker's log goes to ``<instance>/worker.log``; requests are not logged here)."""
    upgrade(revision="heads")  # the core and every plugin's migration branch
    for line in seed_demo():
        print(f"  seeded {line}")
    chosen = _free_port(host, port)
    if chosen != port:
        print(f"Port {port} is taken; using {chosen} instead (choose one with --port).")
    port = chosen
    worker_process = None
    log_path = Path(app.instance_path) / "worker.log"
    if worker:
        # A real worker process on the configured broker (embedded SQLite broker by default).
        env = dict(os.environ, KONSEY_INSTANCE_PATH=app.instance_path, KONSEY_BASE_URL=f"http://{host}:{port}")
        log = open(log_path, "ab")  # noqa: SIM115 - the child process keeps it open
        worker_process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "celery", "-A", "konsey.worker.main", "worker", "--loglevel=INFO",
             "--concurrency=1", "--pool=solo", "--without-gossip", "--without-mingle", "--without-heartbeat",
             # One process here, so it also runs the scheduler: the outbox relay, reminders, plugins' jobs.
             "--beat", f"--schedule={Path(app.instance_path) / 'celerybeat-schedule'}"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches us, and we stop the worker in order
        )
    url = f"http://{host}:{port}/"
    app.config["KONSEY_BASE_URL"] = url.rstrip("/")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from werkzeug.serving import make_server

    server = make_server(host, port, app, threaded=True, request_handler=_request_handler())
    print()
    print(f"Database: {app.config['SQLALCHEMY_DATABASE_URI']}")
    print(f"Broker:   {app.config['KONSEY_BROKER_URL']}")
    if worker:
        print(f"Worker log: {log_path}")
    if app.config["KONSEY_MAIL_BACKEND"] == "file":
        print(f"E-mails are written to {app.config['KONSEY_MAIL_DIR']}")
    print(f"Demo logins (password: {DEMO_PASSWORD}):")
    for email, what in demo_logins():
        print(f"  {email:32} {what}")
    print("Sitting now (sign in at the desk as the council's secretary):")
    for line in sittings_now(url):
        print(f"  {line}")
    print()
    print(f"Konsey is running at {url}  (Ctrl-C stops it)", flush=True)

    def _stop(_signum, _frame):
        # SIGTERM (a service manager, `kill`) stops like Ctrl-C: the worker is in a session of its own and
        # would outlive us otherwise.
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        if worker_process is not None:
            worker_process.send_signal(signal.SIGTERM)
            try:
                worker_process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker_process.kill()
        print("Konsey stopped.")


def serve_production(host: str, port: int) -> None:
    """Replace this process with gunicorn serving the app factory with the project's settings
    (:mod:`konsey.app.gunicorn_conf`); the environment configures it as it configures the app."""
    import importlib.util

    if importlib.util.find_spec("gunicorn") is None:
        sys.exit("The production server is gunicorn: pip install 'konsey[production]'.")
    if not (os.environ.get("KONSEY_MASTER_KEYS") or os.environ.get("KONSEY_MASTER_KEY_FILE")):
        # The development default (a key file made in the instance folder) would sit beside the database and its
        # backups, and differ on every host: production names its master key (docs/kvkk.md).
        sys.exit("Production needs its master key kept apart: set KONSEY_MASTER_KEY_FILE or KONSEY_MASTER_KEYS "
                 "(konsey keys new-master-key <id> makes one; see docs/kvkk.md).")
    os.execv(sys.executable, [sys.executable, "-m", "gunicorn", "-c", "python:konsey.app.gunicorn_conf",  # noqa: S606
                              "--bind", f"{host}:{port}", "konsey.app:create_app()"])
