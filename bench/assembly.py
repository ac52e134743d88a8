#!/usr/bin/env python3
"""A hybrid general assembly of 1,500 members, every one of them on a phone.

    .venv-test/bin/python bench/assembly.py [--members 1500] [--spread 30] [--redis redis://127.0.0.1:6379/0]

The production set-up on this machine: PostgreSQL as the restricted konsey_app role (row-level security on),
gunicorn with konsey.app.gunicorn_conf (``konsey serve --production``), Redis, and the live service
(``konsey live``, uvicorn). Seeds a council whose general assembly has ``--members`` members and a meeting being
held, with a pass (personal link) for each. Then, from one asynchronous client process:

1. every phone opens its live stream (Server-Sent Events) and joins the meeting online (POST …/join);
2. the desk opens a vote; every phone casts one ballot at a random moment within ``--spread`` seconds, while
   every phone keeps giving its sign of life (as the page does, every 40 s);
3. the desk closes the vote; the time from the close request to each screen's first state showing the vote
   closed is taken.

Prints the phones connected and joined, ballots sent, accepted, refused and lost, the ballots' p50/p95/p99
answer time, the time all ballots took, how many screens saw the close within 1 s and the p50/p95 of that, the
counts in the database against the ballots accepted; last ``ratio: <ballots accepted ÷ ballots sent>``.
Goals (issue 16): 1,500 ballots within 60 s, p95 ≤ 500 ms, none lost or counted twice, the close on 95% of the
screens within 1 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchdb import bench_database
from sqlalchemy import create_engine, insert, select, text

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]
SECRET = "bench-assembly"


def seed(app, members: int) -> dict:
    """A council, its general assembly of ``members`` active members (in bulk), a meeting held now with two items,
    a pass for everyone; the links' tokens and the live stream key."""
    from konsey.core import live, meetings, passes
    from konsey.core.accounts import User, issue_token
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member, MemberCategory, MemberKind, MemberStatus
    from konsey.core.text import turkish_sort_key
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.world import World

    world = World(app)
    council = world.council("buyuk")
    secretary = world.user("gs@buyuk.example.org", roles={council: "administrator"})
    with app.app_context(), bound_council(council):
        db.session.execute(insert(Member), [
            {"id": uuid.uuid4(), "council_id": council, "member_no": n + 1, "kind": MemberKind.INDIVIDUAL,
             "category": MemberCategory.INDIVIDUAL, "name": f"Üye {n:05d} Çağlar",
             "sort_name": turkish_sort_key(f"Üye {n:05d} Çağlar"), "status": MemberStatus.ACTIVE,
             "joined_on": date(2025, 1, 1), "created_at": datetime.now(UTC)} for n in range(members)])
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        starts = datetime.now(UTC) + timedelta(minutes=5)
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Karma Genel Kurul", starts, None,
                                    ["Bütçe", "Park"], now=starts - timedelta(days=30))
        passes.issue(meeting)
        token = issue_token(db.session.get(User, secretary), "bench", council)[1]
        db.session.commit()
        with app.test_request_context():
            tokens = [passes.link_token(p) for p in db.session.scalars(
                select(passes.MeetingPass).where(passes.MeetingPass.meeting_id == meeting.id))]
            key = live.stream_key(meeting.id)
        items = db.session.scalars(select(meetings.AgendaItem.id).where(
            meetings.AgendaItem.meeting_id == meeting.id).order_by(meetings.AgendaItem.position)).all()
        return {"meeting": str(meeting.id), "tokens": tokens, "key": key, "api_token": token,
                "item": str(items[0]), "council": council}


