"""A hybrid general assembly voting from phones while its PostgreSQL primary is killed with -9 (pg_auto_failover
promotes the synchronous standby): what the test of #32 asserts and what ``bench/failover.py`` measures.

Each phone is a client of its own in a thread of its own; it opens its personal link, joins, and casts its ballot
with a key of its own, sending it again with that key after a 503 (Retry-After) as the phone page's script does,
until it is answered. The tally is read afterwards from the new primary."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from support.clients import link_tokens

BASE = "/api/v1/councils/izmir"



def assembly_with_phones(app, world, api, phones: int, council=None) -> dict:
    """İzmir's general assembly sitting now (of the ``council`` given, or a new one), ``phones`` new members of it
    each joined online from a phone; an open vote."""
    council = council or world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    members = [str(world.member(council, name=f"Üye {index:04d}")) for index in range(phones)]
    assembly = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "general_assembly")["id"]
    meeting = admin.post(f"{BASE}/meetings", json={
        "body_id": assembly, "title": "Genel Kurul", "agenda": ["Bütçe"],
        "scheduled_at": (datetime.now(UTC) + timedelta(days=20)).isoformat()}).json
    admin.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    assert admin.post(f"{url}/passes").status_code in (200, 201)
    tokens = link_tokens(app, council, meeting["id"])
    clients = []
    for member in members:  # the council's other members (a group's seat, say) follow from the hall
        phone = app.test_client()
        opened = phone.get(f"/izmir/remote/{tokens[member]}")
        page = opened.headers["Location"]
        assert phone.post(f"{page}/join", headers={"X-Konsey-Fetch": "1"}).status_code == 200
        clients.append((phone, page))
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][0]["id"], "kind": "open"})
    assert vote.status_code == 201, vote.json
    return {"council": council, "admin": admin, "url": url, "vote": vote.json["id"], "phones": clients}


def vote_through_a_failover(app, formation, assembly: dict, *, spread: float = 6.0, kill_after: float = 1.5,
                            patience: float = 180.0) -> dict:
    """Every phone casts its ballot, spread over ``spread`` seconds; ``kill_after`` seconds in, the primary dies.
    What was answered, and what the new primary counts."""
    answers: list[tuple[float, int]] = []  # (when, status) of each phone's last answer
    retried = []  # phones that met a 503 and sent their ballot again
    lock = threading.Lock()
    began = time.monotonic()

    def cast(index: int, phone, page: str) -> None:
        time.sleep(spread * index / len(assembly["phones"]))
        data = {"choice": "yes" if index % 3 else "no", "key": str(uuid.uuid4())}
        deadline = time.monotonic() + patience
        while True:
            answer = phone.post(f"{page}/votes/{assembly['vote']}", data=data, headers={"X-Konsey-Fetch": "1"})
            if answer.status_code != 503 or time.monotonic() > deadline:
                break
            time.sleep(min(float(answer.headers.get("Retry-After", "1")), 1.0))  # the page waits; here, less
            data["again"] = "1"
        with lock:
            answers.append((time.monotonic(), answer.status_code))
            if "again" in data:
                retried.append(index)

    threads = [threading.Thread(target=cast, args=(index, phone, page), daemon=True)
               for index, (phone, page) in enumerate(assembly["phones"])]
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    old = formation.primary_now()
    formation.kill(old)
    killed = time.monotonic()  # after the kill: an answer before it was the old primary's
    promoted: list[float] = []

    def watch() -> None:  # when the other took over, seen while the phones still wait
        while time.monotonic() - killed < patience:
            if formation.primary() not in (None, old):
                promoted.append(time.monotonic() - killed)
                return
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    for thread in threads:
        thread.join(timeout=patience + 30)
    watcher.join(timeout=60)
    recorded = [when for when, status in answers if status == 200]
    after_kill = [when - killed for when in recorded if when > killed]
    counted, distinct = _tally(app, assembly)
    return {"phones": len(assembly["phones"]), "recorded": len(recorded), "retried": len(retried),
            "refused": sorted(status for _when, status in answers if status != 200),
            "counted": counted, "distinct_seats": distinct, "promoted_after": promoted[0] if promoted else None,
            "first_write_after_kill": min(after_kill) if after_kill else None,
            "elapsed": time.monotonic() - began}


def _tally(app, assembly: dict) -> tuple[int, int]:
    from konsey.core.meetings import Ballot
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(assembly["council"]):
        vote_id = uuid.UUID(assembly["vote"])
        counted = db.session.scalar(select(func.count(Ballot.id)).where(Ballot.vote_id == vote_id))
        distinct = db.session.scalar(select(func.count(func.distinct(Ballot.member_id))).where(
            Ballot.vote_id == vote_id))
        return counted or 0, distinct or 0
