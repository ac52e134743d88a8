"""Notifications: in the app always, by e-mail at once, in a daily digest or not at all — per member and kind;
invitations carry an .ics file; large audiences go out in batches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

BASE = "/api/v1/councils/izmir"


@pytest.fixture
def council(app, world, api):
    council_id = world.council("izmir")
    people, users = {}, {}
    for name, mail in (("Ayşe Kaya", "ayse@example.org"), ("Mehmet Er", "mehmet@example.org"),
                       ("Zeynep Ak", "zeynep@example.org")):
        people[name] = world.member(council_id, name=name, email=mail)
        users[mail] = world.user(mail, roles={council_id: "member"})
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council_id: "administrator"}), council_id))
    return {"id": council_id, "people": people, "admin": admin,
            "ayse": api(world.token(users["ayse@example.org"], council_id))}


def _in(app, council_id):
    from konsey.tenants.scoping import bound_council

    context = app.app_context()
    context.push()
    scope = bound_council(council_id)
    scope.__enter__()
    return lambda: (scope.__exit__(None, None, None), context.pop())


def _call_general_assembly(app, council_id):
    from konsey.core import meetings
    from konsey.core.bodies import Body, BodyKind
    from konsey.tenants.db import db

    close = _in(app, council_id)
    try:
        assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
        meeting = meetings.schedule(assembly, meetings.MeetingKind.ORDINARY, "Kasım Genel Kurulu",
                                    datetime.now(UTC) + timedelta(days=3), "Kültürpark", ["Açılış"])
        db.session.commit()
        return meeting.id
    finally:
        close()


def _relay(app):
    """Publish until nothing is due: an event's work may make events of its own (the e-mail batches)."""
    from konsey.worker.relay import relay

    published = 0
    with app.app_context():
        while (count := relay()):
            published += count
    return published


def test_each_member_is_told_as_they_chose(app, council, mailbox):
    ayse = council["ayse"]
    bad = ayse.put(f"{BASE}/notifications/preferences", json={"preferences": {"meeting_invitation": "loudly"}})
    assert bad.status_code == 422 and "preferences" in bad.json["errors"]
    assert ayse.put(f"{BASE}/notifications/preferences",
                    json={"preferences": {"meeting_invitation": "digest"}}).status_code == 200
    from konsey.core.notifications import set_preferences
    from konsey.tenants.db import db

    close = _in(app, council["id"])
    set_preferences(council["people"]["Zeynep Ak"], {"meeting_invitation": "off"})
    db.session.commit()
    close()

    mailbox.clear()
    _call_general_assembly(app, council["id"])
    assert _relay(app) == 2  # the meeting's event, then the e-mail batch it made (both through the outbox)
    immediate = mailbox.wait_for(1)
    assert [m["To"] for m in immediate] == ["mehmet@example.org"]  # Ayşe waits for the digest, Zeynep is off
    ics = next(p for p in immediate[0].iter_attachments() if p.get_content_type() == "text/calendar")
    from icalendar import Calendar

    content = ics.get_content()
    event = Calendar.from_ical(content if isinstance(content, bytes) else content.encode()).walk("VEVENT")[0]
    assert str(event["summary"]).endswith("Kasım Genel Kurulu") and str(event["location"]) == "Kültürpark"

    mine = ayse.get(f"{BASE}/notifications").json
    assert [n["subject"] for n in mine] == ["Davet: Kasım Genel Kurulu"] and mine[0]["emailed_at"] is None
    assert ayse.post(f"{BASE}/notifications/{mine[0]['id']}/read").json["read_at"]

    from konsey.worker.tasks import send_digests

    with app.app_context():
        assert send_digests() == 1
    digest = [m for m in mailbox.wait_for(2) if m["To"] == "ayse@example.org"]
    assert len(digest) == 1 and "Kasım Genel Kurulu" in digest[0].get_body(("plain",)).get_content()
    with app.app_context():
        assert send_digests() == 0  # nothing waits any more
    assert len(mailbox.messages) == 2  # Zeynep got nothing by e-mail
    zeynep_notes = _count_notes(app, council["id"], council["people"]["Zeynep Ak"])
    assert zeynep_notes == 1  # but it is there in the app


def _count_notes(app, council_id, member_id):
    from konsey.core.notifications import Notification
    from konsey.tenants.db import db

    close = _in(app, council_id)
    try:
        return len(db.session.scalars(select(Notification).where(Notification.member_id == member_id)).all())
    finally:
        close()


