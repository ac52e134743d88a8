#!/usr/bin/env python3
"""The federation's indicators for every council at once, against a naive loop over the councils.

    .venv/bin/python bench/federation.py

Seeds PostgreSQL (served as the restricted ``konsey_app`` role, row-level security on) with 1,400 councils,
700,000 members, 100,800 meetings and 50,400 motions (plus seats, by-laws and applications), then times

* **aggregate** — ``konsey.core.federation.compute()``: a handful of GROUP BY queries over all councils;
* **loop** — the same indicators one council at a time, each council bound in turn, with the platform's
  per-council queries (what one would write without thinking of the federation).

Both are checked to agree. Prints both times and, last, ``ratio: <loop/aggregate>``.
Target: the aggregate under 1 second, at least 20 times faster than the loop.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text

ADMIN_URL = os.environ.get("KONSEY_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
COUNCILS, MEMBERS_EACH, MEETING_DAYS = 1400, 500, 36

SEED = [
    f"""INSERT INTO councils (id, slug, name, province_code, municipality_id, municipality_name, municipality_type,
            contact_email, motion_delivery_address, locale, timezone, status, status_changed_at, created_at)
        SELECT gen_random_uuid(), 'konsey-' || i, 'Kent Konseyi ' || i, (i % 81) + 1, ((i % 81) + 1)::text,
               'Belediye ' || i, (ARRAY['metropolitan', 'district', 'metropolitan_district', 'town'])[i % 4 + 1],
               'k' || i || '@example.org', 'evrak' || i || '@example.org', 'tr', 'Europe/Istanbul', 'active',
               now(), now()
        FROM generate_series(1, {COUNCILS}) i""",
    """INSERT INTO bodies (id, council_id, kind, name, status, created_at)
        SELECT gen_random_uuid(), c.id, k.kind, k.name, 'active', now()
        FROM councils c CROSS JOIN (VALUES ('general_assembly', 'Genel Kurul'), ('executive_board', 'Yürütme Kurulu'),
                                           ('working_group', 'Çalışma Grubu')) k(kind, name)""",
    """INSERT INTO bylaw_profiles (id, council_id, effective_from, parameters, created_at)
        SELECT gen_random_uuid(), c.id, DATE '2026-01-01',
               '{"gender_parity_share": 0.5, "general_assembly_min_sessions_per_year": 2}'::json, now()
        FROM councils c""",
    f"""INSERT INTO members (id, council_id, member_no, kind, category, name, sort_name, gender, status, joined_on,
            created_at)
        SELECT gen_random_uuid(), c.id, n, CASE WHEN n % 10 = 0 THEN 'institutional' ELSE 'individual' END,
               CASE WHEN n % 10 = 0 THEN 'association' ELSE 'individual' END, 'Üye ' || n, 'uye ' || n,
               CASE WHEN n % 10 = 0 THEN NULL WHEN n % 3 = 0 THEN 'female' ELSE 'male' END, 'active',
               DATE '2026-01-01', now()
        FROM councils c CROSS JOIN generate_series(1, {MEMBERS_EACH}) n""",
    """INSERT INTO seats (id, council_id, body_id, member_id, role, starts_on, created_at)
        SELECT gen_random_uuid(), b.council_id, b.id, m.id, 'principal', DATE '2026-01-01', now()
        FROM bodies b JOIN members m ON m.council_id = b.council_id AND m.member_no BETWEEN 1 AND 9
        WHERE b.kind = 'executive_board'""",
    f"""INSERT INTO meetings (id, council_id, body_id, kind, title, scheduled_at, called_at, reconvened, status,
            opened_at)
        SELECT gen_random_uuid(), b.council_id, b.id, 'ordinary', 'Toplantı ' || n, now() - n * interval '9 days',
               now() - (n * 9 + 10) * interval '1 day', false, 'closed',
               CASE WHEN n % 5 <> 0 THEN now() - n * interval '9 days' END
        FROM bodies b CROSS JOIN generate_series(1, {MEETING_DAYS}) n
        WHERE b.kind IN ('general_assembly', 'executive_board')""",
    """INSERT INTO agenda_items (id, council_id, meeting_id, position, title)
        SELECT gen_random_uuid(), m.council_id, m.id, 1, 'Gündem maddesi'
        FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE b.kind = 'executive_board'""",
    """INSERT INTO votes (id, council_id, agenda_item_id, kind, opened_at, present, yes, no, abstain, outcome,
            decision_number)
        SELECT gen_random_uuid(), a.council_id, a.id, 'open', now(), 7, 6, 1, 0, 'adopted',
               '2026/' || row_number() OVER (PARTITION BY a.council_id ORDER BY a.id)
        FROM agenda_items a""",
    """INSERT INTO motions (id, council_id, number, title, text, vote_id, decision_number, status, adopted_at,
            delivered_on, answered_at)
        SELECT gen_random_uuid(), v.council_id, row_number() OVER (PARTITION BY v.council_id ORDER BY v.id),
               'Önerge', 'Metin', v.id, v.decision_number,
               (ARRAY['adopted', 'delivered', 'answered', 'answered'])[r % 4 + 1], now(),
               CASE WHEN r % 4 > 0 THEN CURRENT_DATE - (r % 90 + 31)::int END,
               CASE WHEN r % 4 > 1 THEN now() - (r % 30) * interval '1 day' END
        FROM (SELECT v.*, row_number() OVER () AS r FROM votes v) v""",
    """INSERT INTO membership_applications (id, council_id, number, kind, applicant, status, notice_version,
            consents, submitted_at, decided_at)
        SELECT gen_random_uuid(), c.id, n, 'individual', '{}'::json, 'approved', '2026-11', '[]'::json,
               now() - (n + 6) * interval '1 day', now() - n * interval '1 day'
        FROM councils c CROSS JOIN generate_series(1, 20) n""",
]


def naive(app) -> dict:
    """The same indicators, council by council, with per-council queries."""
    from collections import Counter

    from sqlalchemy import func, select

    from konsey.core.applications import MembershipApplication
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.bylaws import parameters_on
    from konsey.core.federation import MIN_PEOPLE, suppress_share
    from konsey.core.meetings import Meeting
    from konsey.core.membership import Member, MemberKind, MemberStatus
    from konsey.core.motions import ORDER, Motion, MotionStatus, is_overdue
    from konsey.core.seats import body_parity
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    today = date.today()
    out = {}
    with app.app_context():
        for council_id in db.session.scalars(select(Council.id)).all():
            with bound_council(council_id):
                members = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE,
                                                                  Member.group_body_id.is_(None))).all()
                kinds = Counter(m.kind for m in members)
                women = sum(1 for m in members if m.kind is MemberKind.INDIVIDUAL and m.gender and
                            m.gender.value == "female")
                bylaws = parameters_on(today)
                seats = women_seats = 0
                for body in db.session.scalars(select(Body).where(Body.kind != BodyKind.GENERAL_ASSEMBLY)):
                    parity = body_parity(body, today, bylaws)
                    seats, women_seats = seats + parity["seats"], women_seats + parity["women"]
                meetings = db.session.scalars(select(Meeting)).all()
                motions = db.session.scalars(select(Motion)).all()
                days = [((m.municipal_decided_on or m.answered_at.date()) - m.delivered_on).days for m in motions
                        if m.answered_at and m.delivered_on]
                waits = [(a.decided_at - a.submitted_at).total_seconds() / 86400 for a in db.session.scalars(
                    select(MembershipApplication).where(MembershipApplication.decided_at.is_not(None)))]
                individual = kinds[MemberKind.INDIVIDUAL]
                out[council_id] = {
                    "members": len(members) if len(members) >= MIN_PEOPLE else None,
                    # The same suppression rule as the platform: a share only when both sides count five or more.
                    "women_share_members": suppress_share(women, individual),
                    "women_share_decision_bodies": suppress_share(women_seats, seats),
                    "quorum_share": round(sum(1 for m in meetings if m.opened_at) / len(meetings), 3) if meetings else None,
                    "motions_adopted": len(motions),
                    "motions_answered": sum(ORDER.index(m.status) >= ORDER.index(MotionStatus.ANSWERED) for m in motions),
                    "motions_overdue": sum(is_overdue(m, today) for m in motions),
                    "median_days_to_answer": statistics.median(days) if days else None,
                    "median_days_application": round(statistics.median(waits), 1) if len(waits) >= MIN_PEOPLE else None,
                    "active_groups": db.session.scalar(select(func.count()).select_from(Body).where(
                        Body.kind == BodyKind.WORKING_GROUP)),
                }
                db.session.rollback()
    return out


def main() -> int:
    from flask_migrate import upgrade

    from konsey.app import create_app
    from konsey.core.federation import compute

    name = f"konsey_bench_federation_{os.getpid()}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner_url = admin.url.set(database=name).render_as_string(hide_password=False)
    app_url = admin.url.set(database=name, username="konsey_app", password=None).render_as_string(hide_password=False)
    reader_url = admin.url.set(database=name, username="konsey_reader", password=None).render_as_string(
        hide_password=False)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner_url,
                          "KONSEY_READER_DATABASE_URL": reader_url,
                          "KONSEY_TASKS_EAGER": True, "SECRET_KEY": "bench"},
                         instance_path=tempfile.mkdtemp(prefix="konsey-bench-federation-"))
        with app.app_context():
            upgrade(revision="heads")
        owner = create_engine(owner_url)
        start = time.perf_counter()
        with owner.begin() as conn:
            for statement in SEED:
                conn.execute(text(statement))
        with owner.connect() as conn:
            conn.execute(text("COMMIT"))
            conn.execute(text("ANALYZE"))
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                      for t in ("councils", "members", "meetings", "motions")}
        owner.dispose()
        print(f"seeded in {time.perf_counter() - start:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()))

        timings = []
        for _ in range(3):
            with app.app_context():
                start = time.perf_counter()
                aggregate = compute()
                timings.append(time.perf_counter() - start)
        aggregate_time = min(timings)
        if os.environ.get("KONSEY_BENCH_PROFILE"):
            import cProfile
            import pstats

            with app.app_context():
                cProfile.runctx("compute()", globals(), {"compute": compute}, "/tmp/federation.prof")
            pstats.Stats("/tmp/federation.prof").sort_stats("cumulative").print_stats(30)
        start = time.perf_counter()
        loop = naive(app)
        loop_time = time.perf_counter() - start

        checked = ("members", "women_share_members", "women_share_decision_bodies", "quorum_share",
                   "motions_adopted", "motions_answered", "motions_overdue", "median_days_to_answer",
                   "median_days_application")
        for council_id, values in loop.items():
            for code in checked:
                assert aggregate[council_id][code] == values[code], (code, aggregate[council_id][code], values[code])
            assert aggregate[council_id]["working_groups_active"] == values["active_groups"]
        print(f"councils: {len(aggregate)}; indicators checked equal for every council")
        print(f"aggregate (GROUP BY over all councils): {aggregate_time:.3f} s (best of 3)")
        print(f"loop (one council at a time):          {loop_time:.3f} s")
        print(f"ratio: {loop_time / aggregate_time:.1f}")
        return 0
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
