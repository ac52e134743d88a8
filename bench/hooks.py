#!/usr/bin/env python3
"""What does a per-council plugin hook cost? Twenty plugins registered, the hook relay against a direct call.

    .venv/bin/python bench/hooks.py

1. The call itself: ``council_hooks().hook.konsey_quorum_rule(...)`` for a council that enabled all twenty
   registered plugins (each answers ``None``, so every implementation runs and the statutory rule applies),
   against calling the statutory rule ``meeting_quorum`` directly. Both loops run in one process, in one
   app context with the council bound, alternating rounds.
2. What a request pays: the server time of a typical page (the meeting desk, which computes the quorum and
   consults the plugins several times) for that council, against the same page for a council with no plugin
   enabled; the difference, as a share of the page, is the per-request hook overhead (target: under 5%).

Prints both and, last, ``ratio: <hook call / direct call>``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROUNDS, CALLS, PAGES = 7, 20_000, 300
PLUGINS = 20


def make_plugin(index: int):
    from konsey.pluginkit import hookimpl

    class Plugin:
        """A plugin that looks at every quorum and leaves the rule alone."""

        @hookimpl
        def konsey_quorum_rule(self, body, full_membership, bylaws, reconvened):
            return None

        @hookimpl
        def konsey_membership_eligibility(self, body, member, on):
            return None

        @hookimpl
        def konsey_navigation(self):
            return []

    Plugin.__name__ = f"BenchPlugin{index}"
    return Plugin()


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from flask_migrate import upgrade

    from conftest import World  # the tests' helpers build councils the same way the platform does
    from konsey.app import create_app
    from konsey.core import meetings, plugins
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.bylaws import parameters_on
    from konsey.core.membership import Member
    from konsey.core.rules.meetings import meeting_quorum
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    folder = Path(tempfile.mkdtemp(prefix="konsey-bench-hooks-"))
    url = f"sqlite:///{folder / 'konsey.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KONSEY_MIGRATION_DATABASE_URL": url, "TESTING": True,
                      "SECRET_KEY": "bench", "KONSEY_TASKS_EAGER": True, "WTF_CSRF_ENABLED": False,
                      "KONSEY_PASSWORD_HASHING": "cheapest"}, instance_path=folder)
    with app.app_context():
        upgrade(revision="heads")
    for index in range(PLUGINS):
        plugins.register(make_plugin(index), f"bench_{index:02d}")

    world = World(app)
    councils = {"with": world.council("kalabalik", name="Kalabalık Kent Konseyi"),
                "without": world.council("sade", province=16, name="Sade Kent Konseyi")}
    meeting_of = {}
    for key, council_id in councils.items():
        world.user(f"gs@{key}.example.org", roles={council_id: "administrator"})
        ids = [world.member(council_id, name=f"Üye {i}") for i in range(9)]
        with app.app_context(), bound_council(council_id):
            if key == "with":
                for index in range(PLUGINS):
                    plugins.enable(f"bench_{index:02d}", {})  # the bench's plugins take no settings
            board = db.session.scalar(db.select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
            for member_id in ids:
                assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
            starts = datetime.now(UTC) - timedelta(minutes=1)  # held now: check-ins open shortly before the start
            meeting = meetings.schedule(board, meetings.MeetingKind.ORDINARY, "Kurul", starts, None,
                                        ["Bütçe", "Park"], now=starts - timedelta(days=30))
            for member_id in ids[:5]:
                meetings.check_in(meeting, db.session.get(Member, member_id), online=False)
            db.session.commit()
            meeting_of[key] = meeting.id

    # 1. the call
    with app.app_context(), bound_council(councils["with"]):
        board = db.session.scalar(db.select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        bylaws = parameters_on(date.today())
        assert len(plugins.council_hooks().configs) == PLUGINS
        hook_times, direct_times = [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for _ in range(CALLS):
                answer = plugins.council_hooks().hook.konsey_quorum_rule(
                    body=board, full_membership=9, bylaws=bylaws, reconvened=False)
                needed = answer if answer is not None else meeting_quorum(9, bylaws)
            hook_times.append((time.perf_counter() - start) / CALLS)
            start = time.perf_counter()
            for _ in range(CALLS):
                needed = meeting_quorum(9, bylaws)
            direct_times.append((time.perf_counter() - start) / CALLS)
        assert needed == 5

    # 2. the page: the two councils' desks requested in alternation, so both see the same machine
    clients, paths, samples = {}, {}, {"with": [], "without": []}
    for key in ("with", "without"):
        clients[key] = app.test_client()
        clients[key].post("/login", data={"email": f"gs@{key}.example.org", "password": "correct horse battery"})
        paths[key] = f"/{'kalabalik' if key == 'with' else 'sade'}/meetings/{meeting_of[key]}"
        assert clients[key].get(paths[key]).status_code == 200
    for _ in range(PAGES):
        for key in ("with", "without"):
            start = time.perf_counter()
            response = clients[key].get(paths[key])
            samples[key].append(time.perf_counter() - start)
            assert response.status_code == 200
    page_times = {key: statistics.median(values) for key, values in samples.items()}

    hook, direct = statistics.median(hook_times), statistics.median(direct_times)
    overhead = (page_times["with"] - page_times["without"]) / page_times["without"]
    print(f"plugins registered and enabled: {PLUGINS}")
    print(f"hook call (council relay, {PLUGINS} implementations): {hook * 1e6:.2f} µs")
    print(f"direct call of the rule:                         {direct * 1e6:.2f} µs")
    print(f"meeting desk page, no plugins:  {page_times['without'] * 1e3:.2f} ms")
    print(f"meeting desk page, {PLUGINS} plugins: {page_times['with'] * 1e3:.2f} ms")
    print(f"per-request hook overhead: {overhead * 100:.1f}% of the page (target < 5%)")
    print(f"ratio: {hook / direct:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
