"""A meeting that has not sat can be moved or called off: its invitees are told, with the event their calendars
replace (a higher SEQUENCE) or remove (METHOD:CANCEL); the public calendar shows it cancelled; a cancelled meeting
takes no check-in and is not a failed session; bringing a meeting forward needs the by-laws' notice from today;
another council's meeting is not found; the audit chain keeps no reason (free text)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from test_notifications import _call_general_assembly, _in, _relay, council  # noqa: F401 - the fixture

from support.clients import login

BASE = "/api/v1/councils/izmir"


def _event_of(message):
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    content = part.get_content()
    calendar = Calendar.from_ical(content if isinstance(content, bytes) else content.encode())
    event = calendar.walk("VEVENT")[0]
    assert event.errors == []  # nothing the parser had to forgive
    return part.get_param("method"), str(calendar["method"]), event


def test_moving_and_cancelling_a_meeting_tells_its_invitees_and_their_calendars(app, council, mailbox):  # noqa: F811
    admin = council["admin"]
    meeting_id = _call_general_assembly(app, council["id"])  # three days ahead
    _relay(app)
    mailbox.wait_for(3)
    mailbox.clear()
    url = f"{BASE}/meetings/{meeting_id}"
    first = admin.get(url).json
    assert first["sequence"] == 0 and first["status"] == "scheduled"

    # Brought forward to tomorrow: the by-laws' notice from today is not there. Nothing changes.
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    early = admin.post(f"{url}/reschedule", json={"scheduled_at": tomorrow})
    assert early.status_code == 422 and "scheduled_at" in early.json["errors"]
    past = admin.post(f"{url}/reschedule", json={"scheduled_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat()})
    assert past.status_code == 422 and "scheduled_at" in past.json["errors"]
    assert admin.get(url).json["sequence"] == 0 and _relay(app) == 0

    # Postponed by a week, to another hall: everyone is told, the event replaces the old one.
    later = (datetime.fromisoformat(first["scheduled_at"]) + timedelta(days=7)).replace(microsecond=0)
    moved = admin.post(f"{url}/reschedule", json={"scheduled_at": later.isoformat(), "location": "Ahmet Adnan Saygun"})
    assert moved.status_code == 200, moved.json
    assert moved.json["sequence"] == 1 and moved.json["location"] == "Ahmet Adnan Saygun"
    _relay(app)
    told = mailbox.wait_for(3)
    assert sorted(m["To"] for m in told) == ["ayse@example.org", "mehmet@example.org", "zeynep@example.org"]
    assert all(m["Subject"] == "Yeni zaman: Kasım Genel Kurulu" for m in told), [m["Subject"] for m in told]
    part_method, method, event = _event_of(told[0])
    assert part_method == method == "PUBLISH" and int(event["sequence"]) == 1
    assert event.decoded("dtstart") == later and str(event["location"]) == "Ahmet Adnan Saygun"
    assert str(event["uid"]) == f"meeting-{meeting_id}@konsey.test"  # the same event, replaced
    same = admin.post(f"{url}/reschedule", json={"scheduled_at": later.isoformat()})
    assert same.status_code == 422  # already called for that time and place

    # Cancelled: the reason goes to the invitees and the public calendar, not into the audit chain.
    assert admin.post(f"{url}/cancellation", json={"reason": "x"}).status_code == 422
    cancelled = admin.post(f"{url}/cancellation", json={"reason": "Salon tadilatta"})
    assert cancelled.status_code == 200 and cancelled.json["status"] == "cancelled"
    assert cancelled.json["sequence"] == 2 and cancelled.json["cancellation_reason"] == "Salon tadilatta"
    mailbox.clear()
    _relay(app)
    told = mailbox.wait_for(3)
    assert all(m["Subject"] == "İptal: Kasım Genel Kurulu" for m in told)
    assert "Salon tadilatta" in told[0].get_body(("plain",)).get_content()
    part_method, method, event = _event_of(told[0])
    assert part_method == method == "CANCEL" and str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2
    public = Calendar.from_ical(app.test_client().get("/izmir/calendar.ics").data).walk("VEVENT")
    assert [(str(e["status"]), int(e["sequence"])) for e in public] == [("CANCELLED", 2)]
    audit = admin.get(f"{BASE}/audit").json
    entry = next(e for e in audit if e["action"] == "meeting.cancelled")
    assert "tadilat" not in str(entry) and any(e["action"] == "meeting.rescheduled" for e in audit)

    # A cancelled meeting sits no more, moves no more and is not cancelled twice; it is not closed (it would
    # count as held) and gets no passes (no link to a meeting called off).
    ayse = council["people"]["Ayşe Kaya"]
    assert admin.post(f"{url}/attendance", json={"member_id": ayse}).status_code == 409
    assert admin.post(f"{url}/close").status_code == 409
    assert admin.post(f"{url}/passes").status_code == 409
    assert admin.post(f"{url}/reschedule", json={"scheduled_at": later.isoformat()}).status_code == 409
    assert admin.post(f"{url}/cancellation", json={"reason": "Yine iptal"}).status_code == 409


def test_a_cancelled_meeting_is_not_a_failed_session(app, council):  # noqa: F811
    """A session reconvened after a failed one needs no quorum (by-laws); a session called off never sat and
    failed nothing, so a "reconvened" session after it is refused."""
    from konsey.core import meetings
    from konsey.core.bodies import Body
    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db

    meeting_id = _call_general_assembly(app, council["id"])
    assert council["admin"].post(f"{BASE}/meetings/{meeting_id}/cancellation",
                                 json={"reason": "Seçim takvimi"}).status_code == 200
    close = _in(app, council["id"])
    try:
        meeting = db.session.get(Meeting, meeting_id)
        body = db.session.get(Body, meeting.body_id)
        later = meeting.scheduled_at + timedelta(days=10)
        assert meetings.failed_session(body, later, later) is None
    finally:
        close()


def test_the_desk_moves_and_cancels_and_keeps_what_was_typed(app, council, world):  # noqa: F811
    meeting_id = _call_general_assembly(app, council["id"])
    page = app.test_client()
    world.user("desk@izmir.example.org", roles={council["id"]: "administrator"})
    login(page, "desk@izmir.example.org")
    page.environ_base["HTTP_ACCEPT_LANGUAGE"] = "tr"
    desk = page.get(f"/izmir/meetings/{meeting_id}").get_data(as_text=True)
    assert 'data-testid="change-meeting"' in desk and "Toplantıyı ertele ya da iptal et" in desk

    refused = page.post(f"/izmir/meetings/{meeting_id}/reschedule",
                        data={"date": datetime.now(UTC).date().isoformat(), "time": "00:01", "location": "Fuar"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Toplantı ileri bir tarih için çağrılır" in refused and 'value="Fuar"' in refused  # kept, said why
    target = (datetime.now(UTC) + timedelta(days=12)).date()
    moved = page.post(f"/izmir/meetings/{meeting_id}/reschedule",
                      data={"date": target.isoformat(), "time": "19:30", "location": "Fuar"}, follow_redirects=True)
    assert moved.status_code == 200 and "Toplantının zamanı değişti" in moved.get_data(as_text=True)
    detail = council["admin"].get(f"{BASE}/meetings/{meeting_id}").json
    local = datetime.fromisoformat(detail["scheduled_at"]).astimezone(__import__("zoneinfo").ZoneInfo("Europe/Istanbul"))
    assert (local.date(), local.strftime("%H:%M"), detail["location"]) == (target, "19:30", "Fuar")

    empty = page.post(f"/izmir/meetings/{meeting_id}/cancellation", data={"reason": ""}, follow_redirects=True)
    assert empty.status_code == 200 and 'data-testid="change-meeting"' in empty.get_data(as_text=True)
    done = page.post(f"/izmir/meetings/{meeting_id}/cancellation", data={"reason": "Deprem tatbikatı"},
                     follow_redirects=True).get_data(as_text=True)
    assert 'data-testid="cancelled"' in done and "Deprem tatbikatı" in done and 'data-testid="change-meeting"' not in done


def test_another_councils_meeting_cannot_be_moved_or_cancelled(app, world, api):
    izmir = world.council("izmir")
    ankara = world.council("ankara")
    meeting_id = _call_general_assembly(app, izmir)
    outsider = api(world.token(world.user("gs@ankara.example.org", roles={ankara: "administrator"}), ankara))
    when = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    for path in (f"/api/v1/councils/ankara/meetings/{meeting_id}/reschedule",
                 f"/api/v1/councils/ankara/meetings/{meeting_id}/cancellation"):
        answer = outsider.post(path, json={"scheduled_at": when} if path.endswith("reschedule") else {"reason": "Yok"})
        assert answer.status_code == 404, path
    assert outsider.post(f"/api/v1/councils/izmir/meetings/{meeting_id}/cancellation",
                         json={"reason": "Yok"}).status_code == 404  # not theirs: not found
    admin = api(world.token(world.user("gs@izmir.example.org", roles={izmir: "administrator"}), izmir))
    assert admin.get(f"/api/v1/councils/izmir/meetings/{meeting_id}").json["status"] == "scheduled"


def test_a_meeting_whose_hour_came_or_whose_roll_opened_is_not_moved_or_cancelled(app, council):  # noqa: F811
    """Once anybody was checked in, or its hour passed (a session without a quorum is a failed session, on the
    record as such), the meeting stays where it was."""
    admin = council["admin"]
    meeting_id = _call_general_assembly(app, council["id"])
    url = f"{BASE}/meetings/{meeting_id}"
    later = (datetime.now(UTC) + timedelta(days=20)).isoformat()
    admin.start_meeting(meeting_id, minutes=30)  # the roll opens an hour early (the by-laws' default)
    assert admin.post(f"{url}/attendance", json={"member_id": council["people"]["Ayşe Kaya"]}).status_code == 200
    assert admin.post(f"{url}/reschedule", json={"scheduled_at": later}).status_code == 409
    assert admin.post(f"{url}/cancellation", json={"reason": "Salon dolu"}).status_code == 409
    other = _call_general_assembly(app, council["id"])
    admin.start_meeting(other, minutes=-90)  # its hour came and went, nobody came
    assert admin.post(f"{BASE}/meetings/{other}/reschedule", json={"scheduled_at": later}).status_code == 409
    assert admin.post(f"{BASE}/meetings/{other}/cancellation", json={"reason": "Kimse gelmedi"}).status_code == 409
    assert admin.get(f"{BASE}/meetings/{other}").json["status"] == "scheduled"
