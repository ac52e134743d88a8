"""A meeting through the API: notice, check-in with a live quorum, votes, ties, numbered decisions."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from support.clock import COUNCIL_ZONE, days_from_today

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def desk(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member_token = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    seated = []
    for name, gender in [("Ayşe Kaya", "female"), ("Zeynep Ak", "female"), ("Mehmet Er", "male"),
                         ("Can Demir", "male"), ("Ali Veli", "male")]:
        member_id = str(world.member(council, name=name, gender=gender))
        admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": member_id, "role": "principal",
                                                          "starts_on": "2026-01-01"})
        seated.append(member_id)
    outsider = str(world.member(council, name="Dışarıdan Biri"))
    return {"admin": admin, "member": member_token, "board": board, "seated": seated, "outsider": outsider,
            "council": council}


def _call(desk, days_ahead=3, agenda=("Bütçe", "Ulaşım raporu", "Park önerisi"), **extra):
    when = (datetime.now(UTC) + timedelta(days=days_ahead)).isoformat()
    return desk["admin"].post(f"{BASE}/meetings", json={"body_id": desk["board"], "title": "Olağan toplantı",
                                                         "scheduled_at": when, "agenda": list(agenda), **extra})


def _held(desk, **kwargs) -> dict:
    """A meeting called with notice, whose day has come (check-ins open shortly before the start)."""
    meeting = _call(desk, **kwargs).json
    desk["admin"].start_meeting(meeting["id"])
    return meeting


def _failed_session(app, council_id, body_id, days_ago=1):
    """A session of the body whose time has passed without quorum (no vote was ever opened)."""
    from konsey.core import meetings
    from konsey.core.bodies import Body
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        when = datetime.now(UTC) - timedelta(days=days_ago)
        meetings.schedule(db.session.get(Body, uuid.UUID(body_id)), meetings.MeetingKind.ORDINARY, "Toplanamadı",
                          when, None, ["Bütçe"], now=when - timedelta(days=10))
        db.session.commit()


def test_notice_period_is_enforced(app, desk):
    too_soon = _call(desk, days_ahead=1)
    assert too_soon.status_code == 422 and "scheduled_at" in too_soon.json["errors"]
    # Reconvening needs a session of the body that failed for lack of quorum...
    alone = _call(desk, days_ahead=1, reconvened=True)
    assert alone.status_code == 422 and "reconvened" in alone.json["errors"]
    _failed_session(app, desk["council"], desk["board"])
    # ... within the by-laws' window after it (7 days by default), and is exempt from the notice period.
    assert _call(desk, days_ahead=9, reconvened=True).status_code == 422
    assert _call(desk, days_ahead=1, reconvened=True).status_code == 201
    elective = _call(desk, days_ahead=5, kind="elective")
    assert elective.status_code == 422  # an elective assembly needs 15 days
    assert desk["admin"].get(f"{BASE}/meetings").json[0]["reconvened"] is True


def test_a_meeting_from_quorum_to_numbered_decisions(desk):
    admin, seated = desk["admin"], desk["seated"]
    meeting = _held(desk)
    url = f"{BASE}/meetings/{meeting['id']}"
    detail = admin.get(url).json
    assert detail["quorum"] == {"full_membership": 5, "present": 0, "needed": 3, "quorum_met": False}
    items = [item["id"] for item in detail["agenda"]]

    for member_id in seated[:2]:
        quorum = admin.post(f"{url}/attendance", json={"member_id": member_id}).json["quorum"]
    assert quorum["present"] == 2 and not quorum["quorum_met"]
    refused = admin.post(f"{url}/votes", json={"agenda_item_id": items[0]})
    assert refused.status_code == 409 and "quorum" in refused.json["errors"]
    outsider = admin.post(f"{url}/attendance", json={"member_id": desk["outsider"]}).json["quorum"]
    assert outsider["present"] == 2  # present, but holds no seat: does not count
    assert admin.post(f"{url}/attendance", json={"member_id": seated[2], "online": True}).json["quorum"]["quorum_met"]

    vote = admin.post(f"{url}/votes", json={"agenda_item_id": items[0]}).json
    ballots = f"{url}/votes/{vote['id']}/ballots"
    assert admin.post(ballots, json={"member_id": seated[0], "choice": "yes"}).status_code == 204
    assert admin.post(ballots, json={"member_id": seated[1], "choice": "yes"}).status_code == 204
    twice = admin.post(ballots, json={"member_id": seated[0], "choice": "no"})
    assert twice.status_code == 409 and "member_id" in twice.json["errors"]
    assert admin.post(ballots, json={"member_id": desk["outsider"], "choice": "no"}).status_code == 422
    assert admin.post(ballots, json={"member_id": seated[4], "choice": "no"}).status_code == 422  # absent
    admin.post(ballots, json={"member_id": seated[2], "choice": "no"})
    closed = admin.post(f"{url}/votes/{vote['id']}/close", json={}).json
    assert (closed["yes"], closed["no"], closed["present"], closed["outcome"]) == (2, 1, 3, "adopted")
    # The year of the day it sits in İstanbul (not of the day it was first called for, nor UTC's)
    meeting_year = datetime.fromisoformat(detail["scheduled_at"]).astimezone(COUNCIL_ZONE).year
    assert closed["decision_number"] == f"{meeting_year}/1"

    admin.post(f"{url}/attendance", json={"member_id": seated[3]})
    tie = admin.post(f"{url}/votes", json={"agenda_item_id": items[1], "kind": "secret"}).json
    for member_id, choice in zip(seated[:4], ["yes", "no", "yes", "no"], strict=True):
        admin.post(f"{url}/votes/{tie['id']}/ballots", json={"member_id": member_id, "choice": choice})
    needs_chair = admin.post(f"{url}/votes/{tie['id']}/close", json={})
    assert needs_chair.status_code == 422 and "chair_vote" in needs_chair.json["errors"]
    decided = admin.post(f"{url}/votes/{tie['id']}/close", json={"chair_vote": "yes"}).json
    assert decided["decided_by"] == "chair" and decided["decision_number"].endswith("/2")

    assert admin.delete(f"{url}/attendance/{seated[3]}").json["quorum"]["present"] == 3
    assert admin.post(f"{url}/close").status_code == 200
    late = admin.post(f"{url}/attendance", json={"member_id": seated[4]})
    assert late.status_code == 409


def test_secret_ballots_keep_no_link_to_the_choice(app, desk):
    from sqlalchemy import select

    from konsey.core.meetings import Ballot
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, seated = desk["admin"], desk["seated"]
    meeting = _held(desk)
    url = f"{BASE}/meetings/{meeting['id']}"
    for member_id in seated[:3]:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item, "kind": "secret"}).json
    admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": seated[0], "choice": "no"})
    assert admin.post(f"{url}/votes/{vote['id']}/close", json={"confirm": True}).status_code == 200
    roll_call = admin.post(f"{url}/votes", json={"agenda_item_id": admin.get(url).json["agenda"][1]["id"],
                                                 "kind": "roll_call"}).json
    admin.post(f"{url}/votes/{roll_call['id']}/ballots", json={"member_id": seated[0], "choice": "no"})
    with app.app_context():
        from konsey.tenants.models import Council

        council = db.session.scalar(select(Council).where(Council.slug == "izmir"))
        with bound_council(council.id):
            choices = {str(b.vote_id): b.choice for b in db.session.scalars(select(Ballot))}
    assert choices[vote["id"]] is None and choices[roll_call["id"]].value == "no"


def test_only_the_secretariat_runs_the_desk(desk):
    meeting = _held(desk)
    member = desk["member"]
    assert member.get(f"{BASE}/meetings/{meeting['id']}").status_code == 200
    assert member.post(f"{BASE}/meetings/{meeting['id']}/attendance",
                       json={"member_id": desk["seated"][0]}).status_code == 403


def test_minutes_pdf_is_made_from_the_record(desk):
    import io

    from pypdf import PdfReader

    admin, seated = desk["admin"], desk["seated"]
    meeting = _held(desk, agenda=("Kadın sığınma evi önerisi", "Diğer"))
    url = f"{BASE}/meetings/{meeting['id']}"
    for member_id in seated[:3]:
        admin.post(f"{url}/attendance", json={"member_id": member_id, "online": member_id == seated[2]})
    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item, "kind": "roll_call"}).json
    for member_id, choice in zip(seated[:3], ["yes", "yes", "abstain"], strict=True):
        admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": choice})
    number = admin.post(f"{url}/votes/{vote['id']}/close", json={}).json["decision_number"]
    desk["member"].language = "tr"
    response = desk["member"].get(f"{url}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("KENT KONSEYİ", "Tutanak", "Ayşe Kaya", "Zeynep Ak", "çevrim içi", "Ad okunarak",
                     "Kadın sığınma evi önerisi", f"Karar no. {number}", "Mehmet Er: Çekimser"):
        assert expected in text, expected


def test_meeting_day_is_the_councils_local_day(app, desk):
    from sqlalchemy import select

    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    meeting = _held(desk)
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "izmir"))
        with bound_council(council.id):
            row = db.session.get(Meeting, __import__("uuid").UUID(meeting["id"]))
            row.scheduled_at = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # 01:30 on 1 January in Istanbul
            assert row.day.isoformat() == "2027-01-01"
            db.session.rollback()


def test_an_institution_attends_through_a_mandated_representative(app, desk, world):
    from datetime import date

    from sqlalchemy import update

    from konsey.core.representatives import Representative
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    admin = desk["admin"]
    with app.app_context():
        council_id = db.session.scalar(__import__("sqlalchemy").select(Council.id).where(Council.slug == "izmir"))
    chamber = str(world.member(council_id, category="professional_chamber", name="Mimarlar Odası",
                               representative_name="Oya Er"))
    admin.post(f"{BASE}/bodies/{desk['board']}/seats", json={"member_id": chamber, "role": "principal",
                                                             "starts_on": "2026-01-01"})
    reps = f"{BASE}/members/{chamber}/representatives"
    expired = admin.post(reps, json={"capacity": "representative", "name": "Oya Er", "mandate_letter": "2025/4",
                                     "mandate_expires_on": "2020-01-01"})
    assert expired.status_code == 422 and "mandate_expires_on" in expired.json["errors"]
    oya = admin.post(reps, json={"capacity": "representative", "name": "Oya Er", "mandate_letter": "12.01.2026 / 7",
                                 "mandate_expires_on": days_from_today(365).isoformat()})
    assert oya.status_code == 201 and oya.json["valid"] is True
    individual = admin.post(f"{BASE}/members/{desk['seated'][0]}/representatives", json={
        "capacity": "representative", "name": "X Y", "mandate_letter": "1", "mandate_expires_on": "2030-01-01"})
    assert individual.status_code == 422

    meeting = _held(desk)
    url = f"{BASE}/meetings/{meeting['id']}"
    nobody = admin.post(f"{url}/attendance", json={"member_id": chamber})
    assert nobody.status_code == 422 and "representative_id" in nobody.json["errors"]
    with app.app_context(), bound_council(council_id):  # the letter runs out before the meeting
        db.session.execute(update(Representative).values(mandate_expires_on=date.today() - timedelta(days=1)))
        db.session.commit()
    lapsed = admin.post(f"{url}/attendance", json={"member_id": chamber, "representative_id": oya.json["id"]})
    assert lapsed.status_code == 422 and "representative_id" in lapsed.json["errors"]
    with app.app_context(), bound_council(council_id):
        db.session.execute(update(Representative).values(mandate_expires_on=date(2099, 1, 1)))
        db.session.commit()
    present = admin.post(f"{url}/attendance", json={"member_id": chamber, "representative_id": oya.json["id"]})
    assert present.status_code == 200 and present.json["quorum"]["present"] == 1


def _izmir_id(app):
    from sqlalchemy import select

    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    with app.app_context():
        return db.session.scalar(select(Council.id).where(Council.slug == "izmir"))


def test_a_substitute_fills_an_absent_principals_seat_once(app, desk, world):
    admin, seated = desk["admin"], desk["seated"]
    substitute = desk["outsider"]
    admin.post(f"{BASE}/bodies/{desk['board']}/seats", json={"member_id": substitute, "role": "substitute",
                                                             "starts_on": "2026-01-01"})
    council_id = _izmir_id(app)
    stranger = str(world.member(council_id, name="Başka Biri"))
    meeting = _held(desk)
    url = f"{BASE}/meetings/{meeting['id']}"
    for member_id in seated[1:3]:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    # Only a substitute of the body may stand in, only for a voting seat, and only for an empty one.
    not_substitute = admin.post(f"{url}/attendance", json={"member_id": stranger, "stands_in_for_id": seated[0]})
    assert not_substitute.status_code == 422 and "stands_in_for_id" in not_substitute.json["errors"]
    no_seat = admin.post(f"{url}/attendance", json={"member_id": substitute, "stands_in_for_id": stranger})
    assert no_seat.status_code == 422 and "stands_in_for_id" in no_seat.json["errors"]
    taken = admin.post(f"{url}/attendance", json={"member_id": substitute, "stands_in_for_id": seated[1]})
    assert taken.status_code == 409 and "stands_in_for_id" in taken.json["errors"]
    # A substitute who stands in for nobody is there but fills no seat.
    plain = admin.post(f"{url}/attendance", json={"member_id": substitute})
    assert plain.json["quorum"]["present"] == 2 and plain.json["quorum"]["quorum_met"] is False
    admin.delete(f"{url}/attendance/{substitute}")
    filled = admin.post(f"{url}/attendance", json={"member_id": substitute, "stands_in_for_id": seated[0]})
    assert filled.status_code == 200
    assert filled.json["quorum"]["present"] == 3 and filled.json["quorum"]["quorum_met"] is True
    # The principal cannot arrive into a seat the substitute holds.
    principal = admin.post(f"{url}/attendance", json={"member_id": seated[0]})
    assert principal.status_code == 409 and "member_id" in principal.json["errors"]

    item = admin.get(url).json["agenda"][0]["id"]
    vote = admin.post(f"{url}/votes", json={"agenda_item_id": item, "kind": "roll_call"}).json
    ballots = f"{url}/votes/{vote['id']}/ballots"
    assert admin.post(ballots, json={"member_id": substitute, "choice": "yes"}).status_code == 204
    # The substitute leaves and the principal arrives: the seat has voted already.
    admin.delete(f"{url}/attendance/{substitute}")
    assert admin.post(f"{url}/attendance", json={"member_id": seated[0]}).status_code == 200
    again = admin.post(ballots, json={"member_id": seated[0], "choice": "no"})
    assert again.status_code == 409 and "member_id" in again.json["errors"]

    from sqlalchemy import select

    from konsey.core.meetings import Ballot
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.member_id == __import__("uuid").UUID(seated[0])))
        assert str(ballot.cast_by_id) == substitute and ballot.choice.value == "yes"
    # Erasing the substitute (KVKK) keeps the seat's vote and drops only the link to the person.
    assert admin.delete(f"{BASE}/members/{substitute}").status_code == 204
    with app.app_context(), bound_council(council_id):
        ballot = db.session.scalar(select(Ballot).where(Ballot.member_id == __import__("uuid").UUID(seated[0])))
        assert ballot.cast_by_id is None and ballot.choice.value == "yes"


def test_seats_represented_counts_each_seat_once():
    from konsey.core.rules.meetings import seats_represented

    eligible = {"a", "b", "c"}
    assert seats_represented(eligible, {"a", "s"}, {"s": "b"}) == {"a": "a", "b": "s"}
    assert seats_represented(eligible, {"a", "s"}, {"s": "a"}) == {"a": "a"}  # the principal is there
    assert seats_represented(eligible, {"a"}, {"s": "b"}) == {"a": "a"}  # the substitute has left
    assert seats_represented(eligible, {"s"}, {"s": "x"}) == {}  # not a voting seat
    assert seats_represented(eligible, {"s", "t"}, {"s": "b", "t": "b"}) == {"b": "s"} or \
        seats_represented(eligible, {"s", "t"}, {"s": "b", "t": "b"}) == {"b": "t"}


def test_absences_against_the_bylaws_limit(app, desk):
    from konsey.core.bylaws import default_bylaw_parameters
    from konsey.core.rules.meetings import over_absence_limit

    bylaws = default_bylaw_parameters()  # 3 excused or 5 in all
    assert not over_absence_limit(2, 2, bylaws) and over_absence_limit(3, 0, bylaws)
    assert over_absence_limit(1, 4, bylaws) and not over_absence_limit(0, 4, bylaws)

    admin, seated = desk["admin"], desk["seated"]
    held = []
    for _ in range(5):
        meeting = _held(desk)
        url = f"{BASE}/meetings/{meeting['id']}"
        for member_id in seated[:3]:
            admin.post(f"{url}/attendance", json={"member_id": member_id})
        item = admin.get(url).json["agenda"][0]["id"]
        admin.post(f"{url}/votes", json={"agenda_item_id": item})  # opened: the meeting was held
        held.append(meeting["id"])
    # Mehmet (seated[3]) is excused three times; Ali (seated[4]) never.
    for meeting_id in held[:3]:
        ok = admin.post(f"{BASE}/meetings/{meeting_id}/absences", json={"member_id": seated[3], "reason": "Hastalık"})
        assert ok.status_code == 201
    twice = admin.post(f"{BASE}/meetings/{held[0]}/absences", json={"member_id": seated[3], "reason": "Yine"})
    assert twice.status_code == 409
    present = admin.post(f"{BASE}/meetings/{held[0]}/absences", json={"member_id": seated[0], "reason": "x y z"})
    assert present.status_code == 422 and "member_id" in present.json["errors"]
    outsider = admin.post(f"{BASE}/meetings/{held[0]}/absences", json={"member_id": desk["outsider"],
                                                                      "reason": "Hastalık"})
    assert outsider.status_code == 422
    from datetime import date

    until = (date.today() + timedelta(days=10)).isoformat()  # the test's meetings are called a few days ahead
    rows = {r["member_id"]: r for r in admin.get(f"{BASE}/bodies/{desk['board']}/absences?until={until}").json}
    assert rows[seated[3]] == {"member_id": seated[3], "excused": 3, "unexcused": 2, "substituted": 0,
                               "over_limit": True}
    assert rows[seated[4]]["unexcused"] == 5 and rows[seated[4]]["over_limit"] is True
    assert rows[seated[0]]["excused"] + rows[seated[0]]["unexcused"] == 0 and not rows[seated[0]]["over_limit"]
    assert desk["member"].get(f"{BASE}/bodies/{desk['board']}/absences").status_code == 403


def test_a_third_of_the_members_oblige_an_extraordinary_general_assembly(app, desk, world):
    admin = desk["admin"]
    bad = admin.post(f"{BASE}/session-requests", json={"reason": "kısa"})
    assert bad.status_code == 422 and "reason" in bad.json["errors"]
    request = admin.post(f"{BASE}/session-requests", json={"reason": "Kentsel dönüşüm projesi görüşülsün."}).json
    # Six active members with a vote in the general assembly (five on the board and one outsider): 2 are a third.
    assert request["standing"] == {"signatures": 0, "needed": 2}
    url = f"{BASE}/session-requests/{request['id']}"
    first = admin.post(f"{url}/signatures", json={"member_id": desk["seated"][0]}).json
    assert first["status"] == "collecting"
    twice = admin.post(f"{url}/signatures", json={"member_id": desk["seated"][0]})
    assert twice.status_code == 409 and "member_id" in twice.json["errors"]
    assert "extraordinary_session_due" not in {w["code"] for w in admin.get(f"{BASE}/calendar").json["warnings"]}
    due = admin.post(f"{url}/signatures", json={"member_id": desk["seated"][1]}).json
    assert due["status"] == "due" and due["standing"] == {"signatures": 2, "needed": 2}
    assert "extraordinary_session_due" in {w["code"] for w in admin.get(f"{BASE}/calendar").json["warnings"]}

    ordinary = _call(desk).json  # a board meeting is no answer
    assert admin.post(f"{url}/meeting", json={"meeting_id": ordinary["id"]}).status_code == 422
    bodies = {b["kind"]: b["id"] for b in admin.get(f"{BASE}/bodies").json}
    when = (datetime.now(UTC) + timedelta(days=16)).isoformat()
    assembly = admin.post(f"{BASE}/meetings", json={"body_id": bodies["general_assembly"], "kind": "extraordinary",
                                                    "title": "Olağanüstü Genel Kurul", "scheduled_at": when,
                                                    "agenda": ["Kentsel dönüşüm"]}).json
    convened = admin.post(f"{url}/meeting", json={"meeting_id": assembly["id"]}).json
    assert convened["status"] == "convened" and convened["meeting_id"] == assembly["id"]
    assert "extraordinary_session_due" not in {w["code"] for w in admin.get(f"{BASE}/calendar").json["warnings"]}


def test_the_floor_of_twice_the_board_counts_the_board_as_it_is(app, world):
    """A board of 9 (above the statutory 7): a reconvened general assembly under "twice the executive board"
    needs 18 present, not 14."""
    from datetime import date

    from sqlalchemy import select

    from konsey.core import meetings
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.bylaws import ByLawProfile
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    ids = [world.member(council, name=f"Üye {n:02d} Kaya") for n in range(30)]
    with app.app_context(), bound_council(council):
        profile = db.session.scalar(select(ByLawProfile))  # the council's by-laws say "twice the board"
        profile.parameters = {**profile.parameters, "reconvene_rule": "floor_twice_executive_board"}
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in ids[:9]:
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        failed_at = datetime.now(UTC) - timedelta(days=1)
        meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Toplanamadı", failed_at, None, ["Bir"],
                          now=failed_at - timedelta(days=10))
        reconvened = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Yeniden", datetime.now(UTC)
                                       + timedelta(days=2), None, ["Bir"], reconvened=True)
        assert meetings.quorum_status(reconvened, assembly)["needed"] == 18
        db.session.rollback()


def test_check_ins_and_votes_are_refused_before_the_start_and_after_the_close(desk):
    """Rule 7: people are checked in, and votes opened, from the by-laws' tolerance before the scheduled start
    until the meeting is closed; before that and after it the desk is told why (409), and nothing is written."""

    admin = desk["admin"]
    meeting = _call(desk).json  # three days ahead
    url = f"{BASE}/meetings/{meeting['id']}"
    early = admin.post(f"{url}/attendance", json={"member_id": desk["seated"][0]})
    assert early.status_code == 409 and "meeting" in early.json["errors"]
    assert admin.get(url).json["quorum"]["present"] == 0
    item = admin.get(url).json["agenda"][0]["id"]
    assert admin.post(f"{url}/votes", json={"agenda_item_id": item}).status_code == 409
    admin.start_meeting(meeting["id"])  # it starts in a minute: the default tolerance (an hour) lets the roll open
    assert admin.post(f"{url}/attendance", json={"member_id": desk["seated"][0]}).status_code == 200

    assert admin.post(f"{url}/close").status_code == 200
    late = admin.post(f"{url}/attendance", json={"member_id": desk["seated"][1]})
    assert late.status_code == 409 and "meeting" in late.json["errors"]
    assert admin.post(f"{url}/votes", json={"agenda_item_id": item}).status_code == 409


def test_the_bylaws_set_how_early_the_roll_opens(world, api):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    changed = admin.post(f"{BASE}/bylaws", json={"effective_from": date.today().isoformat(),
                                                 "parameters": {"check_in_opens_minutes_before": 0}})
    assert changed.status_code in (200, 201), changed.json  # the day it joined: today's version is replaced
    member = str(world.member(council, name="Ayşe Kaya"))
    assembly = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "general_assembly")["id"]
    when = (datetime.now(UTC) + timedelta(days=3)).isoformat()
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": assembly, "title": "Genel Kurul",
                                                   "scheduled_at": when, "agenda": ["Bir"]}).json
    url = f"{BASE}/meetings/{meeting['id']}/attendance"
    admin.start_meeting(meeting["id"], minutes=2)
    assert admin.post(url, json={"member_id": member}).status_code == 409  # two minutes early: no tolerance
    admin.start_meeting(meeting["id"], minutes=-1)
    assert admin.post(url, json={"member_id": member}).status_code == 200


def test_the_roll_opens_early_but_votes_wait_for_the_announced_start(world, api):
    """The by-laws let the desk count the hall a little before the start (60 minutes here); nobody may put a
    question before the hour members were told."""
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    member = str(world.member(council, name="Ayşe Kaya"))
    assembly = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "general_assembly")["id"]
    meeting = admin.post(f"{BASE}/meetings", json={"body_id": assembly, "title": "Genel Kurul",
                                                   "scheduled_at": (datetime.now(UTC) + timedelta(days=3)).isoformat(),
                                                   "agenda": ["Bir"]}).json
    url = f"{BASE}/meetings/{meeting['id']}"
    admin.start_meeting(meeting["id"], minutes=30)
    assert admin.post(f"{url}/attendance", json={"member_id": member}).status_code == 200  # the roll is open
    item = admin.get(url).json["agenda"][0]["id"]
    early = admin.post(f"{url}/votes", json={"agenda_item_id": item})
    assert early.status_code == 409 and "meeting" in early.json["errors"]
    assert admin.get(url).json["status"] == "scheduled"  # nothing was opened
    admin.start_meeting(meeting["id"], minutes=-1)
    assert admin.post(f"{url}/votes", json={"agenda_item_id": item}).status_code == 201
