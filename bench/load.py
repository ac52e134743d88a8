#!/usr/bin/env python3
"""What the production server holds: a realistic mix of pages, API calls and ballots against a trivial endpoint.

    .venv-test/bin/python bench/load.py [--members 5000] [--councils 50] [--history 4] [--seconds 30]

Seeds, through the platform's own services (onboarding, the CSV member import, meetings called, people checked in,
ballots cast, decisions made motions): ``--councils`` councils on PostgreSQL, one of them with ``--members``
members, ``--history`` past general assemblies with two votes each, twenty executive-board meetings with ten
decisions each (made motions), and a live general assembly with 58% of the members present and twenty open votes.
Serves it with ``konsey serve --production`` (gunicorn, konsey.app.gunicorn_conf) as the restricted konsey_app
role under row-level security, and drives it with Locust in headless mode (bench/locustfile.py):

* the mix (dashboard, members page, the live desk, the public page, API lists, ballots) at 10, 50 and 100 people
  with about 5 s between a person's requests;
* the mix and the trivial endpoint (``/health``) with no think time (saturation) at 20 people.

Prints p50/p95/p99 (ms), errors and requests/s per level; last ``ratio: <mix req/s ÷ trivial req/s at
saturation>``. Results, with the date and machine, go into docs/performance.md.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchdb import bench_database
from sqlalchemy import create_engine, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
PASSWORD = "load bench password"
FIRST = ["Ayşe", "Mehmet", "Zeynep", "Ahmet", "Elif", "Mustafa", "Şule", "İsmail", "Çağla", "Ömer", "Gül", "Uğur"]
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Arslan", "Doğan", "Kılıç", "Işık", "Güneş"]


def members_csv(count: int, rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["category", "name", "gender", "neighbourhood"])
    for n in range(count):
        writer.writerow(["individual", f"{rng.choice(FIRST)} {rng.choice(LAST)} {n}",
                         rng.choice(["female", "male"]), ""])
    return out.getvalue().encode()


def seed(app, args, rng) -> dict:
    """Everything through the services; returns what the Locust people need."""
    from konsey.core import meetings, seats, votes
    from konsey.core.accounts import User, issue_token
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.meetings import AgendaItem, Attendance, Choice, MeetingKind, VoteKind
    from konsey.core.membership import Member
    from konsey.core.motions import adopt
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.member_import import import_members
    from support.world import World

    world = World(app)
    started = time.monotonic()
    big = world.council("buyuk", name="Büyükşehir Kent Konseyi")
    for index in range(args.councils - 1):
        council = world.council(f"konsey-{index:03d}")
        with app.app_context(), bound_council(council):
            import_members(members_csv(20, rng), dry_run=False)
            db.session.commit()
    user_id = world.user("sekreter@buyuk.example.org", roles={big: "administrator"}, password=PASSWORD)
    with app.app_context(), bound_council(big):
        report = import_members(members_csv(args.members, rng), dry_run=False)
        assert not report.errors, report.errors[:3]
        db.session.commit()
        print(f"  seeded {args.councils} councils and {args.members} members in {time.monotonic() - started:.0f} s",
              flush=True)
        everyone = db.session.scalars(select(Member).order_by(Member.member_no)).all()
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member in everyone[:11]:
            seats.assign_seat(board, member, seats.SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        db.session.commit()

        def sitting(body, when, items, present, votes_per_item=1, motions=False):
            meeting = meetings.schedule(body, MeetingKind.ORDINARY, f"{body.name} {when:%d.%m.%Y}", when, None,
                                        items, now=when - timedelta(days=30))
            for member in present:
                meetings.check_in(meeting, member, online=False)
            for item in db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                                           .order_by(AgendaItem.position)).all()[:votes_per_item]:
                vote = votes.open_vote(meeting, body, item, VoteKind.OPEN)
                for member in present:
                    votes.cast(vote, meeting, body, member, rng.choice([Choice.YES, Choice.YES, Choice.NO]))
                votes.close_vote(vote, meeting, body)
                if motions and vote.decision_number:
                    adopt(vote, item.title, f"{item.title}: kent için bir öneri.")
            db.session.commit()
            return meeting

        base = datetime(2026, 1, 15, 15, 0, tzinfo=UTC)
        for n in range(args.history):
            sitting(assembly, base + timedelta(days=60 * n), ["Faaliyet raporu", "Bütçe"],
                    rng.sample(everyone, int(len(everyone) * 0.55)), votes_per_item=2)
        for n in range(20):
            sitting(board, base + timedelta(days=14 * n, hours=2), [f"Öneri {n}-{i}" for i in range(10)],
                    everyone[:9], votes_per_item=10, motions=True)
        print(f"  seeded the history in {time.monotonic() - started:.0f} s", flush=True)
        starts = datetime.now(UTC) - timedelta(minutes=1)
        live = meetings.schedule(assembly, MeetingKind.ORDINARY, "Olağan Genel Kurul", starts, None,
                                 [f"Gündem {i + 1}" for i in range(20)], now=starts - timedelta(days=30))
        present = rng.sample(everyone, int(len(everyone) * 0.58))
        for member in present:
            meetings.check_in(meeting=live, member=member, online=False)
        # One vote open at a time in a meeting: its ballots come from the seats present, each once.
        first_item = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == live.id)
                                        .order_by(AgendaItem.position)).first()
        open_votes = [votes.open_vote(live, assembly, first_item, VoteKind.OPEN).id]
        db.session.commit()
        assert db.session.query(Attendance).count() > 0
        pairs = [(vote_id, member.id) for vote_id in open_votes for member in present]
        rng.shuffle(pairs)
        _record, token = issue_token(db.session.get(User, user_id), "load bench", big)
        db.session.commit()
        print(f"  seeded the live general assembly in {time.monotonic() - started:.0f} s", flush=True)
        return {"meeting": str(live.id), "token": token, "pairs": pairs}


def sign_in(host: str, email: str, password: str) -> str:
    """The secretary's session cookie (name=value), signed in through the real form."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{host}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    opener.open(f"{host}/login", urllib.parse.urlencode(
        {"csrf_token": token, "email": email, "password": password}).encode(), timeout=60).read()
    session = next(cookie for cookie in jar if cookie.name == "session")
    return f"{session.name}={session.value}"


