"""Two secretaries, parallel requests: ballots are counted once each and a vote is closed once."""

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
def open_vote(postgres_app, world):
    council = world.council("izmir")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    admin = ApiClient(postgres_app.test_client(), token)
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
    return {"app": postgres_app, "token": token, "url": url, "vote": vote["id"], "people": people}


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
    answers = _in_parallel([lambda: _client(open_vote).post(f"{url}/votes/{vote}/close", json={})] * 2)
    assert sorted(a.status_code for a in answers) == [200, 409]
    numbers = {a.json["decision_number"] for a in answers if a.status_code == 200}
    assert len(numbers) == 1
    assert _client(open_vote).get(f"{url}/votes").json[0]["decision_number"] in numbers


def test_one_decision_made_a_motion_twice_at_once_is_a_409(open_vote):
    url, vote = open_vote["url"], open_vote["vote"]
    for person in open_vote["people"][:12]:
        _client(open_vote).post(f"{url}/votes/{vote}/ballots", json={"member_id": person, "choice": "yes"})
    assert _client(open_vote).post(f"{url}/votes/{vote}/close", json={}).json["outcome"] == "adopted"
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
