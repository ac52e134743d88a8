""""Today" is the council's, never the server's: a server in another zone than its councils (UTC, say) must
not move a date by a day between its midnight and theirs."""

from __future__ import annotations

import ast
import os
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BASE = "/api/v1/councils/izmir"


def test_the_platform_never_asks_the_process_for_todays_date():
    found = []
    for folder in ("platform", "plugins", "worker"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue  # a migration runs once, with no council bound
            for node in ast.walk(ast.parse(path.read_text())):  # called, or passed as a column's default
                if (isinstance(node, ast.Attribute) and node.attr == "today" and isinstance(node.value, ast.Name)
                        and node.value.id in ("date", "datetime")):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == [], "use konsey.tenants.models.council_today() (plugins: konsey.pluginkit): " + ", ".join(found)


@contextmanager
def _process_in(zone: str):
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        os.environ["TZ"] = before or "Europe/Istanbul"
        time.tzset()


def test_a_server_elsewhere_keeps_the_councils_day(world, api):
    """Run now with the process where the date differs from İstanbul's (behind it in İstanbul's morning, ahead
    of it in its afternoon): a new member joins today, not yesterday, and a mandate that ends today is still
    valid, not expired."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    istanbul = datetime.now(ZoneInfo("Europe/Istanbul"))
    today = istanbul.date()
    behind = istanbul.hour < 13  # İstanbul's morning: a zone 15 hours behind is still on yesterday
    zone = "Etc/GMT+12" if behind else "Pacific/Kiritimati"
    assert datetime.now(ZoneInfo(zone)).date() == today + timedelta(days=-1 if behind else 1)
    with _process_in(zone):
        assert datetime.now().date() != today  # the process really is on another day
        joined = admin.post(f"{BASE}/members", json={"category": "individual", "name": "Bugün Katılan"})
        assert joined.status_code == 201 and joined.json["joined_on"] == today.isoformat(), joined.json
        chamber = admin.post(f"{BASE}/members", json={"category": "professional_chamber", "name": "Mimarlar Odası",
                                                      "representative_name": "Ali Er"})
        mandate = admin.post(f"{BASE}/members/{chamber.json['id']}/representatives", json={
            "capacity": "representative", "name": "Oya Er", "mandate_letter": "2026/7",
            "mandate_expires_on": today.isoformat()})
        assert mandate.status_code == 201, mandate.json  # not "expired" on a server ahead
        assert mandate.json["valid"] is True


def test_an_instant_is_of_the_councils_day():
    from datetime import UTC

    from konsey.tenants.models import council_day

    assert str(council_day(datetime(2026, 12, 1, 22, 30, tzinfo=UTC))) == "2026-12-02"  # 01:30 in İstanbul
    assert str(council_day(datetime(2026, 12, 1, 20, 59, tzinfo=UTC))) == "2026-12-01"


def test_a_version_judged_by_a_meeting_just_after_the_councils_midnight_stays(world, api):
    """A meeting at 00:30 in İstanbul is of that day, though UTC still says the day before: the by-law version of
    that day has judged it and cannot be replaced (it was, when "judged" was counted from UTC's midnight)."""
    from support.clock import COUNCIL_ZONE, days_from_today

    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    day = days_from_today(20)
    first = admin.post(f"{BASE}/bylaws", json={"effective_from": day.isoformat(),
                                               "parameters": {"speaking_time_minutes": 4}})
    assert first.status_code == 201, first.json
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    at = datetime.combine(day, datetime.min.time(), tzinfo=COUNCIL_ZONE) + timedelta(minutes=30)
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": board, "title": "Gece yarısından sonra",
                                                   "scheduled_at": at.isoformat(), "agenda": ["Bütçe"]})
    assert meeting.status_code == 201, meeting.json
    replaced = admin.post(f"{BASE}/bylaws", json={"effective_from": day.isoformat(),
                                                  "parameters": {"speaking_time_minutes": 6}})
    assert replaced.status_code == 422 and "effective_from" in replaced.json["errors"], replaced.json
    in_force = admin.get(f"{BASE}/bylaws/in-force", query_string={"on": day.isoformat()})
    assert in_force.json["parameters"]["speaking_time_minutes"] == 4


def test_each_test_keeps_its_moment_and_the_moments_are_shared_out():
    from collections import Counter

    from support.clock import moment_of

    moments = ["2026-12-31T23:30:00+03:00", "2027-01-01T00:30:00+03:00", "2028-02-29T00:30:00+03:00"]
    ids = [f"tests/test_{n}.py::test_{n}[sqlite]" for n in range(300)]
    assert [moment_of(i, moments) for i in ids] == [moment_of(i, moments) for i in ids]  # not by the day it runs
    shares = Counter(moment_of(i, moments) for i in ids)
    assert set(shares) == set(moments) and min(shares.values()) > 60, shares
    assert moment_of(ids[0], moments[:1]) == moments[0]


def test_an_instant_is_read_back_in_utc_whatever_the_servers_zone():
    """A PostgreSQL cluster initialised in İstanbul returns its instants at +03:00: read back, they are UTC, so
    the audit chain (which hashes the instant's UTC form) holds on any server (#32's restore test found it)."""
    from datetime import UTC, datetime, timedelta, timezone

    from sqlalchemy.dialects import postgresql, sqlite

    from konsey.tenants.db import UtcDateTime, as_utc

    istanbul = datetime(2026, 12, 6, 16, 0, tzinfo=timezone(timedelta(hours=3)))
    read = UtcDateTime().process_result_value(istanbul, postgresql.dialect())
    assert read.tzinfo == UTC and read.isoformat() == "2026-12-06T13:00:00+00:00"
    assert UtcDateTime().process_result_value(datetime(2026, 12, 6, 13, 0), sqlite.dialect()).tzinfo == UTC
    assert as_utc(istanbul) == istanbul and as_utc(istanbul).utcoffset() == timedelta(0)
