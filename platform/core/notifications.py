"""E-mail that follows from the council's record: meeting invitations (with an .ics file) and application
outcomes. Sent by the worker from outbox events, in the council's language, once per person and event."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core.db import as_utc, db
from konsey.core.mail import build_message, deliver
from konsey.core.outbox import first_time
from konsey.tenants.models import Body, Council


def invitation_calendar(meeting, body: Body, council: Council) -> bytes:
    """An iCalendar invitation; the UID is stable so that calendars update rather than duplicate."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Konsey//Kent Konseyi//TR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@konsey")
    event.add("summary", f"{council.name}: {body.name} — {meeting.title}")
    start = as_utc(meeting.scheduled_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=2))
    event.add("dtstamp", as_utc(meeting.called_at))
    if meeting.location:
        event.add("location", meeting.location)
    calendar.add_component(event)
    return calendar.to_ical()


def meeting_invitations(meeting_id: uuid.UUID, key: str) -> int:
    """Invite every member with a vote in the meeting's body who has an e-mail address; returns how many."""
    from flask_babel import format_datetime

    from konsey.core.meetings import Meeting, eligible_members
    from konsey.core.membership import Member
    from konsey.tenants.bylaw_profiles import parameters_on

    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        return 0
    body = db.session.get(Body, meeting.body_id)
    council = db.session.get(Council, meeting.council_id)
    invited = eligible_members(body, meeting.day, parameters_on(meeting.day))
    attachment = invitation_calendar(meeting, body, council)
    sent = 0
    with force_locale(council.locale or "tr"):
        for member in db.session.scalars(select(Member).where(Member.id.in_(invited), Member.email.is_not(None))):
            if not first_time(f"{key}:{member.id}"):
                continue  # this person was invited by an earlier delivery of the same event
            when = format_datetime(meeting.scheduled_at, "dd.MM.yyyy HH:mm")
            text = _("You are invited to the meeting of %(body)s: %(title)s, on %(when)s.",
                     body=body.name, title=meeting.title, when=when)
            if meeting.location:
                text += "\n" + _("Place: %(place)s", place=meeting.location)
            message = build_message(member.email, _("Invitation: %(title)s", title=meeting.title), text)
            message.add_attachment(attachment, maintype="text", subtype="calendar", filename="toplanti.ics",
                                   params={"method": "PUBLISH"})
            deliver(message)
            sent += 1
    return sent


def application_outcome(application_id: uuid.UUID, key: str) -> bool:
    """Tell the applicant how their application was decided (if they gave an e-mail address)."""
    from konsey.core.applications import ApplicationStatus, MembershipApplication

    application = db.session.scalar(select(MembershipApplication).where(MembershipApplication.id == application_id))
    address = (application.applicant or {}).get("email") if application else None
    if not address or not first_time(key):
        return False
    council = db.session.get(Council, application.council_id)
    with force_locale(council.locale or "tr"):
        if application.status is ApplicationStatus.APPROVED:
            subject = _("Your membership application was approved")
            text = _("Welcome to %(council)s. Your membership application no. %(number)d was approved.",
                     council=council.name, number=application.number)
        else:
            subject = _("Your membership application was decided")
            text = _("Your membership application no. %(number)d to %(council)s was not approved. Reason: %(reason)s",
                     number=application.number, council=council.name, reason=application.decision_reason or "—")
        deliver(build_message(address, subject, text))
    return True
