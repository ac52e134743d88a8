"""A hybrid meeting: passes with badge codes and personal links, online presence by the by-laws, votes and the
floor from a phone, the speakers' list, the live state and its publication."""

from __future__ import annotations

import io
import json
import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from conftest import REDIS_URL, login
from konsey.core import live_state
from konsey.core.live import LiveKeys
from support.apps import LIVE_KEY_PREFIX
from support.clock import council_today
from support.services import need_service
from support.statements import statements_sent

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def hall(request, world, api, app):
    """İzmir's executive board of four with e-mail addresses, and a substitute; a meeting being held now.
    Parametrized indirectly with by-law changes, the council adopts them on the day it joins, before any
    meeting has been judged by its first version."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    changes = getattr(request, "param", None)
    if changes:
        adopted = admin.post(f"{BASE}/bylaws", json={"effective_from": council_today().isoformat(),
                                                     "parameters": changes})
        assert adopted.status_code in (200, 201), adopted.json
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    people = {}
    for name, email in [("Ayşe Kaya", "ayse@example.org"), ("Zeynep Ak", "zeynep@example.org"),
                        ("Mehmet Er", "mehmet@example.org"), ("Can Demir", None)]:
        people[name] = str(world.member(council, name=name, **({"email": email} if email else {})))
        admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": people[name], "role": "principal",
                                                          "starts_on": "2026-01-01"})
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": board, "title": "Hibrit toplantı",
                                                   "scheduled_at": when, "agenda": ["Bütçe", "Park"]}).json
    admin.start_meeting(meeting["id"])
    return {"admin": admin, "council": council, "people": people, "meeting": meeting,
            "url": f"{BASE}/meetings/{meeting['id']}", "items": [i["id"] for i in admin.get(
                f"{BASE}/meetings/{meeting['id']}").json["agenda"]]}


def _passes(app, council, meeting_id) -> dict:
    """member id → (code, link token) of each pass of the meeting."""
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.test_request_context(), bound_council(council):
        return {str(p.member_id): (p.code, link_token(p)) for p in db.session.scalars(
            select(MeetingPass).where(MeetingPass.meeting_id == uuid.UUID(meeting_id)))}


def _phone(app, token, client=None):
    """A phone that opened its personal link: the link's key went into a cookie, and its pages are the
    meeting's (the key is in no address); (the phone, its page)."""
    client = client or app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    opened = client.get(f"/izmir/remote/{token}")
    assert opened.status_code == 303, opened.status_code
    page = opened.headers["Location"]
    assert token not in page and "/izmir/remote/m/" in page
    return client, page


# --- the pure rules --------------------------------------------------------------------------------------------


def test_the_rules_of_online_presence_and_the_floor():
    from types import SimpleNamespace

    from konsey.core.rules import meetings as rules

    bylaws = {"online_presence_counts_for": ["general_assembly"], "speaking_time_minutes": 5,
              "point_of_order_minutes": 2}
    assert rules.online_presence_counts("general_assembly", bylaws)
    assert not rules.online_presence_counts("executive_board", bylaws)
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert not rules.silent_too_long(now - timedelta(seconds=119), now, 120)
    assert rules.silent_too_long(now - timedelta(seconds=121), now, 120)
    assert not rules.silent_too_long(None, now, 120)  # no phone ever: the desk checked them in online
    asked = [SimpleNamespace(stance="for", position=1, requested_at=now),
             SimpleNamespace(stance="against", position=2, requested_at=now + timedelta(seconds=1)),
             SimpleNamespace(stance="point_of_order", position=3, requested_at=now + timedelta(seconds=2))]
    # A point of order waits its turn until the chair takes it (gives it the floor, or moves it up).
    assert [r.stance for r in rules.speaking_order(asked)] == ["for", "against", "point_of_order"]
    asked[0].position, asked[1].position = 2, 1  # the chair swapped the two
    assert [r.stance for r in rules.speaking_order(asked)] == ["against", "for", "point_of_order"]
    assert rules.speaking_limit_seconds("point_of_order", bylaws) == 120
    assert rules.speaking_limit_seconds("for", bylaws) == 300
    assert rules.speaking_time_left(now - timedelta(seconds=290), now, 300) == 10
    assert rules.speaking_time_left(now - timedelta(seconds=310), now, 300) == -10


# --- passes, badges, personal links ----------------------------------------------------------------------------


