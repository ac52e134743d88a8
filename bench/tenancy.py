#!/usr/bin/env python3
"""How much does council scoping cost? The scoped member list against the same query by hand.

    .venv/bin/python bench/tenancy.py

Builds a PostgreSQL database (migrated as the owner, served as the restricted ``konsey_app`` role, so row-level
security is on), seeds 200 councils and one council of 10,000 members, serves the app on loopback, and
alternates rounds of requests to

* ``GET /api/v1/councils/<slug>/members?per_page=50`` — URL resolver, policy guard, ORM scoping, RLS;
* ``GET /api/v1/_baseline/councils/<slug>/members?per_page=50`` — the same authentication and query by hand.

Prints requests per second for both, the plan of the scoped query, and last ``ratio: <scoped/baseline>``.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import create_engine, event, insert, text
from werkzeug.serving import WSGIRequestHandler, make_server

ADMIN_URL = os.environ.get("KONSEY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
COUNCILS, BIG = 200, 10_000
ROUNDS, REQUESTS, PAGES = 5, 300, 20


class KeepAlive(WSGIRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_request(self, *args):  # quiet
        pass


def seed(owner_url: str) -> tuple[str, uuid.UUID]:
    from konsey.core.membership import Member
    from konsey.core.text import search_key, turkish_sort_key
    from konsey.tenants.models import Council

    rng = __import__("random").Random(7)
    first = ["Ayşe", "Mehmet", "Zeynep", "Ahmet", "Elif", "Mustafa", "Şule", "İsmail", "Çağla", "Ömer", "Gül", "Uğur"]
    last = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Doğan", "Kılıç", "Işık", "Güneş"]
    now = datetime.now(UTC)
    councils = [
        {"id": uuid.uuid4(), "slug": f"konsey-{i:03d}", "name": f"Konsey {i:03d}", "province_code": 35,
         "municipality_id": "35", "municipality_name": "İzmir Büyükşehir Belediyesi",
         "municipality_type": "metropolitan", "contact_email": f"info{i}@example.org", "contact_phone": None,
         "motion_delivery_address": "evrak@example.org", "locale": "tr", "timezone": "Europe/Istanbul",
         "status": "active", "status_changed_at": now, "created_at": now}
        for i in range(COUNCILS)
    ]
    members = []
    for index, council in enumerate(councils):
        count = BIG if index == 0 else 5
        for n in range(count):
            name = f"{rng.choice(first)} {rng.choice(last)} {n}"
            members.append({
                "id": uuid.uuid4(), "council_id": council["id"], "member_no": n + 1, "kind": "individual",
                "category": "individual", "name": name, "sort_name": turkish_sort_key(name), "search_name": search_key(name), "status": "active",
                "joined_on": date(2026, 1, 1), "created_at": now,
            })
    engine = create_engine(owner_url)  # the owner (superuser) writes the seed past row-level security
    with engine.begin() as conn:
        conn.execute(insert(Council.__table__), councils)
        for start in range(0, len(members), 5000):
            conn.execute(insert(Member.__table__), members[start:start + 5000])
        conn.execute(text("ANALYZE members"))
        conn.execute(text("ANALYZE councils"))
    engine.dispose()
    return councils[0]["slug"], councils[0]["id"]


def timed_round(conn: http.client.HTTPConnection, path: str, token: str) -> float:
    headers = {"Authorization": f"Bearer {token}"}
    started = time.perf_counter()
    for i in range(REQUESTS):
        conn.request("GET", f"{path}?per_page=50&page={i % PAGES + 1}", headers=headers)
        response = conn.getresponse()
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return REQUESTS / (time.perf_counter() - started)


def main() -> None:
    from flask_migrate import upgrade

    from konsey.app import create_app
    from konsey.core.accounts import CouncilRoleName, User, grant_role, issue_token
    from konsey.tenants.db import db

    name = f"konsey_bench_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = admin.url
    owner_url = base.set(database=name).render_as_string(hide_password=False)
    app_url = base.set(database=name, username="konsey_app", password=None).render_as_string(hide_password=False)
    reader_url = base.set(database=name, username="konsey_reader", password=None).render_as_string(hide_password=False)
    server = None
    try:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
             "KONSEY_READER_DATABASE_URL": reader_url,
             "KONSEY_BASELINE_ENDPOINTS": True, "KONSEY_TASKS_EAGER": True, "KONSEY_MAIL_BACKEND": "file",
             "SECRET_KEY": "bench"},
            instance_path=tempfile.mkdtemp(prefix="konsey-bench-"),
        )
        with app.app_context():
            upgrade(revision="heads")
        slug, council_id = seed(owner_url)
        with app.app_context():
            user = User(email="bench@example.org", display_name="Bench")
            db.session.add(user)
            grant_role(user, council_id, CouncilRoleName.ADMINISTRATOR)
            _token, token = issue_token(user, "bench", council_id)
            db.session.commit()

        scoped = f"/api/v1/councils/{slug}/members"
        baseline = f"/api/v1/_baseline/councils/{slug}/members"
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        for page in (1, 7, 20):
            a = client.get(f"{scoped}?per_page=50&page={page}", headers=auth)
            b = client.get(f"{baseline}?per_page=50&page={page}", headers=auth)
            assert a.status_code == b.status_code == 200 and a.json == b.json and len(a.json) == 50, page

        print_plan(app, client, scoped, auth, council_id)

        server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=KeepAlive)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
        timed_round(conn, scoped, token)  # warm-up
        timed_round(conn, baseline, token)
        scoped_rps, baseline_rps, ratios = [], [], []
        for number in range(1, ROUNDS + 1):
            s = timed_round(conn, scoped, token)
            b = timed_round(conn, baseline, token)
            scoped_rps.append(s)
            baseline_rps.append(b)
            ratios.append(s / b)
            print(f"round {number}: scoped {s:7.1f} req/s   baseline {b:7.1f} req/s   ratio {s / b:.3f}")
        print(f"councils: {COUNCILS}, members in the measured council: {BIG}, page size 50, "
              f"{ROUNDS} rounds x {REQUESTS} requests each")
        print(f"scoped   median: {statistics.median(scoped_rps):7.1f} req/s")
        print(f"baseline median: {statistics.median(baseline_rps):7.1f} req/s")
        print(f"ratio: {statistics.median(ratios):.3f}")
    finally:
        if server is not None:
            server.shutdown()
        try:
            from konsey.tenants.db import db as database

            with app.app_context():
                database.session.remove()
                database.engine.dispose()
        except Exception:  # noqa: BLE001, S110 - best effort before dropping the database
            pass
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def print_plan(app, client, path: str, auth: dict, council_id: uuid.UUID) -> None:
    """EXPLAIN the member-list query exactly as the scoped endpoint sends it, as konsey_app under RLS."""
    from konsey.tenants.db import db

    captured = []
    with app.app_context():
        engine = db.engine

        def capture(conn, cursor, statement, parameters, context, executemany):
            if "FROM members" in statement and "LIMIT" in statement:
                captured.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", capture)
        try:
            client.get(f"{path}?per_page=50&page=3", headers=auth)
        finally:
            event.remove(engine, "before_cursor_execute", capture)
        statement, parameters = captured[-1]
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT set_config('konsey.council_id', %(c)s, true)", {"c": str(council_id)})
            plan = [row[0] for row in conn.exec_driver_sql("EXPLAIN " + statement, parameters)]
    print("plan of the scoped query:")
    for line in plan:
        print("  " + line)
    index_cond = [line for line in plan if "Index Cond" in line and "council_id" in line]
    print("council_id used as an index condition:", "yes" if index_cond else "NO")
    if not index_cond:
        sys.exit("the scoped query does not use an index on council_id")
    print(json.dumps({"index_condition": index_cond[0].strip()}))


if __name__ == "__main__":
    main()
