"""Parallel requests on both databases: ballots are counted once each, a vote is closed once, and phones casting
while the desk closes lose no ballot answered "recorded" and slip none in after the close."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from conftest import ApiClient

BASE = "/api/v1/councils/izmir"


def _in_parallel(calls):
    """Run the calls at the same moment, one thread each; their answers in order."""
    barrier = threading.Barrier(len(calls))
    answers = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        answers[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.fixture
def open_vote(app, world):
    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    admin = ApiClient(app.test_client(), token)
    people = [str(world.member(council, name=f"Genel Kurul Üyesi {i}")) for i in range(19)]
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Bütçe"]}).json
    world.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}"
    for person in people:
        assert admin.post(f"{url}/attendance", json={"member_id": person}).status_code == 200
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item}).json
    return {"app": app, "token": token, "url": url, "vote": vote["id"], "people": people, "council": council,
            "item": item, "meeting_id": meeting["id"]}


def _client(setup):
    return ApiClient(setup["app"].test_client(), setup["token"])


def test_parallel_ballots_are_each_counted_once(open_vote):
    url, vote = open_vote["url"], open_vote["vote"]
    answers = _in_parallel([
        (lambda person=person: _client(open_vote).post(f"{url}/votes/{vote}/ballots",
                                                       json={"member_id": person, "choice": "yes"}).status_code)
        for person in open_vote["people"]])
    assert answers == [204] * 19
    counted = _client(open_vote).get(f"{url}/votes").json[0]
    assert counted["yes"] == 19 and counted["turnout"] == 19


def test_the_same_seat_voting_twice_at_once_is_a_409_not_a_500(open_vote):
    url, vote = open_vote["url"], open_vote["vote"]
    person = open_vote["people"][0]
    answers = _in_parallel([lambda: _client(open_vote).post(f"{url}/votes/{vote}/ballots",
                                                            json={"member_id": person, "choice": "yes"}).status_code]
                           * 4)
    assert sorted(answers) == [204, 409, 409, 409]
    assert _client(open_vote).get(f"{url}/votes").json[0]["yes"] == 1


def test_a_vote_closed_twice_at_once_is_closed_once(open_vote):
    url, vote = open_vote["url"], open_vote["vote"]
    for person in open_vote["people"][:12]:
        _client(open_vote).post(f"{url}/votes/{vote}/ballots", json={"member_id": person, "choice": "yes"})
    answers = _in_parallel([lambda: _client(open_vote).post(f"{url}/votes/{vote}/close", json={"confirm": True})] * 2)
    assert sorted(a.status_code for a in answers) == [200, 409]
    numbers = {a.json["decision_number"] for a in answers if a.status_code == 200}
    assert len(numbers) == 1
    assert _client(open_vote).get(f"{url}/votes").json[0]["decision_number"] in numbers


def test_one_decision_made_a_motion_twice_at_once_is_a_409(open_vote):
    url, vote = open_vote["url"], open_vote["vote"]
    for person in open_vote["people"][:12]:
        _client(open_vote).post(f"{url}/votes/{vote}/ballots", json={"member_id": person, "choice": "yes"})
    assert _client(open_vote).post(f"{url}/votes/{vote}/close", json={"confirm": True}).json["outcome"] == "adopted"
    answers = _in_parallel([lambda: _client(open_vote).post(f"{BASE}/motions", json={
        "vote_id": vote, "title": "Bütçe önergesi", "text": "Bütçenin yeniden görüşülmesi önerilir."})] * 3)
    statuses = sorted(a.status_code for a in answers)
    assert statuses.count(201) == 1 and set(statuses) <= {201, 409}, statuses
    assert len(_client(open_vote).get(f"{BASE}/motions").json) == 1


def test_two_desks_checking_the_same_person_in_at_once_keep_one_attendance(postgres_app, world):
    from sqlalchemy import func, select

    from konsey.core.meetings import Attendance
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    admin = ApiClient(postgres_app.test_client(), token)
    person = str(world.member(council, name="Aynı Kişi"))
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Bütçe"]}).json
    world.start_meeting(meeting["id"])
    url = f"{BASE}/meetings/{meeting['id']}/attendance"
    answers = _in_parallel([
        (lambda: ApiClient(postgres_app.test_client(), token).post(url, json={"member_id": person}).status_code)
        for _ in range(6)])
    assert sorted(answers) == [200] + [409] * 5
    with postgres_app.app_context(), bound_council(council):
        assert db.session.scalar(select(func.count(Attendance.id))) == 1


def _phones(setup) -> dict:
    """Passes for everyone; each person's phone page (their personal link), joined online."""
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    app = setup["app"]
    assert _client(setup).post(f"{setup['url']}/passes").status_code in (200, 201)
    with app.test_request_context(), bound_council(setup["council"]):
        links = {str(p.member_id): link_token(p) for p in db.session.scalars(db.select(MeetingPass))}
    return {person: f"/izmir/remote/{links[person]}" for person in setup["people"]}