def test_passes_badges_and_a_code_checks_a_person_in(app, hall):
    from pypdf import PdfReader

    from konsey.core.passes import CODE_ALPHABET, CODE_LENGTH

    admin, url = hall["admin"], hall["url"]
    issued = admin.post(f"{url}/passes")
    assert issued.status_code == 200 and issued.json["issued"] == 4
    assert admin.post(f"{url}/passes").json["issued"] == 4  # issuing again adds nobody
    codes = {member: code for member, (code, _token) in _passes(app, hall["council"], hall["meeting"]["id"]).items()}
    assert set(codes) == set(hall["people"].values())
    assert len(set(codes.values())) == 4 and all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET)
                                                  for c in codes.values())
    badges = admin.get(f"{url}/badges.pdf")
    # The file says what it is (it was yaka-kartlari-<uuid>.pdf), and each QR code is described and tagged.
    assert "yaka-kartlari-yurutme-kurulu-" in badges.headers["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(badges.data))
    assert "/StructTreeRoot" in pdf.trailer["/Root"] and pdf.metadata.title.startswith("Yaka kartları")
    assert pdf.trailer["/Root"]["/Lang"] == "tr"
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert len(pdf.pages) == 1 and "Ayşe Kaya" in text and codes[hall["people"]["Ayşe Kaya"]][:4] in text
    # A full QR code (21 modules and a quiet zone of 2, 6 px each), never a Micro QR that phones cannot read.
    assert [image.image.size for image in pdf.pages[0].images] == [(150, 150)] * 4

    wrong = admin.post(f"{url}/attendance/by-code", json={"code": "XXXX-XXXX"})
    assert wrong.status_code == 422 and "code" in wrong.json["errors"]
    assert admin.get(url).json["quorum"]["present"] == 0  # and nothing changed
    code = codes[hall["people"]["Mehmet Er"]]
    typed = f"{code[:4].lower()} {code[4:]}"  # typed from the badge, as people type
    answer = admin.post(f"{url}/attendance/by-code", json={"code": typed})
    assert answer.status_code == 200 and answer.json["name"] == "Mehmet Er"
    assert admin.get(url).json["quorum"]["present"] == 1
    assert admin.post(f"{url}/attendance/by-code", json={"code": code}).status_code == 409  # already in


def test_links_go_by_email_and_the_phone_joins_online(app, hall, mailbox):
    from konsey.worker.relay import relay

    admin, url = hall["admin"], hall["url"]
    with app.app_context():
        while relay():  # the meeting's invitations first
            pass
    mailbox.wait_for(3)
    mailbox.clear()
    sent = admin.post(f"{url}/passes/links")
    assert sent.status_code == 202 and sent.json == {"issued": 4, "mailed": 0, "online_now": 0, "without_email": 1}
    with app.app_context():
        while relay():
            pass
    mails = mailbox.wait_for(3)
    assert sorted(m["To"] for m in mails) == ["ayse@example.org", "mehmet@example.org", "zeynep@example.org"]
    mail = next(m for m in mails if m["To"] == "ayse@example.org")
    link = re.search(r"http\S+/izmir/remote/(\S+)", mail.get_body(("plain",)).get_content())
    assert link, mail.get_body(("plain",)).get_content()
    assert admin.get(f"{url}/passes").json["mailed"] == 3
    admin.post(f"{url}/passes/links")
    with app.app_context():
        relay()
    assert len(mailbox.wait_for(4, timeout=0.5)) == 3  # each link once

    phone, page = _phone(app, link.group(1))
    opened = phone.get(page)
    assert opened.status_code == 200 and "Ayşe Kaya" in opened.get_data(as_text=True)
    assert admin.get(url).json["quorum"]["present"] == 0  # opening the link (a mail preview) checks nobody in
    joined = phone.post(f"{page}/join", headers={"X-Konsey-Fetch": "1"})
    assert joined.status_code == 200, joined.json
    assert admin.get(url).json["quorum"]["present"] == 1
    assert admin.get(f"{url}/passes").json["online_now"] == 1
    assert 'data-state="online"' in phone.get(page).get_data(as_text=True)
    assert phone.post(f"{page}/here").json == {"in_meeting": True}
    assert phone.post(f"{page}/leave").status_code == 302
    assert admin.get(url).json["quorum"]["present"] == 0
    assert phone.post(f"{page}/here").json == {"in_meeting": False}  # who left stays out
    again = phone.get(page).get_data(as_text=True)
    assert 'data-testid="join"' in again and "data-auto-join" not in again  # and is not joined again by the page


def test_a_silent_phone_is_checked_out_and_comes_back_with_its_next_sign(app, hall):
    from konsey.core.passes import MeetingPass
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    admin, url = hall["admin"], hall["url"]
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    for name in ("Ayşe Kaya", "Zeynep Ak"):
        phone, page = _phone(app, tokens[hall["people"][name]][1])
        assert phone.post(f"{page}/join").status_code == 302
    assert admin.get(url).json["quorum"]["present"] == 2
    # Mehmet follows on a video call: the desk checks him in as online; his link was never opened.
    admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Mehmet Er"], "online": True})
    with app.app_context(), bound_council(hall["council"]):  # Zeynep joined 5 minutes ago; silent for 3
        from konsey.core.meetings import Attendance

        zeynep = uuid.UUID(hall["people"]["Zeynep Ak"])
        db.session.execute(Attendance.__table__.update().where(Attendance.member_id == zeynep).values(
            arrived_at=datetime.now(UTC) - timedelta(minutes=5)))
        db.session.execute(MeetingPass.__table__.update().where(MeetingPass.member_id == zeynep).values(
            last_seen_at=datetime.now(UTC) - timedelta(minutes=3)))
        db.session.commit()
    with app.app_context(), acting_as(SYSTEM):
        assert system.check_out_silent_participants() == 1
    assert admin.get(url).json["quorum"]["present"] == 2  # Ayşe and Mehmet
    phone, page = _phone(app, tokens[hall["people"]["Zeynep Ak"]][1])
    assert phone.post(f"{page}/here").json == {"in_meeting": True}  # the connection is back
    assert admin.get(url).json["quorum"]["present"] == 3
    with app.app_context(), acting_as(SYSTEM):
        assert system.check_out_silent_participants() == 0
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(admin.get(f"{url}/minutes.pdf").data)).pages)
    attendance = text.split("Absent")[0]
    assert attendance.count("Zeynep Ak") == 1 and "Present (3, of them online 3)" in attendance  # once, however often


