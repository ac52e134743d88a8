#!/usr/bin/env python3
"""A hybrid general assembly of 1,500 members: one vote from every phone, then one vote of the hall and the phones.

    .venv-test/bin/python bench/assembly.py [--members 1500] [--spread 10] [--hall 900] [--redis redis://…]

The production set-up on this machine: PostgreSQL as the restricted konsey_app role (row-level security on),
gunicorn with konsey.app.gunicorn_conf (``konsey serve --production``), Redis, and the live service
(``konsey live``, uvicorn). Seeds a council whose general assembly has ``--members`` members and a meeting being
held, with a pass for each. Every phone opens its personal link (the key goes into a cookie), follows its own
live stream (Server-Sent Events, its pass's key) and joins online, giving its sign of life as the page does.

(a) A secret vote: every phone casts one ballot at a random moment within ``--spread`` seconds. The totals at
    the close must be exactly the choices of the ballots answered "recorded".
(b) ``--hall`` members walk into the hall (checked in at the desk); an open vote: the tellers' counts of the hall
    go in, the other phones vote within ``--spread`` seconds, and the desk closes the vote halfway through their
    burst. Every ballot answered "recorded" must be in the verdict, and none refused after it; the close is timed
    from its request to each screen's first state showing it closed.

Prints both votes' ballots (sent, recorded, refused), answer times (p50/p95/p99), ballots a second, the counts
checked against what the phones were told, the close's reach (within 1 s, p50/p95), and last
``ratio: <ballots counted correctly ÷ ballots answered "recorded", over both>`` (must be 1.000).
Goals (issue 24): (a) 1,500 within 10 s with p95 ≤ 1 s; (b) the close on 95% of the screens within 1 s.
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
    from konsey.core.text import search_key, turkish_sort_key
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
             "sort_name": turkish_sort_key(f"Üye {n:05d} Çağlar"), "search_name": search_key(f"Üye {n:05d} Çağlar"), "status": MemberStatus.ACTIVE,
             "joined_on": date(2025, 1, 1), "created_at": datetime.now(UTC)} for n in range(members)])
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        starts = datetime.now(UTC) - timedelta(minutes=1)  # began: votes open at the start
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Karma Genel Kurul", starts, None,
                                    ["Bütçe", "Park"], now=starts - timedelta(days=30))
        passes.issue(meeting)
        token = issue_token(db.session.get(User, secretary), "bench", council)[1]
        db.session.commit()
        with app.test_request_context():
            held = db.session.scalars(select(passes.MeetingPass).where(passes.MeetingPass.meeting_id == meeting.id)
                                      .order_by(passes.MeetingPass.id)).all()
            phones = [{"link": passes.link_token(p), "key": live.stream_key(meeting.id, p.id),
                       "member": str(p.member_id), "code": p.code} for p in held]
        items = db.session.scalars(select(meetings.AgendaItem.id).where(
            meetings.AgendaItem.meeting_id == meeting.id).order_by(meetings.AgendaItem.position)).all()
        return {"meeting": str(meeting.id), "phones": phones, "api_token": token,
                "items": [str(i) for i in items], "council": council}


class Upstream:
    """The reverse proxy's connections to gunicorn, as nginx keeps them with ``keepalive 32`` in its upstream block
    (docs/operations.md): a request takes an idle connection if there is one, else opens one; afterwards the
    connection is kept for the next request while fewer than ``keepalive`` are idle, else closed. ``keepalive`` 0:
    a connection of its own for every request (nginx's default, HTTP/1.0 to the upstream)."""

    IDLE_SECONDS = 4.0  # below gunicorn's keep-alive (5 s): never reuse one the server is about to close

    def __init__(self, keepalive: int):
        self.keepalive = keepalive
        self.idle: list[tuple[float, asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def request(self, port: int, method: str, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        keep = self.keepalive > 0
        while self.idle:
            since, reader, writer = self.idle.pop()
            if time.monotonic() - since < self.IDLE_SECONDS and not reader.at_eof():
                break
            writer.close()
        else:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = {"Host": "127.0.0.1", "Content-Length": str(len(body)),
                "Connection": "keep-alive" if keep else "close", **headers}
        writer.write((f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items())
                      + "\r\n").encode() + body)
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        fields = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            answer = await reader.readexactly(int(fields["content-length"]))
        elif status in (204, 304):
            answer = b""
        else:
            answer, keep = await reader.read(), False
        if keep and fields.get("connection", "").lower() != "close" and len(self.idle) < self.keepalive:
            self.idle.append((time.monotonic(), reader, writer))
        else:
            writer.close()
        return status, answer


UPSTREAM = Upstream(0)


async def http(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None) -> tuple[int, bytes]:
    """One HTTP/1.1 request through the proxy's upstream connections (:class:`Upstream`): (status, body)."""
    return await UPSTREAM.request(port, method, path, body, headers or {})


async def open_link(port: int, link: str) -> tuple[str, str]:
    """The phone opens its personal link: (its meeting page, the cookie that holds the key)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET /buyuk/remote/{link} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    head = (await reader.read()).split(b"\r\n\r\n", 1)[0].decode()
    writer.close()
    fields = {}
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    return fields["location"], fields["set-cookie"].split(";", 1)[0]


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
                # Parsed only when it may be the close: 1,500 screens decoding every folded state would spend
                # the client's share of the two cores the server needs (a phone decodes its own, on its own CPU).
                if (self.closed_seen_at is not None or not self.watching_vote or b'"open":false' not in line
                        or self.watching_vote.encode() not in line):
                    continue
                vote = json.loads(line[5:]).get("vote")
                if vote and vote["id"] == self.watching_vote and not vote["open"]:
                    self.closed_seen_at = time.perf_counter()
        finally:
            writer.close()


async def drive(args, seeded: dict, web_port: int, live_port: int, hall_walks_in) -> dict:
    rng = random.Random(24)
    phones = seeded["phones"]
    limit = asyncio.Semaphore(32)  # phones doing the same thing at the same moment (the rest wait their turn)
    fetch = {"X-Konsey-Fetch": "1", "Content-Type": "application/x-www-form-urlencoded"}

    async def opened(phone: dict) -> None:
        async with limit:
            phone["page"], phone["cookie"] = await open_link(web_port, phone["link"])

    await asyncio.gather(*(opened(p) for p in phones))
    screens = [Screen() for _ in phones]
    followers = [asyncio.create_task(s.follow(live_port, p["key"])) for s, p in zip(screens, phones, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(s.connected.wait() for s in screens)), 120)

    def headers(phone: dict) -> dict:
        return {**fetch, "Cookie": phone["cookie"]}

    async def join(phone: dict) -> int:
        async with limit:
            return (await http(web_port, "POST", f"{phone['page']}/join", headers=headers(phone)))[0]

    started = time.perf_counter()
    joined = await asyncio.gather(*(join(p) for p in phones))
    join_seconds = time.perf_counter() - started
    api = {"Authorization": f"Bearer {seeded['api_token']}", "Content-Type": "application/json"}
    base = f"/api/v1/councils/buyuk/meetings/{seeded['meeting']}"
    stop_heartbeats = asyncio.Event()

    async def heartbeats(phone: dict) -> None:
        await asyncio.sleep(rng.uniform(0, 40))
        while not stop_heartbeats.is_set():
            await http(web_port, "POST", f"{phone['page']}/here", headers=headers(phone))
            await asyncio.sleep(40)

    beating = [asyncio.create_task(heartbeats(p)) for p in phones]

    async def vote(kind: str, item: str, voters: list[dict], close_after: float | None, hall: dict | None):
        status, body = await http(web_port, "POST", f"{base}/votes", json.dumps({"agenda_item_id": item,
                                                                                  "kind": kind}).encode(), api)
        assert status == 201, (status, body)
        vote_id = json.loads(body)["id"]
        for screen in screens:
            screen.watching_vote, screen.closed_seen_at = vote_id, None
        if hall:
            status, body = await http(web_port, "PUT", f"{base}/votes/{vote_id}/counts", json.dumps(hall).encode(),
                                      api)
            assert status == 200, (status, body)
        answers: list[tuple[int, float, str]] = []

        async def ballot(phone: dict, at: float) -> None:
            await asyncio.sleep(at)
            choice = rng.choice(["yes", "yes", "no", "abstain"])
            sent = time.perf_counter()
            status, _body = await http(web_port, "POST", f"{phone['page']}/votes/{vote_id}",
                                       f"choice={choice}".encode(), headers(phone))
            answers.append((status, time.perf_counter() - sent, choice))

        closing = {}

        async def close(at: float | None) -> None:
            if at is None:
                return
            await asyncio.sleep(at)
            closing["sent"] = time.perf_counter()
            closing["answer"] = await http(web_port, "POST", f"{base}/votes/{vote_id}/close",
                                           json.dumps({"confirm": True}).encode(), api)

        started = time.perf_counter()
        await asyncio.gather(close(close_after), *(ballot(p, rng.uniform(0, args.spread)) for p in voters))
        seconds = time.perf_counter() - started
        if close_after is None:
            await asyncio.sleep(1.5)  # the folded turnout updates go out before the close is timed
            closing["sent"] = time.perf_counter()
            closing["answer"] = await http(web_port, "POST", f"{base}/votes/{vote_id}/close",
                                           json.dumps({"confirm": True}).encode(), api)
        status, body = closing["answer"]
        assert status == 200, (status, body)
        await asyncio.sleep(3)
        reach = sorted(s.closed_seen_at - closing["sent"] for s in screens if s.closed_seen_at is not None)
        return {"vote_id": vote_id, "answers": answers, "seconds": seconds, "closed": json.loads(body),
                "reach": reach, "hall": hall}

    everyone = await vote("secret", seeded["items"][0], phones, None, None)
    walked_in = phones[:args.hall]
    await asyncio.to_thread(hall_walks_in, [p["member"] for p in walked_in])
    hall_counts = {"yes": args.hall // 2, "no": args.hall // 3, "abstain": args.hall - args.hall // 2 - args.hall // 3}
    mixed = await vote("open", seeded["items"][1], phones[args.hall:], args.spread / 2, hall_counts)
    stop_heartbeats.set()
    for task in beating:
        task.cancel()
    for task in followers:
        task.cancel()
    polling = await polling_capacity(web_port, phones, fetch)
    return {"joined": sum(1 for s in joined if s == 200), "join_seconds": join_seconds, "screens": len(screens),
            "votes": {"a": everyone, "b": mixed}, "polling": polling}


async def polling_capacity(port: int, phones: list[dict], fetch: dict, seconds: float = 10.0) -> float:
    """The other way a screen could follow the meeting: ask …/live.json again and again with If-None-Match.
    How many such unchanged answers (304) the server gives a second, 32 at a time, nothing else running; the
    phones take turns (each pass has its own rate limit, as each phone would)."""
    tags = {}

    async def tag_of(phone: dict) -> str:
        if phone["page"] not in tags:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {phone['page']}/live.json HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {phone['cookie']}\r\n"
                         f"Connection: close\r\n\r\n".encode())
            head = (await reader.read()).split(b"\r\n\r\n", 1)[0].decode()
            writer.close()
            tags[phone["page"]] = next(line.split(":", 1)[1].strip() for line in head.split("\r\n")
                                       if line.lower().startswith("etag:"))
        return tags[phone["page"]]

    done = 0
    until = time.perf_counter() + seconds
    turn = iter(range(10**9))

    async def poller() -> None:
        nonlocal done
        while time.perf_counter() < until:
            phone = phones[next(turn) % len(phones)]
            tag = await tag_of(phone)
            status, _ = await http(port, "GET", f"{phone['page']}/live.json",
                                   headers={"If-None-Match": tag, "Cookie": phone["cookie"]})
            assert status == 304, status
            done += 1

    phones = phones[:600]  # 600 passes: 1,200 polls a second before any of them meets its limit
    for phone in phones:
        await tag_of(phone)
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
    parser.add_argument("--spread", type=float, default=10.0, help="seconds over which the ballots are cast")
    parser.add_argument("--hall", type=int, default=900, help="members who walk into the hall for vote (b)")
    parser.add_argument("--keepalive", type=int, default=32,
                        help="idle connections the reverse proxy keeps to gunicorn (nginx's upstream keepalive); 0: "
                             "a connection per request")
    parser.add_argument("--redis", default=os.environ.get("KONSEY_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    UPSTREAM.keepalive = args.keepalive
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

            def hall_walks_in(members: list[str]) -> None:
                """They put their phones away and walk into the hall: the desk checks them in, in the room."""
                from konsey.core import meetings
                from konsey.core.membership import Member
                from konsey.tenants.db import db
                from konsey.tenants.scoping import bound_council

                with app.app_context(), bound_council(seeded["council"]):
                    meeting = db.session.get(meetings.Meeting, uuid.UUID(seeded["meeting"]))
                    for member_id in members:
                        member = db.session.get(Member, uuid.UUID(member_id))
                        meetings.check_out(meeting, member)
                        meetings.check_in(meeting, member, online=False)
                    db.session.commit()

            result = asyncio.run(drive(args, seeded, web_port, live_port, hall_walks_in))
        finally:
            for process in processes:
                if process.poll() is None:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=40)

        from konsey.core.meetings import Ballot
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        print(f"date: {date.today().isoformat()}, cores: {os.cpu_count()}, python {sys.version.split()[0]}, "
              f"{args.members} members, the proxy keeping {args.keepalive} connections to gunicorn")
        print(f"phones: {result['screens']} screens connected (each its pass's stream), {result['joined']} joined "
              f"online in {result['join_seconds']:.1f} s")
        recorded_total = correct_total = 0
        rates = []
        checks = {}
        for name, what in (("a", f"secret vote, all {args.members} phones"),
                           ("b", f"open vote, {args.hall} in the hall by counts, the other phones, closed halfway")):
            vote = result["votes"][name]
            answers = vote["answers"]
            recorded = [choice for status, _seconds, choice in answers if status == 200]
            refused = sum(1 for status, _seconds, _choice in answers if status == 409)
            failed = len(answers) - len(recorded) - refused
            times = sorted(seconds for _status, seconds, _choice in answers)
            with app.app_context(), bound_council(seeded["council"]):
                ledger = db.session.scalar(select(db.func.count(Ballot.id)).where(
                    Ballot.vote_id == uuid.UUID(vote["vote_id"]), Ballot.channel != "paper"))
            closed, hall = vote["closed"], vote["hall"] or {"yes": 0, "no": 0, "abstain": 0}
            # What the verdict counted from the phones, choice by choice, against what the phones were told.
            off = sum(abs(closed[c] - hall[c] - recorded.count(c)) for c in ("yes", "no", "abstain"))
            correct = max(0, len(recorded) - off) if ledger == len(recorded) else 0
            recorded_total += len(recorded)
            correct_total += correct
            rate = len(answers) / vote["seconds"] if vote["seconds"] else 0.0
            rates.append(rate)
            print(f"({name}) {what}:")
            print(f"    ballots: {len(answers)} sent over {args.spread:.0f} s, {len(recorded)} recorded, {refused} "
                  f"refused (closed), {failed} failed; all answered within {vote['seconds']:.1f} s "
                  f"({rate:.0f} ballots/s)")
            print(f"    answer time: p50 {statistics.median(times) * 1000:.0f} ms, "
                  f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f} ms, "
                  f"p99 {times[int(len(times) * 0.99) - 1] * 1000:.0f} ms")
            print(f"    verdict: {closed['yes']} yes, {closed['no']} no, {closed['abstain']} abstaining "
                  f"({closed['outcome']}); the hall {sum(hall.values())}, the phones' recorded choices "
                  f"{'all in it, none after' if off == 0 and ledger == len(recorded) else f'OFF BY {off}'}; "
                  f"{ledger} seats on the ledger")
            reach = vote["reach"]
            within = sum(1 for seconds in reach if seconds <= 1.0)
            checks[name] = {"p95": times[int(len(times) * 0.95) - 1], "reach": within / result["screens"],
                            "exact": off == 0 and ledger == len(recorded)}
            print(f"    the close reached {len(reach)} of {result['screens']} screens; {within} "
                  f"({within / result['screens']:.1%}) within 1 s; p50 {statistics.median(reach) * 1000:.0f} ms, "
                  f"p95 {reach[int(len(reach) * 0.95) - 1] * 1000:.0f} ms")
        polling = result["polling"]
        print(f"polling instead (…/live.json, If-None-Match → 304, no state computed): {polling:.0f} answers/s; "
              f"{result['screens']} screens asking every second would need {result['screens']}/s "
              f"({result['screens'] / polling:.1f}× that)")
        met_a = checks["a"]["exact"] and checks["a"]["p95"] <= 1.0
        met_b = checks["b"]["exact"] and checks["b"]["reach"] >= 0.95
        print(f"goal (a), every ballot cast within {args.spread:.0f} s counted once with p95 ≤ 1 s: "
              f"{'met' if met_a else 'NOT met'}; goal (b), the close exact and on 95% of the screens within 1 s: "
              f"{'met' if met_b else 'NOT met'}")
        print(f"ballots a second (a): {rates[0]:.0f}")
        print(f"ratio: {correct_total / recorded_total:.3f}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
