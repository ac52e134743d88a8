"""Meetings in calendars: the invitation's event carries its organizer, sequence, agenda and address; the
council's calendar lists its meetings; a member's own calendar, at a secret address, lists the meetings of the
bodies in which they vote, and stops answering once renewed; another council's address is not found."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from sqlalchemy import select
from test_notifications import _call_general_assembly, _in, council  # noqa: F401 - the fixture


def _events(data: bytes) -> list:
    parsed = Calendar.from_ical(data)  # a malformed line raises; what the events forgave is in their errors
    events = parsed.walk("VEVENT")
    assert [(event.get("UID"), event.errors) for event in events if event.errors] == []
    return events


def _board_meeting(app, council_id, member_id):
    """The executive board with one member, and a meeting of it."""
    from datetime import UTC, datetime, timedelta

    from konsey.core import meetings
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db

    close = _in(app, council_id)
    try:
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        meeting = meetings.schedule(board, meetings.MeetingKind.ORDINARY, "Yürütme Kurulu toplantısı",
                                    datetime.now(UTC) + timedelta(days=5), "Konsey binası", ["Bütçe", "Park"])
        db.session.commit()
        return meeting.id
    finally:
        close()


def test_the_councils_and_a_members_calendars(app, council):  # noqa: F811
    from konsey.core import meeting_calendars
    from konsey.core.bodies import Body
    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.models import Council

    assembly = _call_general_assembly(app, council["id"])
    ayse, mehmet = council["people"]["Ayşe Kaya"], council["people"]["Mehmet Er"]
    board = _board_meeting(app, council["id"], ayse)
    client = app.test_client()

    public = client.get("/izmir/calendar.ics")
    assert public.status_code == 200 and public.mimetype == "text/calendar"
    events = {str(e["summary"]): e for e in _events(public.data)}
    assert len(events) == 2
    event = next(e for s, e in events.items() if s.endswith("Kasım Genel Kurulu"))
    assert str(event["uid"]) == f"meeting-{assembly}@konsey.test"  # under the public host, as the invitation's
    assert int(event["sequence"]) == 0 and str(event["organizer"]).startswith("mailto:")
    assert event["organizer"].params["CN"]
    assert str(event["url"]) == "http://konsey.test/izmir/public" and "1. Açılış" in str(event["description"])

    # The invitation's event is the same event.
    close = _in(app, council["id"])
    try:
        meeting = db.session.get(Meeting, assembly)
        invitation = _events(meeting_calendars.invitation(meeting, db.session.get(Body, meeting.body_id),
                                                          db.session.get(Council, council["id"])))[0]
        assert str(invitation["uid"]) == str(event["uid"]) and str(invitation["organizer"]) == str(event["organizer"])
    finally:
        close()

    # Ayşe's own calendar (from the secretariat's page of her record): both meetings; Mehmet's: the assembly only.
    admin = _html_client(app)
    page = admin.get(f"/izmir/members/{ayse}").get_data(as_text=True)
    address = page.split('data-testid="calendar-address"')[0].rsplit('value="', 1)[1].split('"')[0]
    path = address.removeprefix("http://konsey.test")
    mine = {str(e["summary"]).rsplit("— ", 1)[1] for e in _events(client.get(path).data)}
    assert mine == {"Kasım Genel Kurulu", "Yürütme Kurulu toplantısı"}
    close = _in(app, council["id"])
    try:
        from konsey.core.membership import Member

        his = meeting_calendars.feed_url(db.session.get(Member, mehmet), db.session.get(Council, council["id"]))
    finally:
        close()
    his_path = his.removeprefix("http://konsey.test")
    assert {str(e["summary"]).rsplit("— ", 1)[1] for e in _events(client.get(his_path).data)} == \
        {"Kasım Genel Kurulu"}
    assert board  # (the board's meeting is Ayşe's only)

    # Renewed: the old address is not found, the new one works; another council's address never answers here.
    renewed = admin.post(f"/izmir/members/{ayse}/calendar")
    assert renewed.status_code == 302
    assert client.get(path).status_code == 404
    page = admin.get(f"/izmir/members/{ayse}").get_data(as_text=True)
    fresh = page.split('data-testid="calendar-address"')[0].rsplit('value="', 1)[1].split('"')[0]
    assert fresh != address and client.get(fresh.removeprefix("http://konsey.test")).status_code == 200
    assert client.get(path.replace("/izmir/", "/bursa/")).status_code == 404
    assert client.get("/izmir/calendar/forged.ics").status_code == 404


def _html_client(app):
    from support.clients import login

    client = app.test_client()
    login(client, "gs@izmir.example.org")
    return client