@pytest.mark.parametrize("hall", [{"online_presence_counts_for": ["general_assembly"]}], indirect=True)
def test_the_bylaws_say_whether_online_presence_counts(app, hall):
    admin, url = hall["admin"], hall["url"]
    # The meeting sitting today was judged by today's version: that version stays as it is.
    again = admin.post(f"{BASE}/bylaws", json={"effective_from": council_today().isoformat(),
                                               "parameters": {"online_presence_counts_for": []}})
    assert again.status_code == 422 and "effective_from" in again.json["errors"]
    tomorrow = (council_today() + timedelta(days=1)).isoformat()
    bad = admin.post(f"{BASE}/bylaws", json={"effective_from": tomorrow,
                                             "parameters": {"online_presence_counts_for": ["everyone"]}})
    assert bad.status_code == 422 and "online_presence_counts_for" in json.dumps(bad.json["errors"])
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    for name in ("Ayşe Kaya", "Zeynep Ak", "Mehmet Er"):
        phone, page = _phone(app, tokens[hall["people"][name]][1])
        phone.post(f"{page}/join")
    quorum = admin.get(url).json["quorum"]
    assert quorum["present"] == 0 and not quorum["quorum_met"]  # three online, none counted on the board
    assert admin.get(f"{url}/live").json["quorum"]["online"] == 3
    admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})
    assert admin.get(url).json["quorum"]["present"] == 1
    phone, page = _phone(app, tokens[hall["people"]["Ayşe Kaya"]][1])
    assert 'data-testid="observer"' in phone.get(page).get_data(as_text=True)
    # Ayşe walks into the room: her badge moves her from online to present, and she counts.
    admin.post(f"{url}/attendance/by-code", json={"code": tokens[hall["people"]["Ayşe Kaya"]][0]})
    assert admin.get(url).json["quorum"]["present"] == 2
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(admin.get(f"{url}/minutes.pdf").data)).pages)
    present, followed = text.split("Followed online, not counted under the by-laws (2):")
    assert "Present (2, of them online 0)" in present and "Ayşe Kaya" in present  # only her time in the room counts
    assert "Zeynep Ak" in followed and "Mehmet Er" in followed and "Zeynep Ak" not in present


def test_votes_from_phones_open_roll_call_and_secret(app, hall):
    from konsey.core.meetings import Ballot
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    phones = {}
    for name in ("Ayşe Kaya", "Zeynep Ak", "Mehmet Er"):
        phone, page = _phone(app, tokens[people[name]][1])
        phone.post(f"{page}/join")
        phones[name] = (phone, page)
    for kind, choices in (("open", ("yes", "yes", "no")), ("roll_call", ("no", "no", "yes")),
                          ("secret", ("yes", "no", "yes"))):
        vote = admin.post(f"{url}/votes", json={"agenda_item_id": hall["items"][0], "kind": kind}).json
        for (phone, page), choice in zip(phones.values(), choices, strict=True):
            answer = phone.post(f"{page}/votes/{vote['id']}", data={"choice": choice},
                                headers={"X-Konsey-Fetch": "1"})
            assert answer.status_code == 200, answer.json
        phone, page = phones["Ayşe Kaya"]
        again = phone.post(f"{page}/votes/{vote['id']}", data={"choice": "no"}, headers={"X-Konsey-Fetch": "1"})
        assert again.status_code == 409 and again.json["message"]  # one ballot per seat
        bad = phone.post(f"{page}/votes/{vote['id']}", data={"choice": "maybe"}, headers={"X-Konsey-Fetch": "1"})
        assert bad.status_code == 422
        shown = next(v for v in admin.get(f"{url}/votes").json if v["id"] == vote["id"])
        live = admin.get(f"{url}/live").json["vote"]
        if kind == "secret":
            assert shown["yes"] is None and live["yes"] is None and live["turnout"] == 3  # only at close
            with app.app_context(), bound_council(hall["council"]):
                kept = db.session.scalars(select(Ballot.choice).where(Ballot.vote_id == uuid.UUID(vote["id"]))).all()
            assert kept == [None, None, None]  # who voted is kept; how, never
        else:
            assert (shown["yes"], shown["no"]) == (choices.count("yes"), choices.count("no"))
        closed = admin.post(f"{url}/votes/{vote['id']}/close", json={}).json
        assert (closed["yes"], closed["no"]) == (choices.count("yes"), choices.count("no"))
        assert admin.get(f"{url}/live").json["vote"]["outcome"] == closed["outcome"]


def test_the_speakers_list_from_phones_and_the_desk_and_the_minutes(app, hall):
    from pypdf import PdfReader

    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    phone, page = _phone(app, tokens[people["Ayşe Kaya"]][1])
    outside = phone.post(f"{page}/floor", data={"stance": "for"}, headers={"X-Konsey-Fetch": "1"})
    assert outside.status_code == 422  # not in the meeting yet
    phone.post(f"{page}/join")
    assert phone.post(f"{page}/floor", data={"stance": "for"}, headers={"X-Konsey-Fetch": "1"}).status_code == 200
    assert phone.post(f"{page}/floor", data={"stance": "against"},
                      headers={"X-Konsey-Fetch": "1"}).status_code == 409  # once on the list
    admin.post(f"{url}/attendance", json={"member_id": people["Can Demir"]})
    admin.post(f"{url}/attendance", json={"member_id": people["Mehmet Er"]})
    against = admin.post(f"{url}/speakers", json={"member_id": people["Can Demir"], "stance": "against"})
    assert against.status_code == 201
    order = admin.post(f"{url}/speakers", json={"member_id": people["Mehmet Er"], "stance": "point_of_order"}).json
    absent = admin.post(f"{url}/speakers", json={"member_id": people["Zeynep Ak"]})
    assert absent.status_code == 422 and "member_id" in absent.json["errors"]
    listed = admin.get(f"{url}/speakers").json
    assert [r["member_id"] for r in listed["queue"]] == [people["Ayşe Kaya"], people["Can Demir"], people["Mehmet Er"]]
    assert listed["item"]["title"] == "Bütçe" and listed["speaking"] is None
    assert admin.post(f"{url}/speakers/{against.json['id']}/move", json={"direction": "up"}).status_code == 204
    assert [r["member_id"] for r in admin.get(f"{url}/speakers").json["queue"]][:2] == [people["Can Demir"],
                                                                                        people["Ayşe Kaya"]]
    assert admin.post(f"{url}/speakers/{order['id']}/floor").status_code == 200  # the chair takes the point
    live = admin.get(f"{url}/live").json
    assert live["speaker"]["name"] == "Mehmet Er" and live["speaker"]["limit_seconds"] == 120
    assert [r["name"] for r in live["queue"]] == ["Can Demir", "Ayşe Kaya"]
    assert admin.post(f"{url}/speakers/{against.json['id']}/floor").status_code == 200  # Mehmet stops
    assert admin.post(f"{url}/speakers/current/stop").status_code == 200
    assert admin.post(f"{url}/speakers/current/stop").status_code == 409  # nobody has the floor
    assert phone.post(f"{page}/floor/withdraw").status_code == 302
    assert admin.get(f"{url}/speakers").json["queue"] == []
    # The next item: the list is that item's.
    assert admin.put(f"{url}/current-item", json={"agenda_item_id": hall["items"][1]}).status_code == 200
    assert admin.get(f"{url}/live").json["item"]["title"] == "Park"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(admin.get(f"{url}/minutes.pdf").data)).pages)
    speakers_part = text.split("Bütçe")[1].split("Park")[0]
    assert "Mehmet Er" in speakers_part and "Can Demir" in speakers_part and "Ayşe Kaya" not in speakers_part
    assert "online 1" in text  # one of those present attended online


