"""Motions: from an adopted decision to the municipal council's answer, with due dates and the outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from konsey.core.motions import Motion, MotionStatus, answer_due, is_overdue

BASE = "/api/v1/councils/izmir"


def test_without_a_recorded_calendar_the_answer_is_estimated_for_the_end_of_the_following_month():
    def delivered(on, status=MotionStatus.DELIVERED):
        return Motion(status=status, delivered_on=on)

    assert answer_due(delivered(date(2026, 3, 10))) == date(2026, 4, 30)
    assert answer_due(delivered(date(2026, 1, 31))) == date(2026, 2, 28)
    assert answer_due(delivered(date(2026, 12, 5))) == date(2027, 1, 31)
    assert answer_due(delivered(None, MotionStatus.SENT)) is None


def test_overdue_only_after_delivery_and_before_an_answer():
    def motion(status, on):
        return Motion(status=status, delivered_on=on)

    assert not is_overdue(motion(MotionStatus.SENT, None), date(2030, 1, 1))
    assert is_overdue(motion(MotionStatus.DELIVERED, date(2026, 3, 10)), date(2026, 5, 1))
    assert not is_overdue(motion(MotionStatus.DELIVERED, date(2026, 3, 10)), date(2026, 4, 30))
    assert not is_overdue(motion(MotionStatus.ANSWERED, date(2026, 3, 10)), date(2026, 9, 1))


@pytest.fixture
def decided(app, world, api):
    """An executive board decision adopted at a meeting, ready to become a motion."""
    from test_meetings import _held  # the same desk set-up as the meeting tests

    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    board = next(b for b in admin.get(f"{BASE}/bodies").json if b["kind"] == "executive_board")["id"]
    seated = [str(world.member(council, name=f"Üye {i}")) for i in range(3)]
    for member_id in seated:
        admin.post(f"{BASE}/bodies/{board}/seats", json={"member_id": member_id, "role": "principal",
                                                          "starts_on": "2026-01-01"})
    desk = {"admin": admin, "board": board}
    meeting = _held(desk)
    url = f"{BASE}/meetings/{meeting['id']}"
    for member_id in seated:
        admin.post(f"{url}/attendance", json={"member_id": member_id})
    items = [item["id"] for item in admin.get(url).json["agenda"]]
    votes = []
    for item, choices in ((items[0], ["yes", "yes", "no"]), (items[1], ["no", "no", "yes"])):
        vote = admin.post(f"{url}/votes", json={"agenda_item_id": item}).json
        for member_id, choice in zip(seated, choices, strict=True):
            admin.post(f"{url}/votes/{vote['id']}/ballots", json={"member_id": member_id, "choice": choice})
        votes.append(admin.post(f"{url}/votes/{vote['id']}/close", json={}).json)
    member = api(world.token(world.user("uye@izmir.example.org", roles={council: "member"}), council))
    return {"admin": admin, "member": member, "adopted": votes[0], "rejected": votes[1], "council": council}


def test_motion_life_from_adoption_to_answer(app, decided):
    admin = decided["admin"]
    created = admin.post(f"{BASE}/motions", json={"vote_id": decided["adopted"]["id"], "title": "Park önerisi",
                                                  "text": "Mahalleye park yapılması önerilir."})
    assert created.status_code == 201
    motion = created.json
    assert motion["status"] == "adopted" and motion["decision_number"] == decided["adopted"]["decision_number"]
    assert admin.post(f"{BASE}/motions", json={"vote_id": decided["adopted"]["id"], "title": "İkinci",
                                               "text": "x" * 5}).status_code == 409
    url = f"{BASE}/motions/{motion['id']}"
    assert admin.post(f"{url}/status", json={"status": "sent"}).json["status"] == "sent"
    no_date = admin.post(f"{url}/status", json={"status": "delivered"})
    assert no_date.status_code == 422 and "delivered_on" in no_date.json["errors"]
    long_ago = (date.today() - timedelta(days=90)).isoformat()
    delivered = admin.post(f"{url}/status", json={"status": "delivered", "delivered_on": long_ago}).json
    assert delivered["overdue"] is True and delivered["answer_due"]
    assert admin.post(f"{url}/status", json={"status": "sent"}).status_code == 409  # never backwards
    decided = (date.today() - timedelta(days=60)).strftime("%d.%m.%Y")  # the meeting, recorded late
    answered = admin.post(f"{url}/answer", json={"answer": "referred", "municipal_decision_date": decided,
                                                 "municipal_decision_number": "2026/112"}).json
    assert answered["status"] == "answered" and answered["overdue"] is False
    assert admin.post(f"{url}/answer", json={"answer": "accepted"}).status_code == 409

    public = app.test_client().get("/izmir/public").get_data(as_text=True)
    assert "Park önerisi" in public and "Komisyona havale edildi" in public and "2026/112" in public
    assert "Üye 0" not in public  # decisions and motions, never people


def test_adoption_writes_the_outbox_event_in_the_same_transaction(app, decided):
    from sqlalchemy import select

    from konsey.core.outbox import OutboxEvent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    motion = decided["admin"].post(f"{BASE}/motions", json={"vote_id": decided["adopted"]["id"], "title": "Park",
                                                            "text": "Metin metin"}).json
    with app.app_context(), bound_council(decided["council"]):
        events = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "motion.adopted")).all()
    assert [(e.kind, e.payload["motion_id"], e.published_at) for e in events] == [("motion.adopted", motion["id"], None)]
    # The meeting that took the decision left its own event: its invitations.
    with app.app_context(), bound_council(decided["council"]):
        assert db.session.scalar(select(OutboxEvent.id).where(OutboxEvent.kind == "meeting.called")) is not None


def test_a_rejected_decision_is_no_motion_and_members_only_read(decided):
    refused = decided["admin"].post(f"{BASE}/motions", json={"vote_id": decided["rejected"]["id"], "title": "Hayır",
                                                             "text": "Metin metin"})
    assert refused.status_code == 422 and "vote_id" in refused.json["errors"]
    assert decided["member"].get(f"{BASE}/motions").status_code == 200
    assert decided["member"].post(f"{BASE}/motions", json={"vote_id": decided["adopted"]["id"], "title": "X",
                                                           "text": "Metin"}).status_code == 403


def test_the_board_hears_once_per_unit_of_work_where_a_motion_stands(app, world):
    """Queued, sent and delivered in one delivery is one event (one worker task, one notification), of the last
    status; a later unit of work gets its own; a rolled-back one leaves nothing to change."""
    from datetime import date

    from sqlalchemy import select

    from conftest import adopted_motion
    from konsey.core import motions
    from konsey.core.motions import Motion, MotionStatus
    from konsey.core.outbox import OutboxEvent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    motion_id = adopted_motion(app, world, council)

    def told():
        return [e.payload["status"] for e in db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.kind == "motion.status").order_by(OutboxEvent.created_at))]

    with app.app_context(), bound_council(council):
        motion = db.session.get(Motion, motion_id)
        for status in (MotionStatus.QUEUED, MotionStatus.SENT):
            motions.advance(motion, status)
        motions.advance(motion, MotionStatus.DELIVERED, delivered_on=date(2027, 1, 5))
        db.session.commit()
        assert told() == ["delivered"]
        try:
            with db.session.begin_nested():
                motions.advance(motion, MotionStatus.ON_AGENDA)
                raise RuntimeError("the step is abandoned")
        except RuntimeError:
            pass
        db.session.refresh(motion)
        motions.advance(motion, MotionStatus.ON_AGENDA)
        db.session.commit()
        assert told() == ["delivered", "on_agenda"]