def _opened(app, link):
    """A phone that opened its link: (the phone, its meeting page)."""
    phone = app.test_client()
    phone.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return phone, phone.get(link).headers["Location"]


@pytest.mark.parametrize("kind", ["open", "secret"])
def test_phones_casting_while_the_desk_closes_lose_no_ballot_and_add_none_after(open_vote, kind):
    """Round after round, every phone votes while the desk closes the vote: each ballot answered "recorded" is
    in the verdict, each one refused says the vote is closed, and nothing is counted after the close."""
    import random
    import time

    url, app = open_vote["url"], open_vote["app"]
    opened = {person: _opened(app, link) for person, link in _phones(open_vote).items()}
    _client(open_vote).post(f"{url}/votes/{open_vote['vote']}/close", json={"confirm": True})
    rng = random.Random(7)
    for round_number in range(6):
        vote = _client(open_vote).post(f"{url}/votes", json={"agenda_item_id": open_vote["item"], "kind": kind}).json
        delays = [rng.uniform(0, 0.03) for _ in open_vote["people"]]

        def ballot(opened, delay, vote_id=vote["id"]):
            time.sleep(delay)
            phone, page = opened
            return phone.post(f"{page}/votes/{vote_id}", data={"choice": "yes"}, headers={"X-Konsey-Fetch": "1"})

        def close(vote_id=vote["id"], delay=0.005 + 0.004 * round_number):
            time.sleep(delay)
            return _client(open_vote).post(f"{url}/votes/{vote_id}/close", json={"confirm": True})

        calls = [lambda o=opened[p], d=d: ballot(o, d) for p, d in zip(open_vote["people"], delays, strict=True)]
        *answers, closed = _in_parallel([*calls, close])
        assert closed.status_code == 200, closed.json
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {200, 409}, statuses
        recorded = statuses.count(200)
        # (the phone speaks the council's language)
        assert all("kapandı" in a.json["message"] for a in answers if a.status_code == 409), [
            a.json for a in answers if a.status_code == 409]
        assert closed.json["yes"] == recorded, (round_number, recorded, closed.json)  # the verdict's count
        shown = next(v for v in _client(open_vote).get(f"{url}/votes").json if v["id"] == vote["id"])
        assert shown["yes"] == recorded and shown["turnout"] == recorded  # and nothing after it


@pytest.mark.real_clock  # the processes meet at a moment of the real clock
def test_phones_in_other_processes_while_the_desk_closes(open_vote):
    """The same, with the phones' requests served by two other processes (as by other web workers): the
    database alone keeps the close and the ballots in order."""
    import json
    import subprocess
    import sys
    import time
    from pathlib import Path

    url, app = open_vote["url"], open_vote["app"]
    pages = _phones(open_vote)
    _client(open_vote).post(f"{url}/votes/{open_vote['vote']}/close", json={"confirm": True})
    config = {key: app.config[key] for key in (
        "SECRET_KEY", "SQLALCHEMY_DATABASE_URI", "KONSEY_MIGRATION_DATABASE_URL", "KONSEY_READER_DATABASE_URL",
        "KONSEY_BASE_URL")}
    config.update(TESTING=True, KONSEY_TASKS_EAGER=True, RATELIMIT_ENABLED=False, KONSEY_MAIL_BACKEND="file")
    support = Path(__file__).resolve().parent / "support" / "phones_process.py"
    children = [subprocess.Popen([sys.executable, str(support)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                 text=True, cwd=Path(__file__).resolve().parent) for _ in range(2)]
    try:
        for child in children:
            child.stdin.write(json.dumps({"config": config, "instance": app.instance_path}) + "\n")
            child.stdin.flush()
        for child in children:
            assert json.loads(child.stdout.readline()) == "ready"
        people = open_vote["people"]
        for round_number in range(4):
            vote = _client(open_vote).post(f"{url}/votes", json={"agenda_item_id": open_vote["item"],
                                                                 "kind": "secret" if round_number % 2 else "open"}).json
            start_at = time.time() + 0.5
            halves = [people[0::2], people[1::2]]
            for child, half in zip(children, halves, strict=True):
                ballots = [[pages[p], vote["id"], 0.012 * i] for i, p in enumerate(half)]  # over a tenth of a second
                child.stdin.write(json.dumps({"start_at": start_at, "ballots": ballots}) + "\n")
                child.stdin.flush()
            time.sleep(max(0.0, start_at - time.time()) + 0.02 + 0.02 * round_number)  # somewhere in the burst
            closed = _client(open_vote).post(f"{url}/votes/{vote['id']}/close", json={"confirm": True})
            statuses = [s for child in children for s in json.loads(child.stdout.readline())]
            assert closed.status_code == 200, closed.json
            assert set(statuses) <= {200, 409}, statuses
            assert closed.json["yes"] == statuses.count(200), (round_number, statuses, closed.json)
            shown = next(v for v in _client(open_vote).get(f"{url}/votes").json if v["id"] == vote["id"])
            assert shown["turnout"] == statuses.count(200)
    finally:
        for child in children:
            child.stdin.close()
            child.wait(timeout=30)