def test_the_live_state_answers_304_while_nothing_changed(app, hall):
    admin, url = hall["admin"], hall["url"]
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    page = f"/izmir/meetings/{hall['meeting']['id']}/live.json"
    first = client.get(page)
    assert first.status_code == 200 and first.json["quorum"]["present"] == 0 and first.json["now"]
    tag = first.headers["ETag"]
    assert client.get(page, headers={"If-None-Match": tag}).status_code == 304
    admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})
    changed = client.get(page, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.json["quorum"]["present"] == 1
    api_first = admin.get(f"{url}/live")
    assert admin.get(f"{url}/live", headers={"If-None-Match": api_first.headers["ETag"]}).status_code == 304


def test_a_meeting_of_one_council_is_not_reached_from_another(app, hall, world, api):
    admin, url = hall["admin"], hall["url"]
    admin.post(f"{url}/passes")
    token = next(iter(_passes(app, hall["council"], hall["meeting"]["id"]).values()))[1]
    other = world.council("ankara", province=6)
    stranger = api(world.token(world.user("gs@ankara.example.org", roles={other: "administrator"}), other))
    client = app.test_client()
    assert client.get(f"/ankara/remote/{token}").status_code == 404  # İzmir's link under Ankara's address
    holder, page = _phone(app, token)
    assert holder.post(page.replace("/izmir/", "/ankara/") + "/join").status_code == 404
    assert client.get(f"/izmir/remote/{token}x").status_code == 404  # a mangled link
    assert client.post(f"{page}/join").status_code == 404  # the meeting's pages without the link's cookie
    theirs = f"/api/v1/councils/ankara/meetings/{hall['meeting']['id']}"
    for method, path, body in (("get", "/passes", None), ("post", "/passes", None), ("get", "/speakers", None),
                               ("get", "/live", None), ("get", "/badges.pdf", None),
                               ("post", "/attendance/by-code", {"code": "ABCDEFGH"}),
                               ("put", "/current-item", {"agenda_item_id": hall["items"][0]}),
                               ("put", "/stream", {"stream_url": "https://example.org/s"})):
        answer = getattr(stranger, method)(theirs + path, **({"json": body} if body else {}))
        assert answer.status_code == 404, (method, path, answer.status_code)
    assert admin.get(f"{url}/passes").json["issued"] == 4


def test_a_change_is_published_for_the_live_service(app, hall):
    need_service("Redis", _redis_up(), "start redis-server; live publishing tests skipped")
    import redis

    admin, url = hall["admin"], hall["url"]
    subscriber = redis.Redis.from_url(REDIS_URL).pubsub()
    subscriber.subscribe(LiveKeys(LIVE_KEY_PREFIX).channel(hall["meeting"]["id"]))
    subscriber.get_message(timeout=1)  # the subscription's confirmation
    app.config["KONSEY_LIVE_REDIS_URL"] = REDIS_URL
    try:
        admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})
        message = subscriber.get_message(timeout=5)
        refused = admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})
        assert refused.status_code == 409
        nothing = subscriber.get_message(timeout=0.5)  # a refused change publishes nothing
    finally:
        app.config["KONSEY_LIVE_REDIS_URL"] = None
        subscriber.close()
    published = json.loads(message["data"])
    assert published["urgent"] is False and published["state"]["quorum"]["present"] == 1
    assert nothing is None
    # A state read earlier but published later never replaces a newer one.
    from konsey.core.live import PUBLISH_IF_NEWER

    client = redis.Redis.from_url(REDIS_URL)
    meeting_id = hall["meeting"]["id"]
    names = LiveKeys(LIVE_KEY_PREFIX)
    keys = (names.state(meeting_id), names.channel(meeting_id), names.version(meeting_id))
    stale = json.dumps({"urgent": True, "state": {**published["state"], "version": published["state"]["version"] - 1}})
    assert client.eval(PUBLISH_IF_NEWER, 3, *keys, published["state"]["version"] - 1, stale) == 0
    kept = json.loads(client.hget(keys[0], "message"))
    assert kept["state"]["version"] == published["state"]["version"]


