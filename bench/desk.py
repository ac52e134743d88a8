#!/usr/bin/env python3
"""The meeting desk of a live general assembly of 5,000 members against a desk of 9, in the same run.

    .venv-test/bin/python bench/desk.py [members]      # default 5000

PostgreSQL as the restricted konsey_app role (row-level security on), the app in process through its test
client (what is measured is the platform, not a network): a council whose general assembly has ``members``
members, three fifths checked in (a quarter online), an open show of hands and an open roll call; and a council
of 9 in the same state. Each desk page is fetched 30 times after a warm-up; prints the median and p95 time, the
page size and the SQL statements of each, and last ``ratio: <large desk median ÷ small desk median>`` (the goal
is at most 3).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from benchdb import bench_database
from sqlalchemy import create_engine, event, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]


def measure(app, slug: str, meeting_id, rounds: int = 30) -> dict:
    from konsey.tenants.db import db
    from support.clients import login

    client = app.test_client()
    login(client, f"gs@{slug}.example.org")
    url = f"/{slug}/meetings/{meeting_id}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731 - counts every statement of one request
    event.listen(engine, "before_cursor_execute", listener)
    size = len(client.get(url).data)
    event.remove(engine, "before_cursor_execute", listener)
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "bytes": size,
            "statements": len(statements)}


def main(members: int) -> int:
    from flask_migrate import upgrade
    from test_desk_scale import _general_assembly

    from konsey.app import create_app
    from support.world import World

    with bench_database("konsey_bench_desk") as database:
        owner, app_url, reader = database.owner, database.app, database.reader
        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner,
                          "KONSEY_READER_DATABASE_URL": reader, "KONSEY_TASKS_EAGER": True, "SECRET_KEY": "bench",
                          "KONSEY_MAIL_BACKEND": "file", "KONSEY_PASSWORD_HASHING": "cheapest", "TESTING": True,
                          "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False},
                         instance_path=tempfile.mkdtemp(prefix="konsey-bench-desk-"))
        with app.app_context():
            upgrade(revision="heads")
        world = World(app)
        small = _general_assembly(app, world, 9, "kucuk")
        large = _general_assembly(app, world, members, "buyuk")
        with create_engine(owner).begin() as conn:
            conn.execute(text("ANALYZE"))
        small_figures = measure(app, "kucuk", small)
        large_figures = measure(app, "buyuk", large)
        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}")
        for label, figures in (("desk of 9", small_figures), (f"desk of {members}", large_figures)):
            print(f"{label:18} median {figures['median'] * 1000:7.1f} ms  p95 {figures['p95'] * 1000:7.1f} ms  "
                  f"{figures['bytes'] / 1024:7.1f} KB  {figures['statements']} statements")
        print(f"ratio: {large_figures['median'] / small_figures['median']:.2f}")
        return 0

if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000))