def locust(env: dict, users: int, seconds: int, prefix: Path) -> dict:
    subprocess.run([sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",  # noqa: S603
                    "-u", str(users), "-r", str(max(users // 2, 1)), "-t", f"{seconds}s", "--host", env["LOAD_HOST"],
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                   env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds + 120)
    with open(f"{prefix}_stats.csv") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    ballots = rows.get("ballot", {}).get("Request Count", "0")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.open()))[:5]:
            print(f"    failure: {row['Name']}: {row['Error'][:160]} ×{row['Occurrences']}")
    return {"p50": float(total["50%"]), "p95": float(total["95%"]), "p99": float(total["99%"]),
            "requests": int(total["Request Count"]), "errors": int(total["Failure Count"]),
            "rps": float(total["Requests/s"]), "ballots": int(ballots), "rows": rows}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--councils", type=int, default=50)
    parser.add_argument("--history", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(11)
    with bench_database("konsey_bench_load") as database:
        return run(args, rng, database.owner, database.app, database.reader)


def run(args, rng, owner: str, app_url: str, reader: str) -> int:
    from flask_migrate import upgrade

    from konsey.app import create_app

    instance = Path(tempfile.mkdtemp(prefix="konsey-bench-load-"))
    server = None
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner,
                          "KONSEY_READER_DATABASE_URL": reader, "KONSEY_TASKS_EAGER": False,
                          "KONSEY_BROKER_URL": "memory://", "KONSEY_MAIL_BACKEND": "file", "SECRET_KEY": "bench",
                          "KONSEY_PASSWORD_HASHING": "cheapest"}, instance_path=instance)
        with app.app_context():
            upgrade(revision="heads")
        print("seeding …", flush=True)
        seeded = seed(app, args, rng)
        with create_engine(owner).begin() as conn:
            conn.execute(text("ANALYZE"))
        ballots_file = instance / "ballots.txt"
        ballots_file.write_text("".join(f"{vote} {member}\n" for vote, member in seeded["pairs"]))

        from support.services import free_port

        port = free_port()
        server_env = {**os.environ, "KONSEY_DATABASE_URL": app_url, "KONSEY_MIGRATION_DATABASE_URL": owner,
                      "KONSEY_READER_DATABASE_URL": reader, "KONSEY_SECRET_KEY": "bench",
                      "KONSEY_INSTANCE_PATH": str(instance), "KONSEY_BROKER_URL": "memory://",
                      "KONSEY_MAIL_BACKEND": "file", "KONSEY_PASSWORD_HASHING": "cheapest",
                      "KONSEY_ACCESS_LOG": str(instance / "access.log"), "KONSEY_RATELIMITS": "0"}
        server = subprocess.Popen([str(Path(sys.executable).parent / "konsey"), "serve", "--production",  # noqa: S603
                                   "--port", str(port)], env=server_env, stdout=subprocess.DEVNULL,
                                  stderr=open(instance / "server.log", "w"), start_new_session=True)  # noqa: SIM115
        host = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{host}/health", timeout=2)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        env = {**os.environ, "LOAD_HOST": host, "LOAD_SLUG": "buyuk", "LOAD_TOKEN": seeded["token"],
               "LOAD_COOKIE": sign_in(host, "sekreter@buyuk.example.org", PASSWORD),
               "LOAD_MEETING": seeded["meeting"], "LOAD_BALLOTS": str(ballots_file)}
        used = 0
        results = {}
        plan = [("10 people, ~5 s think", 10, "5", "0"), ("50 people, ~5 s think", 50, "5", "0"),
                ("100 people, ~5 s think", 100, "5", "0"), ("mix, saturation (20, no think)", 20, "0", "0"),
                ("trivial /health, saturation (20, no think)", 20, "0", "1")]
        for label, users, think, trivial in plan:
            result = locust({**env, "LOAD_THINK": think, "LOAD_TRIVIAL": trivial, "LOAD_BALLOT_START": str(used)},
                            users, args.seconds, instance / f"run-{users}-{think}-{trivial}")
            used += result["ballots"] + users  # and the ones still in flight when the run stopped
            results[label] = result
            print(f"{label:44} p50 {result['p50']:6.0f} ms  p95 {result['p95']:6.0f} ms  p99 {result['p99']:6.0f} ms"
                  f"  {result['rps']:7.1f} req/s  {result['requests']:6d} requests  {result['errors']} errors",
                  flush=True)
        saturated = results["mix, saturation (20, no think)"]
        print("per request at saturation (p50 / p95 ms):")
        for row_name, row in sorted(saturated["rows"].items()):
            if row_name != "Aggregated" and int(row["Request Count"]):
                print(f"  {row_name:32} {float(row['50%']):6.0f} / {float(row['95%']):6.0f}"
                      f"  ({row['Request Count']} requests, {row['Failure Count']} errors)")
        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}, "
              f"{args.councils} councils, {args.members} members in the big one, ballots sent {used}")
        trivial = results["trivial /health, saturation (20, no think)"]
        print(f"ratio: {saturated['rps'] / trivial['rps']:.3f}")
        return 0
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=40)


if __name__ == "__main__":
    sys.exit(main())