def _redis_up() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def live_service(tmp_path):
    """The live service as production runs it (`konsey live`, uvicorn), on a free port, with the tests' secret."""
    import os
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    from support.services import free_port

    need_service("Redis", _redis_up(), "start redis-server; live service tests skipped")
    port = free_port()
    env = {**os.environ, "KONSEY_SECRET_KEY": "test-secret", "KONSEY_LIVE_REDIS_URL": REDIS_URL,
           "KONSEY_INSTANCE_PATH": str(tmp_path), "KONSEY_LIVE_COALESCE_SECONDS": "0.2",
           "KONSEY_LIVE_KEY_PREFIX": LIVE_KEY_PREFIX}
    process = subprocess.Popen([str(Path(sys.executable).parent / "konsey"), "live", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/health", timeout=1).read()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the live service did not start: {process.stderr.read()!r}") from None
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(timeout=20)


class _Screen:
    """A screen following a meeting's event stream (what EventSource does, read line by line)."""

    def __init__(self, url: str):
        import http.client
        import urllib.parse

        parts = urllib.parse.urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        self.connection.request("GET", parts.path, headers={"Accept": "text/event-stream"})
        self.response = self.connection.getresponse()

    def next_state(self) -> dict:
        event = None
        while True:
            line = self.response.fp.readline().decode().rstrip("\n")
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event == "state":
                return json.loads(line.split(":", 1)[1])

    def close(self):
        self.connection.close()


@pytest.mark.real_clock  # the service checks the stream key against its own clock
def test_the_live_service_pushes_each_change_to_the_screens(app, hall, live_service):
    import time
    import urllib.request

    from konsey.core.live import stream_key

    admin, url = hall["admin"], hall["url"]
    with app.test_request_context():
        key = stream_key(uuid.UUID(hall["meeting"]["id"]))
    # The signature's first character changed (its last ones may carry only padding bits: "…xw" and "…xx" can
    # decode to the same signature, and this test once passed a forged key that way).
    signed, signature = key.rsplit(".", 1)
    forged = urllib.request.Request(
        f"{live_service}/meetings/{signed}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=5)
    assert refused.value.code == 404
    app.config["KONSEY_LIVE_REDIS_URL"] = REDIS_URL
    screens = []
    try:
        admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})  # stored as the latest
        screens = [_Screen(f"{live_service}/live/meetings/{key}") for _ in range(3)]
        assert [s.next_state()["quorum"]["present"] for s in screens] == [1, 1, 1]  # a new screen starts current
        health = json.loads(urllib.request.urlopen(f"{live_service}/health", timeout=5).read())
        assert health["screens"] == 3
        for name in ("Ayşe Kaya", "Zeynep Ak"):
            admin.post(f"{url}/attendance", json={"member_id": hall["people"][name]})
        # Check-ins are folded: the screens get the latest (three present), perhaps after one in between.
        seen = [s.next_state()["quorum"]["present"] for s in screens]
        seen = [p if p == 3 else s.next_state()["quorum"]["present"] for p, s in zip(seen, screens, strict=True)]
        assert seen == [3, 3, 3]
        vote = admin.post(f"{url}/votes", json={"agenda_item_id": hall["items"][0]}).json
        assert all(s.next_state()["vote"]["open"] for s in screens)
        admin.put(f"{url}/votes/{vote['id']}/counts", json={"yes": 3, "no": 0, "abstain": 0})
        started = time.monotonic()
        admin.post(f"{url}/votes/{vote['id']}/close", json={})
        results = []
        for screen in screens:
            state = screen.next_state()
            while state["vote"]["open"]:  # a folded count update may come first
                state = screen.next_state()
            results.append(state["vote"]["outcome"])
        assert results == ["adopted"] * 3 and time.monotonic() - started < 5

        # A phone's stream address belongs to its pass: a new pass ends the stream and the old address.
        from konsey.core.passes import MeetingPass
        from konsey.tenants.db import db
        from konsey.tenants.scoping import bound_council

        admin.post(f"{url}/passes")
        ayse = hall["people"]["Ayşe Kaya"]
        with app.test_request_context(), bound_council(hall["council"]):
            old_pass = db.session.scalar(select(MeetingPass.id).where(MeetingPass.member_id == uuid.UUID(ayse)))
            phone_key = stream_key(uuid.UUID(hall["meeting"]["id"]), old_pass)
        phone_screen = _Screen(f"{live_service}/live/meetings/{phone_key}")
        screens.append(phone_screen)
        assert phone_screen.next_state()["vote"]["outcome"] == "adopted"
        assert admin.post(f"{url}/passes/{ayse}").status_code == 201
        assert phone_screen.response.fp.read() is not None  # the stream ends (read returns at its end)
        with pytest.raises(urllib.error.HTTPError) as dead:
            urllib.request.urlopen(f"{live_service}/live/meetings/{phone_key}", timeout=5)
        assert dead.value.code == 404
    finally:
        app.config["KONSEY_LIVE_REDIS_URL"] = None
        for screen in screens:
            screen.close()


def test_the_phone_needs_no_csrf_token_but_the_desk_does(app, hall):
    admin, url = hall["admin"], hall["url"]
    admin.post(f"{url}/passes")
    token = _passes(app, hall["council"], hall["meeting"]["id"])[hall["people"]["Ayşe Kaya"]][1]
    desk = app.test_client()
    login(desk, "gs@izmir.example.org")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        phone, page = _phone(app, token)
        assert phone.post(f"{page}/join", headers={"X-Konsey-Fetch": "1"}).status_code == 200
        assert "session" not in {cookie.key for cookie in phone._cookies.values()}  # the phone keeps no session
        refused = desk.post(f"/izmir/meetings/{hall['meeting']['id']}/attendance/by-code", data={"code": "ABCD"})
        assert refused.status_code == 400  # a signed-in desk's form still needs its token
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert admin.get(url).json["quorum"]["present"] == 1