def test_a_redelivered_event_tells_nobody_twice(app, council, mailbox):
    from konsey.core.notifications import meeting_invitations
    from konsey.tenants.db import db

    meeting_id = _call_general_assembly(app, council["id"])
    _relay(app)  # the meeting's own invitations go first
    mailbox.wait_for(3)
    mailbox.clear()
    close = _in(app, council["id"])
    try:
        assert meeting_invitations(meeting_id, key="event-1") == 3
        db.session.commit()
        assert meeting_invitations(meeting_id, key="event-1") == 0
        db.session.commit()
    finally:
        close()
    _relay(app)  # the e-mails leave through the outbox
    assert len(mailbox.wait_for(3)) == 3
    assert len(mailbox.wait_for(4, timeout=0.5)) == 3  # and once


def test_large_audiences_go_out_in_batches(app, world, council, mailbox, monkeypatch):
    from konsey.core import notifications

    for index in range(7):
        world.member(council["id"], name=f"Üye {index}", email=f"uye{index}@example.org")
    batches = []
    original = notifications.send_batch
    monkeypatch.setattr(notifications, "BATCH", 4)
    monkeypatch.setattr(notifications, "send_batch", lambda ids, **kw: batches.append(len(ids)) or original(ids, **kw))
    mailbox.clear()
    _call_general_assembly(app, council["id"])
    _relay(app)
    assert batches == [4, 4, 2] and len(mailbox.wait_for(10)) == 10


def test_decisions_and_motion_follow_up_are_notified(app, world, council, mailbox):
    from conftest import adopted_motion

    member = council["people"]["Ayşe Kaya"]
    world.body_with_seat(council["id"], member)
    adopted_motion(app, world, council["id"], member_id=member)
    _relay(app)
    subjects = [n["subject"] for n in council["ayse"].get(f"{BASE}/notifications").json]
    assert any(s.startswith("Karar ") for s in subjects)


def test_notifications_of_another_council_are_not_found(app, world, council, api):
    meeting_id = _call_general_assembly(app, council["id"])
    assert meeting_id
    _relay(app)
    note = council["ayse"].get(f"{BASE}/notifications").json[0]
    other = world.council("nilufer", province=16)
    world.member(other, name="Ayşe Kaya", email="ayse@example.org")
    from konsey.core.accounts import CouncilRoleName, User, grant_role
    from konsey.tenants.db import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "ayse@example.org"))
        grant_role(user, other, CouncilRoleName.MEMBER)
        db.session.commit()
        user_id = user.id
    there = api(world.token(user_id, other))
    assert there.get("/api/v1/councils/nilufer/notifications").json == []
    assert there.post(f"/api/v1/councils/nilufer/notifications/{note['id']}/read").status_code == 404


def test_each_member_reads_in_their_own_language(app, world, council, mailbox):
    """Mehmet's account is in English: his invitation is in English; the others get the council's Turkish."""
    from konsey.core.accounts import User
    from konsey.tenants.db import db

    with app.app_context():
        db.session.scalar(select(User).where(User.email == "mehmet@example.org")).locale = "en"
        db.session.commit()
    mailbox.clear()
    _call_general_assembly(app, council["id"])
    _relay(app)
    subjects = {m["To"]: m["Subject"] for m in mailbox.wait_for(3)}
    assert subjects["mehmet@example.org"] == "Invitation: Kasım Genel Kurulu"
    assert subjects["ayse@example.org"] == "Davet: Kasım Genel Kurulu"


def test_notification_e_mails_wait_in_the_outbox_not_in_the_broker(app, council, mailbox):
    """A broker that restarts before the worker takes the e-mails loses none: the batch is an outbox event
    in the database, written with the notifications."""
    from sqlalchemy import select

    from konsey.core.notifications import meeting_invitations
    from konsey.core.outbox import OutboxEvent
    from konsey.core.tasks_after_commit import _KEY
    from konsey.tenants.db import db

    meeting_id = _call_general_assembly(app, council["id"])
    close = _in(app, council["id"])
    try:
        assert meeting_invitations(meeting_id, key="outbox-test") >= 1
        assert not db.session().info.get(_KEY)  # nothing waits for the broker after commit
        db.session.commit()
        batches = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "notifications.batch",
                                                               OutboxEvent.completed_at.is_(None))).all()
        assert batches and all(event.payload["notification_ids"] for event in batches)
    finally:
        close()
    _relay(app)
    assert mailbox.wait_for(1)