async def http(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a connection of its own (as many phones do): (status, body)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = {"Host": "127.0.0.1", "Content-Length": str(len(body)), "Connection": "close", **(headers or {})}
    writer.write((f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items())
                  + "\r\n").encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    answer = await reader.read()
    writer.close()
    return status, answer.split(b"\r\n\r\n", 1)[-1]


class Screen:
    """A phone's live stream: it notes when it first sees the vote closed."""

    def __init__(self):
        self.connected = asyncio.Event()
        self.closed_seen_at: float | None = None
        self.watching_vote: str | None = None
        self.states = 0

    async def follow(self, port: int, key: str) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /meetings/{key} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
        await writer.drain()
        while (await reader.readline()) not in (b"\r\n", b""):
            pass  # the headers
        self.connected.set()
        event = None
        try:
            while line := await reader.readline():
                if line.startswith(b"event:"):
                    event = line[6:].strip()
                if not line.startswith(b"data:") or event != b"state":
                    continue  # the service's clock, keeping the connection alive
                self.states += 1
                vote = json.loads(line[5:]).get("vote")
                if (self.watching_vote and vote and vote["id"] == self.watching_vote and not vote["open"]
                        and self.closed_seen_at is None):
                    self.closed_seen_at = time.perf_counter()
        finally:
            writer.close()


async def drive(args, seeded: dict, web_port: int, live_port: int) -> dict:
    rng = random.Random(16)
    tokens = seeded["tokens"]
    screens = [Screen() for _ in tokens]
    followers = [asyncio.create_task(s.follow(live_port, seeded["key"])) for s in screens]
    await asyncio.wait_for(asyncio.gather(*(s.connected.wait() for s in screens)), 120)
    limit = asyncio.Semaphore(32)  # phones joining at the same moment (the rest wait their turn)
    fetch = {"X-Konsey-Fetch": "1", "Content-Type": "application/x-www-form-urlencoded"}

    async def join(token: str) -> int:
        async with limit:
            return (await http(web_port, "POST", f"/buyuk/remote/{token}/join", headers=fetch))[0]

    started = time.perf_counter()
    joined = await asyncio.gather(*(join(t) for t in tokens))
    join_seconds = time.perf_counter() - started
    api = {"Authorization": f"Bearer {seeded['api_token']}", "Content-Type": "application/json"}
    base = f"/api/v1/councils/buyuk/meetings/{seeded['meeting']}"
    status, body = await http(web_port, "POST", f"{base}/votes", json.dumps({"agenda_item_id": seeded["item"],
                                                                              "kind": "secret"}).encode(), api)
    assert status == 201, (status, body)
    vote_id = json.loads(body)["id"]
    for screen in screens:
        screen.watching_vote = vote_id
    answers: list[tuple[int, float]] = []
    stop_heartbeats = asyncio.Event()

    async def heartbeats(token: str) -> None:
        await asyncio.sleep(rng.uniform(0, 40))
        while not stop_heartbeats.is_set():
            await http(web_port, "POST", f"/buyuk/remote/{token}/here", headers=fetch)
            await asyncio.sleep(40)

    beating = [asyncio.create_task(heartbeats(t)) for t in tokens]

    async def ballot(token: str, at: float) -> None:
        await asyncio.sleep(at)
        choice = rng.choice(["yes", "yes", "no", "abstain"])
        sent = time.perf_counter()
        status, _body = await http(web_port, "POST", f"/buyuk/remote/{token}/votes/{vote_id}",
                                   f"choice={choice}".encode(), fetch)
        answers.append((status, time.perf_counter() - sent))

    ballots_started = time.perf_counter()
    await asyncio.gather(*(ballot(t, rng.uniform(0, args.spread)) for t in tokens))
    ballots_seconds = time.perf_counter() - ballots_started
    stop_heartbeats.set()
    for task in beating:
        task.cancel()
    await asyncio.sleep(1.5)  # the folded turnout updates go out before the close is timed
    close_sent = time.perf_counter()
    status, body = await http(web_port, "POST", f"{base}/votes/{vote_id}/close", b"{}", api)
    assert status == 200, (status, body)
    closed = json.loads(body)
    await asyncio.sleep(3)
    for task in followers:
        task.cancel()
    polling = await polling_capacity(web_port, tokens[0], fetch)
    reach = sorted(s.closed_seen_at - close_sent for s in screens if s.closed_seen_at is not None)
    return {"joined": sum(1 for s in joined if s == 200), "join_seconds": join_seconds, "answers": answers,
            "ballots_seconds": ballots_seconds, "closed": closed, "reach": reach, "screens": len(screens),
            "vote_id": vote_id, "polling": polling}


async def polling_capacity(port: int, token: str, fetch: dict, seconds: float = 10.0) -> float:
    """The other way a screen could follow the meeting: ask …/live.json again and again with If-None-Match.
    How many such unchanged answers (304) the server gives a second, 32 at a time, nothing else running."""
    path = f"/buyuk/remote/{token}/live.json"
    status, _body = await http(port, "GET", path)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    head = (await reader.read()).split(b"\r\n\r\n", 1)[0].decode()
    writer.close()
    tag = next(line.split(":", 1)[1].strip() for line in head.split("\r\n") if line.lower().startswith("etag:"))
    done = 0
    until = time.perf_counter() + seconds

    async def poller() -> None:
        nonlocal done
        while time.perf_counter() < until:
            status, _ = await http(port, "GET", path, headers={"If-None-Match": tag})
            assert status == 304, status
            done += 1

    started = time.perf_counter()
    await asyncio.gather(*(poller() for _ in range(32)))
    return done / (time.perf_counter() - started)


def wait_for(url: str, seconds: int = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 - our own server on loopback
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=1500)
    parser.add_argument("--spread", type=float, default=30.0, help="seconds over which the ballots are cast")
    parser.add_argument("--redis", default=os.environ.get("KONSEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    from flask_migrate import upgrade

    from konsey.app import create_app
    from support.services import free_port

    processes = []
    with bench_database("konsey_bench_assembly") as database:
        instance = Path(tempfile.mkdtemp(prefix="konsey-bench-assembly-"))
        try:
            app = create_app({"SQLALCHEMY_DATABASE_URI": database.app, "KONSEY_MIGRATION_DATABASE_URL": database.owner,
                              "KONSEY_READER_DATABASE_URL": database.reader, "KONSEY_BROKER_URL": "memory://",
                              "KONSEY_MAIL_BACKEND": "file", "SECRET_KEY": SECRET,
                              "KONSEY_PASSWORD_HASHING": "cheapest"}, instance_path=instance)
            with app.app_context():
                upgrade(revision="heads")
            print(f"seeding {args.members} members …", flush=True)
            seeded = seed(app, args.members)
            with create_engine(database.owner).begin() as conn:
                conn.execute(text("ANALYZE"))
            web_port, live_port = free_port(), free_port()
            env = {**os.environ, "KONSEY_DATABASE_URL": database.app, "KONSEY_MIGRATION_DATABASE_URL": database.owner,
                   "KONSEY_READER_DATABASE_URL": database.reader, "KONSEY_SECRET_KEY": SECRET,
                   "KONSEY_INSTANCE_PATH": str(instance), "KONSEY_BROKER_URL": "memory://",
                   "KONSEY_MAIL_BACKEND": "file", "KONSEY_ACCESS_LOG": str(instance / "access.log"),
                   "KONSEY_LIVE_REDIS_URL": args.redis, "KONSEY_LIVE_URL": f"http://127.0.0.1:{live_port}",
                   "KONSEY_RATELIMIT_STORAGE_URI": args.redis.rsplit("/", 1)[0] + "/1"}
            konsey = str(Path(sys.executable).parent / "konsey")
            for command in (["serve", "--production", "--port", str(web_port)], ["live", "--port", str(live_port)]):
                processes.append(subprocess.Popen([konsey, *command], env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                                                  stderr=open(instance / f"{command[0]}.log", "w"),  # noqa: SIM115
                                                  start_new_session=True))
            wait_for(f"http://127.0.0.1:{web_port}/health")
            wait_for(f"http://127.0.0.1:{live_port}/health")
            print("phones connecting …", flush=True)
            result = asyncio.run(drive(args, seeded, web_port, live_port))
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=40)

        from konsey.core.meetings import Ballot
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        with app.app_context(), bound_council(seeded["council"]):
            kept = db.session.scalar(select(db.func.count(Ballot.id)).where(Ballot.vote_id == uuid.UUID(result["vote_id"])))
        answers = result["answers"]
        accepted = sum(1 for status, _ in answers if status == 200)
        refused = sum(1 for status, _ in answers if status != 200)
        times = sorted(seconds for _, seconds in answers)
        counted = result["closed"]["yes"] + result["closed"]["no"] + result["closed"]["abstain"]
        reach = result["reach"]
        within = sum(1 for seconds in reach if seconds <= 1.0)
        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}, "
              f"{args.members} members")
        print(f"phones: {result['screens']} screens connected, {result['joined']} joined online in "
              f"{result['join_seconds']:.1f} s")
        print(f"ballots: {len(answers)} sent over {args.spread:.0f} s, {accepted} accepted, {refused} refused; all "
              f"answered within {result['ballots_seconds']:.1f} s")
        print(f"ballot answer time: p50 {statistics.median(times) * 1000:.0f} ms, "
              f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, p99 {times[int(len(times) * 0.99) - 1] * 1000:.0f} ms")
        print(f"counted: {counted} votes at the close, {kept} seats recorded as voted, {accepted} accepted "
              f"({'none lost or doubled' if counted == kept == accepted else 'MISMATCH'})")
        print(f"the close reached {len(reach)} of {result['screens']} screens; {within} "
              f"({within / result['screens']:.1%}) within 1 s; p50 {statistics.median(reach) * 1000:.0f} ms, "
              f"p95 {reach[int(len(reach) * 0.95) - 1] * 1000:.0f} ms")
        polling = result["polling"]
        print(f"polling instead (…/live.json, If-None-Match → 304): {polling:.0f} answers/s at most; "
              f"{result['screens']} screens asking every second would need {result['screens']}/s "
              f"({result['screens'] / polling:.1f}× the capacity)")
        print(f"ratio: {accepted / len(answers):.3f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