def test_the_stream_link_is_shown_on_the_phones(app, hall):
    admin, url = hall["admin"], hall["url"]
    bad = admin.put(f"{url}/stream", json={"stream_url": "javascript:alert(1)"})
    assert bad.status_code == 422 and "stream_url" in bad.json["errors"]
    assert admin.put(f"{url}/stream", json={"stream_url": "https://video.example.org/izmir"}).status_code == 200
    admin.post(f"{url}/passes")
    token = next(iter(_passes(app, hall["council"], hall["meeting"]["id"]).values()))[1]
    phone, page = _phone(app, token)
    assert 'href="https://video.example.org/izmir"' in phone.get(page).get_data(as_text=True)
    assert admin.get(f"{url}/live").json["stream_url"] == "https://video.example.org/izmir"
    assert admin.put(f"{url}/stream", json={"stream_url": None}).status_code == 200
    assert "video.example.org" not in phone.get(page).get_data(as_text=True)


def test_a_new_pass_ends_the_old_link_and_badge(app, hall, mailbox):
    from konsey.worker.relay import relay

    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    old_code, old_token = _passes(app, hall["council"], hall["meeting"]["id"])[people["Ayşe Kaya"]]
    with app.app_context():
        while relay():
            pass
    mailbox.clear()
    old_phone, old_page = _phone(app, old_token)
    old_phone.post(f"{old_page}/join")
    assert admin.get(url).json["quorum"]["present"] == 1
    answer = admin.post(f"{url}/passes/{people['Ayşe Kaya']}")
    assert answer.status_code == 201 and answer.json["issued"] == 4
    new_code, new_token = _passes(app, hall["council"], hall["meeting"]["id"])[people["Ayşe Kaya"]]
    assert admin.get(url).json["quorum"]["present"] == 0  # whoever held the old link is no longer counted
    assert new_code != old_code and new_token != old_token
    client = app.test_client()
    assert client.get(f"/izmir/remote/{old_token}").status_code == 404
    assert old_phone.post(f"{old_page}/join").status_code == 404  # the old page's cookie holds a dead key
    assert old_phone.get(old_page).status_code == 404
    stale = admin.post(f"{url}/attendance/by-code", json={"code": old_code})
    assert stale.status_code == 422 and "code" in stale.json["errors"]
    with app.app_context():
        while relay():
            pass
    mail = mailbox.wait_for(1)
    assert [m["To"] for m in mail] == ["ayse@example.org"] and new_token in mail[0].get_body(("plain",)).get_content()
    new_phone, new_page = _phone(app, new_token)
    assert new_phone.post(f"{new_page}/join").status_code == 302
    assert admin.get(url).json["quorum"]["present"] == 1
    stranger = str(uuid.uuid4())
    assert admin.post(f"{url}/passes/{stranger}").status_code == 422  # nobody of this council


def test_a_stream_key_opens_one_meeting_for_a_day(monkeypatch):
    import time

    from konsey.core import live

    meeting_id, pass_id = uuid.uuid4(), uuid.uuid4()
    key = live._signer("secret").dumps([str(meeting_id), ""])
    assert live.meeting_of_key("secret", key) == (str(meeting_id), None)
    phone = live._signer("secret").dumps([str(meeting_id), str(pass_id)])
    assert live.meeting_of_key("secret", phone) == (str(meeting_id), str(pass_id))  # a phone's names its pass
    assert live.meeting_of_key("secret", live._signer("secret").dumps(str(meeting_id))) is None  # an old form
    assert live.meeting_of_key("another secret", key) is None
    signed, signature = key.rsplit(".", 1)  # a signature's first character, never only its padding bits
    assert live.meeting_of_key("secret", f"{signed}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}") is None
    later = time.time() + 25 * 3600
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert live.meeting_of_key("secret", key) is None  # a day later: the screen polls instead


def test_a_failure_to_tell_the_screens_never_fails_what_was_committed(app, hall, monkeypatch):
    need_service("Redis", _redis_up(), "start redis-server; live publishing tests skipped")
    from sqlalchemy import text

    from konsey.tenants.db import db

    def broken(meeting):
        db.session.execute(text("SELECT * FROM no_such_table"))  # a failed statement in the open transaction

    admin, url = hall["admin"], hall["url"]
    monkeypatch.setattr(live_state, "state", broken)
    app.config["KONSEY_LIVE_REDIS_URL"] = REDIS_URL
    try:
        answer = admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})
    finally:
        app.config["KONSEY_LIVE_REDIS_URL"] = None
    assert answer.status_code == 200 and answer.json["quorum"]["present"] == 1
    monkeypatch.undo()
    assert admin.get(url).json["quorum"]["present"] == 1


def test_before_the_sitting_the_phone_says_when_it_opens(app, world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    member = str(world.member(council, name="Ayşe Kaya", email="ayse@example.org"))
    admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": member, "role": "principal", "starts_on": "2026-01-01"})
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": board, "title": "Sonraki toplantı", "scheduled_at": when,
                                                   "agenda": ["Bütçe"]}).json
    admin.post(f"{BASE}/meetings/{meeting['id']}/passes")
    token = _passes(app, council, meeting["id"])[member][1]
    phone, page = _phone(app, token)
    shown = phone.get(page).get_data(as_text=True)
    assert 'data-testid="opens-at"' in shown and "data-auto-join" not in shown and 'data-testid="join"' not in shown
    early = phone.post(f"{page}/join", headers={"X-Konsey-Fetch": "1"})
    assert early.status_code == 409 and early.json["message"]  # asked anyway: refused, with when
    assert admin.get(f"{BASE}/meetings/{meeting['id']}").json["quorum"]["present"] == 0


