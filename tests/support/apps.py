"""One migrated app per backend and xdist worker (SQLite, and PostgreSQL as the restricted app role)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from support.contract import DocumentedClient
from support.services import POSTGRES_ADMIN_URL, port_open, worker_name

LIVE_KEY_PREFIX = f"konsey-test-{uuid.uuid4().hex[:10]}:live:"


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
        self.reader_url = base.set(database=self.name, username="konsey_reader", password=None).render_as_string(
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
    reader_url = None
    if backend == "postgresql":
        pg = PostgresDatabase()
        database_url, migration_url, reader_url = pg.app_url, pg.owner_url, pg.reader_url
    else:
        database_url = migration_url = f"sqlite:///{instance / 'konsey.sqlite'}"
        instance.mkdir(parents=True, exist_ok=True)
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "KONSEY_MIGRATION_DATABASE_URL": migration_url,
        "KONSEY_READER_DATABASE_URL": reader_url,
        "KONSEY_TASKS_EAGER": True,
        "KONSEY_MAIL_BACKEND": "smtp",
        "KONSEY_SMTP_HOST": "127.0.0.1",
        "KONSEY_SMTP_PORT": smtp_port,
        "KONSEY_BASE_URL": "http://konsey.test",
        "WTF_CSRF_ENABLED": False,
        "KONSEY_PASSWORD_HASHING": "cheapest",
        "KONSEY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",  # the tests' receivers listen on loopback
        "RATELIMIT_ENABLED": False,  # every test signs in from 127.0.0.1; tests/test_security.py tests the limits
        # Every test process its own live keys in the shared Redis, as two installations would have: a sweep
        # in one (or in a calendar-moment run beside the main one) must not fold another's meetings.
        "KONSEY_LIVE_KEY_PREFIX": LIVE_KEY_PREFIX,
        **(extra or {}),
    }
    app = create_app(config, instance_path=instance)
    app.test_client_class = DocumentedClient  # every API answer the suite sees is held to the OpenAPI document
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


