"""One vote across the hall and the phones: each seat votes once through any channel (its phone, the desk by
name, a roll call, a paper ballot, the hall's counts); the hall's counts are for the room's seats that did not
vote by name; the verdict is on the sum; a secret vote tells its turnout and nothing more until the close; after
the close every channel is refused."""

from __future__ import annotations

import io
import uuid

import pytest
from sqlalchemy import select

from conftest import take_export

BASE = "/api/v1/councils/izmir"
FETCH = {"X-Konsey-Fetch": "1"}


@pytest.fixture
def assembly(world, api, app):
    """İzmir's general assembly of twelve sitting now: four follow on their phones (online), six are in the hall
    (checked in at the desk), two stayed away; everyone has a pass."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    online = [str(world.member(council, name=f"Çevrim İçi {i}", email=f"online{i}@example.org")) for i in range(4)]
    hall = [str(world.member(council, name=f"Salondaki {i}", email=f"salon{i}@example.org")) for i in range(6)]
    away = [str(world.member(council, name=f"Gelmeyen {i}")) for i in range(2)]
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    from conftest import sitting

    meeting_id = sitting(admin, BASE, bodies["general_assembly"], hall, title="Genel Kurul")
    url = f"{BASE}/meetings/{meeting_id}"
    assert admin.post(f"{url}/passes").status_code in (200, 201)
    links = _links(app, council, meeting_id)
    phones = {}
    for member_id in online + hall:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        opened = client.get(f"/izmir/remote/{links[member_id]}")  # the link's key goes into a cookie
        phones[member_id] = (client, opened.headers["Location"])
    for member_id in online:
        client, page = phones[member_id]
        assert client.post(f"{page}/join").status_code == 302
    item = admin.get(url).json["agenda"][0]["id"]
    return {"admin": admin, "app": app, "council": council, "url": url, "meeting_id": meeting_id, "item": item,
            "online": online, "hall": hall, "away": away, "phones": phones}


def _links(app, council, meeting_id) -> dict:
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.test_request_context(), bound_council(council):
        return {str(p.member_id): link_token(p) for p in db.session.scalars(
            select(MeetingPass).where(MeetingPass.meeting_id == uuid.UUID(str(meeting_id))))}


def _phone_vote(setup, member_id, vote_id, choice):
    client, page = setup["phones"][member_id]
    return client.post(f"{page}/votes/{vote_id}", data={"choice": choice}, headers=FETCH)


def _vote(setup, kind="open"):
    return setup["admin"].post(f"{setup['url']}/votes", json={"agenda_item_id": setup["item"], "kind": kind}).json


def _shown(setup, vote_id):
    return next(v for v in setup["admin"].get(f"{setup['url']}/votes").json if v["id"] == vote_id)


def _minutes_text(setup) -> str:
    from pypdf import PdfReader

    pdf = setup["admin"].get(f"{setup['url']}/minutes.pdf")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages).split())


def test_the_hall_and_the_phones_make_one_vote(assembly):
    admin, url, online, hall = assembly["admin"], assembly["url"], assembly["online"], assembly["hall"]
    vote = _vote(assembly)
    ballots = f"{url}/votes/{vote['id']}/ballots"
    for member_id, choice in zip(online, ("yes", "yes", "no", "abstain"), strict=True):
        assert _phone_vote(assembly, member_id, vote["id"], choice).status_code == 200
    assert _phone_vote(assembly, hall[0], vote["id"], "yes").status_code == 200  # a phone in the hall
    assert admin.post(ballots, json={"member_id": hall[1], "choice": "no"}).status_code == 204  # the desk, by name
    assert admin.post(ballots, json={"member_id": hall[2], "channel": "paper"}).status_code == 204  # into the box
    twice = admin.post(ballots, json={"member_id": hall[0], "choice": "no"})  # voted on the phone already
    assert twice.status_code == 409
    assert admin.post(ballots, json={"member_id": online[0], "channel": "paper"}).status_code == 422  # not in the room
    assert admin.post(ballots, json={"member_id": hall[0], "channel": "paper"}).status_code == 409  # voted by phone
    assert admin.post(ballots, json={"member_id": hall[3], "channel": "paper"}).status_code == 204

    # Six seats in the room, two voted by name: the hall's counts hold at most four, at least the two papers.
    counts = f"{url}/votes/{vote['id']}/counts"
    over = admin.put(counts, json={"yes": 3, "no": 1, "abstain": 1})
    assert over.status_code == 422 and "4" in over.json["errors"]["yes"][0]
    short = admin.put(counts, json={"yes": 1, "no": 0, "abstain": 0})
    assert short.status_code == 422 and "paper" in short.json["errors"]["yes"][0]
    assert admin.put(counts, json={"yes": 2, "no": 1, "abstain": 1}).status_code == 200
    # The room is counted in full: a seat in it voting by name now would be counted twice.
    late = _phone_vote(assembly, hall[4], vote["id"], "yes")
    assert late.status_code == 409 and late.json["message"]
    assert admin.put(counts, json={"yes": 2, "no": 1, "abstain": 0}).status_code == 200  # the tellers correct
    assert _phone_vote(assembly, hall[4], vote["id"], "yes").status_code == 200
    running = _shown(assembly, vote["id"])
    assert (running["yes"], running["no"], running["abstain"], running["turnout"]) == (6, 3, 1, 10)
    channels = {c["channel"]: c for c in running["channels"]}
    assert channels["phone"] == {"channel": "phone", "turnout": 6, "yes": 4, "no": 1, "abstain": 1}
    assert channels["desk"] == {"channel": "desk", "turnout": 1, "yes": 0, "no": 1, "abstain": 0}
    assert channels["paper"]["turnout"] == 2 and "yes" not in channels["paper"]
    assert channels["hall"] == {"channel": "hall", "turnout": 3, "yes": 2, "no": 1, "abstain": 0}

    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={})  # all ten present voted: no question
    assert closed.status_code == 200, closed.json
    assert (closed.json["yes"], closed.json["no"], closed.json["abstain"], closed.json["outcome"]) == \
        (6, 3, 1, "adopted")
    text = _minutes_text(assembly)
    assert "6 yes, 3 no, 1 abstaining" in text
    assert "Phones: 4 yes, 1 no, 1 abstaining" in text and "The hall: 2 yes, 1 no, 0 abstaining" in text
    # After the close, no channel is open.
    assert _phone_vote(assembly, online[0], vote["id"], "no").status_code == 409
    assert admin.post(ballots, json={"member_id": hall[5], "choice": "no"}).status_code == 409
    assert admin.post(ballots, json={"member_id": hall[5], "channel": "paper"}).status_code == 409
    assert admin.put(counts, json={"yes": 1, "no": 0, "abstain": 0}).status_code == 409
    assert admin.post(f"{url}/votes/{vote['id']}/close", json={}).status_code == 409
    assert _shown(assembly, vote["id"])["yes"] == 6


def test_closing_before_everyone_present_has_voted_asks_to_confirm(assembly):
    admin, url = assembly["admin"], assembly["url"]
    vote = _vote(assembly)
    for member_id in assembly["online"][:3]:
        assert _phone_vote(assembly, member_id, vote["id"], "yes").status_code == 200
    asked = admin.post(f"{url}/votes/{vote['id']}/close", json={})
    assert asked.status_code == 409 and "3 of the 10" in asked.json["errors"]["confirm"][0]
    assert _shown(assembly, vote["id"])["closed_at"] is None  # nothing changed
    assert _phone_vote(assembly, assembly["online"][3], vote["id"], "no").status_code == 200  # still open
    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True})
    assert closed.status_code == 200 and (closed.json["yes"], closed.json["no"]) == (3, 1)
    assert closed.json["outcome"] == "rejected"  # 3 of the 10 present is no majority of them


def test_paper_ballots_need_the_box_counted_before_the_close(assembly):
    admin, url = assembly["admin"], assembly["url"]
    vote = _vote(assembly, "secret")
    admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": assembly["hall"][0], "channel": "paper"})
    refused = admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True})
    assert refused.status_code == 422 and "paper" in refused.json["errors"]["yes"][0]
    admin.put(f"{url}/votes/{vote['id']}/counts", json={"yes": 1, "no": 0, "abstain": 0})
    assert admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True}).status_code == 200
    roll = _vote(assembly, "roll_call")
    paper = admin.post(f"{url}/votes/{roll['id']}/ballots", json={"member_id": assembly["hall"][1],
                                                                  "channel": "paper"})
    assert paper.status_code == 422 and "channel" in paper.json["errors"]


def test_a_secret_vote_tells_its_turnout_and_nothing_more_until_the_close(assembly):
    from konsey.core.meetings import Ballot
    from konsey.core.secret_ballots import SecretTally
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url, app = assembly["admin"], assembly["url"], assembly["app"]
    vote = _vote(assembly, "secret")
    for member_id, choice in zip(assembly["online"][:3], ("yes", "no", "yes"), strict=True):
        assert _phone_vote(assembly, member_id, vote["id"], choice).status_code == 200
    admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": assembly["hall"][0], "channel": "paper"})
    assert admin.put(f"{url}/votes/{vote['id']}/counts", json={"yes": 1, "no": 0, "abstain": 0}).status_code == 200

    shown = _shown(assembly, vote["id"])
    assert (shown["yes"], shown["no"], shown["abstain"], shown["turnout"]) == (None, None, None, 4)
    assert all(set(c) == {"channel", "turnout"} for c in shown["channels"])
    live = admin.get(f"{url}/live").json["vote"]
    assert (live["yes"], live["turnout"]) == (None, 4) and "yes" not in live["counts_text"].lower()
    text = _minutes_text(assembly)
    assert "still open: 4 have voted" in text and " yes" not in text.split("Agenda and decisions")[1]
    export = take_export(admin, BASE)["tables"]
    assert not [b for b in export["ballots"] if b["vote_id"] == vote["id"]]  # not even who voted
    assert not [t for t in export.get("secret_tallies", []) if t["vote_id"] == vote["id"]]
    exported = next(v for v in export["votes"] if v["id"] == vote["id"])
    assert exported["turnout"] == 4 and exported["yes"] == 0 and exported["hall_yes"] is None
    with app.app_context(), bound_council(assembly["council"]):  # what a snapshot of the database holds
        ledger = db.session.scalars(select(Ballot).where(Ballot.vote_id == uuid.UUID(vote["id"]))).all()
        assert len(ledger) == 4 and {b.choice for b in ledger} == {None}
        box = db.session.scalars(select(SecretTally).where(SecretTally.vote_id == uuid.UUID(vote["id"]))).all()
        assert sorted((t.choice, t.count) for t in box) == [("abstain", 0), ("no", 1), ("yes", 2)]
        assert not {c.name for c in SecretTally.__table__.columns} & {"member_id", "cast_at", "created_at"}

    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True}).json
    assert (closed["yes"], closed["no"], closed["abstain"]) == (3, 1, 0)
    assert {c["channel"]: c["turnout"] for c in closed["channels"]} == {"phone": 3, "paper": 1, "hall": 1}
    assert all(set(c) == {"channel", "turnout"} for c in closed["channels"])  # no subtotal that names a voter
    with app.app_context(), bound_council(assembly["council"]):
        assert db.session.scalars(select(SecretTally).where(SecretTally.vote_id == uuid.UUID(vote["id"]))).all() == []
    text = _minutes_text(assembly)
    assert "3 yes, 1 no, 0 abstaining" in text and "Phones: 3 voted" in text


def test_the_vote_and_its_box_are_the_councils_own(assembly, world, api):
    """Another council's administrator reaches neither the votes nor the ballots of this one."""
    other = world.council("bornova")
    stranger = api(world.token(world.user("gs@bornova.example.org", roles={other: "administrator"}), other))
    vote = _vote(assembly, "secret")
    url = f"{assembly['url']}/votes/{vote['id']}"
    assert stranger.post(f"{url}/ballots", json={"member_id": assembly["hall"][0], "choice": "yes"}).status_code \
        in (403, 404)
    assert stranger.put(f"{url}/counts", json={"yes": 1, "no": 0, "abstain": 0}).status_code in (403, 404)
    assert stranger.post(f"{url}/close", json={"confirm": True}).status_code in (403, 404)
    other_url = url.replace("/councils/izmir/", "/councils/bornova/")
    assert stranger.post(f"{other_url}/close", json={"confirm": True}).status_code == 404
    assert _shown(assembly, vote["id"])["closed_at"] is None


def test_the_phone_repeats_an_open_votes_choice_and_not_a_secret_ones(assembly):
    """What the phone says after a ballot: the choice of a vote by name (the person sees what was recorded), only
    "recorded" for a secret one."""
    online = assembly["online"]
    open_vote = _vote(assembly, "open")
    said = _phone_vote(assembly, online[0], open_vote["id"], "no").json["message"]
    assert said.startswith("Oyunuz kaydedildi") and "Hayır" in said
    # The phone's page opened again (a reload) says it too, with the choice (it said only "recorded").
    client, page = assembly["phones"][online[0]]
    shown = client.get(page, headers={"Accept-Language": "tr"}).get_data(as_text=True)
    note = shown[shown.index('data-testid="voted"'):]
    assert "Hayır" in note[:note.index("</p>")]
    assembly["admin"].post(f"{assembly['url']}/votes/{open_vote['id']}/close", json={"confirm": True})
    secret = _vote(assembly, "secret")
    said = _phone_vote(assembly, online[0], secret["id"], "no").json["message"]
    assert said == "Oyunuz kaydedildi." and "Hayır" not in said