def test_the_desk_keeps_out_whom_it_checked_out_and_a_closed_meeting_stays_as_it_was(app, hall):
    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    phone, page = _phone(app, tokens[people["Ayşe Kaya"]][1])
    assert phone.post(f"{page}/join").status_code == 302
    assert phone.post(f"{page}/floor", data={"stance": "for"}, headers={"X-Konsey-Fetch": "1"}).status_code == 200
    # The desk checks her out: she leaves the speakers' list, and her phone does not bring her back.
    assert admin.delete(f"{url}/attendance/{people['Ayşe Kaya']}").status_code == 200
    assert admin.get(f"{url}/speakers").json["queue"] == []
    assert phone.post(f"{page}/here").json == {"in_meeting": False}
    refused = phone.post(f"{page}/join", headers={"X-Konsey-Fetch": "1"})
    assert refused.status_code == 409 and "divan" in refused.json["message"].lower()  # the council speaks Turkish
    shown = phone.get(page).get_data(as_text=True)
    assert 'data-testid="held-out"' in shown and "data-auto-join" not in shown
    assert admin.get(url).json["quorum"]["present"] == 0
    # The desk lets her back: she is in, and her phone may rejoin after leaving by itself.
    admin.post(f"{url}/attendance", json={"member_id": people["Ayşe Kaya"], "online": True})
    assert phone.post(f"{page}/here").json == {"in_meeting": True}
    # Leaving from the phone takes her off the list too.
    phone.post(f"{page}/floor", data={"stance": "against"}, headers={"X-Konsey-Fetch": "1"})
    assert len(admin.get(f"{url}/speakers").json["queue"]) == 1
    assert phone.post(f"{page}/leave").status_code == 302
    assert admin.get(f"{url}/speakers").json["queue"] == []
    assert phone.post(f"{page}/join").status_code == 302  # leaving by herself did not lock her out

    admin.post(f"{url}/attendance", json={"member_id": people["Can Demir"]})
    assert admin.post(f"{url}/close").status_code == 200
    attendance_before = admin.get(url).json["quorum"]
    gone = phone.post(f"{page}/leave", headers={"X-Konsey-Fetch": "1"})
    assert gone.status_code == 409  # a closed meeting's record changes no more
    assert admin.delete(f"{url}/attendance/{people['Can Demir']}").status_code == 409
    assert phone.post(f"{page}/here").json == {"in_meeting": False}
    assert admin.get(url).json["quorum"] == attendance_before


def test_a_silent_phone_leaves_the_speakers_list(app, hall):
    from konsey.core.passes import MeetingPass
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    phone, page = _phone(app, tokens[people["Zeynep Ak"]][1])
    phone.post(f"{page}/join")
    phone.post(f"{page}/floor", data={"stance": "for"}, headers={"X-Konsey-Fetch": "1"})
    with app.app_context(), bound_council(hall["council"]):
        db.session.execute(MeetingPass.__table__.update().where(
            MeetingPass.member_id == uuid.UUID(people["Zeynep Ak"])).values(
            last_seen_at=datetime.now(UTC) + timedelta(seconds=1) - timedelta(minutes=10)))
        from konsey.core.meetings import Attendance

        db.session.execute(Attendance.__table__.update().where(
            Attendance.member_id == uuid.UUID(people["Zeynep Ak"])).values(
            arrived_at=datetime.now(UTC) - timedelta(minutes=20)))
        db.session.commit()
    with app.app_context(), acting_as(SYSTEM):
        assert system.check_out_silent_participants() == 1
    assert admin.get(f"{url}/speakers").json["queue"] == []


def test_what_carries_a_key_is_kept_by_no_cache_and_named_to_no_site(app, hall):
    admin, url, people = hall["admin"], hall["url"], hall["people"]
    admin.post(f"{url}/passes")
    token = _passes(app, hall["council"], hall["meeting"]["id"])[people["Ayşe Kaya"]][1]
    client = app.test_client()
    opened = client.get(f"/izmir/remote/{token}")
    cookie = opened.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and f"Path={opened.headers['Location']}" in cookie
    page = client.get(opened.headers["Location"])
    for answer in (opened, page, client.get(opened.headers["Location"] + "/live.json"),
                   client.post(opened.headers["Location"] + "/join"), admin.get(f"{url}/badges.pdf")):
        assert answer.headers["Cache-Control"] == "no-store", answer.request.path
        assert answer.headers["Referrer-Policy"] == "no-referrer", answer.request.path
    assert token not in page.get_data(as_text=True)  # the page's own forms and scripts name the meeting, not the key
    desk = app.test_client()
    login(desk, "gs@izmir.example.org")
    badges = desk.get(f"/izmir/meetings/{hall['meeting']['id']}/badges.pdf")
    assert badges.headers["Cache-Control"] == "no-store"


def test_a_phone_and_a_badge_desk_are_rate_limited(hall, app):
    from konsey.app import limits

    assert all(endpoint in app.view_functions for endpoint in limits.LIMITS), \
        [e for e in limits.LIMITS if e not in app.view_functions]  # every limit names a real endpoint
    assert {"remote_pages.ballot", "remote_pages.here", "remote_pages.open_link",
            "meeting_pages.check_in_by_code", "meetings.CodeCheckIn"} <= set(limits.LIMITS)


