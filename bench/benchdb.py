"""A PostgreSQL database of a benchmark's own on the shared server, with the platform's three roles' URLs, dropped
at the end however the benchmark ends."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import create_engine, text

ADMIN_URL = os.environ.get("KONSEY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@dataclass(frozen=True)
class BenchDatabase:
    owner: str  # migrations and seeding past RLS
    app: str  # konsey_app: what the platform runs as (RLS on)
    reader: str  # konsey_reader: the cross-council reads


@contextmanager
def bench_database(prefix: str) -> Iterator[BenchDatabase]:
    name = f"{prefix}_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def url(user: str | None) -> str:
        return admin.url.set(database=name, **({"username": user, "password": None} if user else {})) \
            .render_as_string(hide_password=False)

    try:
        yield BenchDatabase(owner=url(None), app=url("konsey_app"), reader=url("konsey_reader"))
    finally:
        from konsey.tenants.db import db

        try:
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        except Exception:  # noqa: BLE001, S110 - best effort (no app context, say) before dropping the database
            pass
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