def test_changes_are_folded_at_the_publisher_and_a_poll_of_an_unchanged_state_costs_no_state(app, hall, monkeypatch):
    """Many changes in a moment: the state is computed once per interval, never lost after the last change; a
    screen that polls with the latest version gets 304 without the state being computed."""
    need_service("Redis", _redis_up(), "start redis-server; live publishing tests skipped")
    import time

    from konsey.core import live

    admin, url, people = hall["admin"], hall["url"], hall["people"]
    computed = []
    real_state = live_state.state
    monkeypatch.setattr(live_state, "state", lambda meeting: computed.append(1) or real_state(meeting))
    app.config.update(KONSEY_LIVE_REDIS_URL=REDIS_URL, KONSEY_LIVE_FOLD_SECONDS=0.4)
    try:
        for name in ("Ayşe Kaya", "Zeynep Ak", "Mehmet Er", "Can Demir"):
            assert admin.post(f"{url}/attendance", json={"member_id": people[name]}).status_code == 200
        burst = len(computed)
        assert burst <= 2, burst  # the first at once; the rest wait for the interval
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # the trailing computation after the last change
            with app.app_context():
                found = live.published(uuid.UUID(hall["meeting"]["id"]))
            if found and found[1]["quorum"]["present"] == 4:
                break
            time.sleep(0.05)
        assert found[1]["quorum"]["present"] == 4 and len(computed) <= burst + 2

        desk = app.test_client()
        login(desk, "gs@izmir.example.org")
        page = f"/izmir/meetings/{hall['meeting']['id']}/live.json"
        first = desk.get(page)
        assert first.status_code == 200 and first.headers["ETag"] == f'"v{found[0]}"'
        assert first.json["quorum"]["present"] == 4
        before = len(computed)
        with statements_sent(app) as statements:
            again = desk.get(page, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and len(computed) == before  # no state computed
        assert len(statements) <= 8, statements  # who asks, their council, the meeting: no state
    finally:
        app.config.update(KONSEY_LIVE_REDIS_URL=None, KONSEY_LIVE_FOLD_SECONDS=1.0)
        time.sleep(0.5)  # a trailing timer of this test finds nothing left to publish


def test_the_attendance_list_has_a_line_to_sign_for_everyone_and_then_who_came_when_and_how(app, hall):
    from pypdf import PdfReader

    admin, url, people = hall["admin"], hall["url"], hall["people"]

    def text() -> str:
        answer = admin.get(f"{url}/attendance-list.pdf")
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.data)).pages).split())

    before = text()
    assert "Attendance list" in before and "Signature" in before and "Arrived" not in before
    assert all(name in before for name in people) and "page 1/1" in before
    assert before.index("Ayşe Kaya") < before.index("Can Demir") < before.index("Mehmet Er")  # Turkish order
    admin.post(f"{url}/passes")
    tokens = _passes(app, hall["council"], hall["meeting"]["id"])
    phone, page = _phone(app, tokens[people["Zeynep Ak"]][1])
    phone.post(f"{page}/join")
    admin.post(f"{url}/attendance", json={"member_id": people["Can Demir"]})
    admin.delete(f"{url}/attendance/{people['Can Demir']}")
    after = text()
    assert "Arrived" in after and "2 came" in after
    zeynep = after.split("Zeynep Ak")[1][:60]
    can = after.split("Can Demir")[1][:60]
    assert "online" in zeynep and "in the hall" in can and can.count(":") >= 2  # arrived and left


def test_a_meeting_left_dirty_is_published_by_the_sweep(app, hall):
    """A change folded by a web worker that went away before its timer fired: the scheduler's sweep publishes
    it, and leaves alone what another installation on the same Redis left waiting."""
    need_service("Redis", _redis_up(), "start redis-server; live publishing tests skipped")
    import redis

    from konsey.core import live
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    admin, url = hall["admin"], hall["url"]
    meeting_id = hall["meeting"]["id"]
    client = redis.Redis.from_url(REDIS_URL)
    admin.post(f"{url}/attendance", json={"member_id": hall["people"]["Can Demir"]})  # committed, not published
    names, elsewhere = live.LiveKeys(LIVE_KEY_PREFIX), live.LiveKeys(f"konsey-test-{uuid.uuid4().hex[:8]}:live:")
    client.set(names.dirty(meeting_id), str(hall["council"]), ex=60)  # as a worker left it
    client.delete(names.slot(meeting_id))
    foreign = str(uuid.uuid4())  # a meeting of another installation, waiting for its own timer
    client.set(elsewhere.dirty(foreign), str(uuid.uuid4()), ex=60)
    app.config["KONSEY_LIVE_REDIS_URL"] = REDIS_URL
    try:
        with app.app_context(), acting_as(SYSTEM):
            assert system.publish_waiting_live_states() >= 1
            found = live.published(uuid.UUID(meeting_id))
        assert found is not None and found[1]["quorum"]["present"] == 1
        assert client.get(names.dirty(meeting_id)) is None
        assert client.get(elsewhere.dirty(foreign)) is not None and not client.exists(elsewhere.slot(foreign))
    finally:
        client.delete(elsewhere.dirty(foreign))
        app.config["KONSEY_LIVE_REDIS_URL"] = None
        import time

        time.sleep(0.6)  # the timer the sweep armed finds nothing left


def test_a_seat_the_tellers_counted_cannot_vote_again_by_name_from_elsewhere(app, hall):
    """The room as the tellers counted it: a seat of it that leaves the room and votes online is still checked
    against those counts (else it would be counted twice)."""
    admin, url, people = hall["admin"], hall["url"], hall["people"]
    for name in ("Ayşe Kaya", "Zeynep Ak", "Mehmet Er"):
        admin.post(f"{url}/attendance", json={"member_id": people[name]})
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": hall["items"][0]}).json
    assert admin.put(f"{url}/votes/{vote['id']}/counts", json={"yes": 3, "no": 0, "abstain": 0}).status_code == 200
    admin.delete(f"{url}/attendance/{people['Ayşe Kaya']}")
    admin.post(f"{url}/attendance", json={"member_id": people["Ayşe Kaya"], "online": True})
    again = admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": people["Ayşe Kaya"], "choice": "no"})
    assert again.status_code == 409, again.json
    assert admin.put(f"{url}/votes/{vote['id']}/counts", json={"yes": 2, "no": 0, "abstain": 0}).status_code == 200
    assert admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": people["Ayşe Kaya"],
                                                                  "choice": "no"}).status_code == 204
