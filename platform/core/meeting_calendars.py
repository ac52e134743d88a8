"""Meetings as iCalendar (RFC 5545): the invitation attached to an e-mail, the council's public calendar and a
member's own calendar behind a secret, revocable address.

One event per meeting, the same everywhere: its UID is stable under the public host, so a calendar that holds it
from an invitation and from a feed keeps one; SEQUENCE is the meeting's, raised whenever what it announces
changes; ORGANIZER is the council (its contact address), DESCRIPTION the agenda, URL the council's public page.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.errors import NotFound
from konsey.core.mail import mail_domain
from konsey.core.meetings import AgendaItem, Meeting, MeetingStatus, eligible_members
from konsey.core.membership import Member
from konsey.core.urls import external_url
from konsey.tenants.db import as_utc, db, utcnow
from konsey.tenants.models import Council

HOURS = 2  # a meeting's length as announced: the statute gives none, and a calendar needs an end
FEED_DAYS_BACK = 400  # a feed holds the past year's meetings and every one ahead


def _calendar(name: str | None = None, method: str | None = None):
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Konsey//Kent Konseyi//TR")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def meeting_event(meeting: Meeting, body: Body, council: Council, agenda: list[str]):
    """The meeting as a VEVENT."""
    from icalendar import Event, vCalAddress, vText

    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{mail_domain()}")
    event.add("sequence", meeting.sequence)
    event.add("summary", f"{council.name}: {body.name} — {meeting.title}")
    start = as_utc(meeting.scheduled_at)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(hours=HOURS))
    event.add("dtstamp", utcnow())
    event.add("created", as_utc(meeting.called_at))
    if meeting.location:
        event.add("location", meeting.location)
    if agenda:
        event.add("description", _("Agenda:") + "\n" + "\n".join(f"{n}. {title}" for n, title in
                                                                 enumerate(agenda, 1)))
    event.add("url", external_url("council.public_record", council_slug=council.slug))
    organizer = vCalAddress(f"mailto:{council.contact_email}")
    organizer.params["cn"] = vText(council.name)
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
    return event


def _agendas(meeting_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = {meeting_id: [] for meeting_id in meeting_ids}
    for meeting_id, title in db.session.execute(
            select(AgendaItem.meeting_id, AgendaItem.title).where(AgendaItem.meeting_id.in_(meeting_ids or [None]),
                                                                  AgendaItem.position > 0)
            .order_by(AgendaItem.meeting_id, AgendaItem.position)):
        found[meeting_id].append(title)
    return found


def method_of(meeting: Meeting) -> str:
    """PUBLISH for a meeting announced (or moved: its SEQUENCE is higher), CANCEL for one called off."""
    return "CANCEL" if meeting.status is MeetingStatus.CANCELLED else "PUBLISH"


def invitation(meeting: Meeting, body: Body, council: Council) -> bytes:
    """The .ics an invitation (or the news of a change) carries: METHOD:PUBLISH, announced and not a request to
    answer; METHOD:CANCEL when the meeting is called off."""
    calendar = _calendar(method=method_of(meeting))
    calendar.add_component(meeting_event(meeting, body, council, _agendas([meeting.id])[meeting.id]))
    return calendar.to_ical()


def _feed(meetings: list[Meeting], council: Council, name: str) -> bytes:
    calendar = _calendar(name=name, method="PUBLISH")
    bodies = {b.id: b for b in db.session.scalars(select(Body))}
    agendas = _agendas([m.id for m in meetings])
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, bodies[meeting.body_id], council, agendas[meeting.id]))
    return calendar.to_ical()


def _recent_meetings() -> list[Meeting]:
    since = utcnow() - timedelta(days=FEED_DAYS_BACK)
    return list(db.session.scalars(select(Meeting).where(Meeting.scheduled_at >= since)
                                   .order_by(Meeting.scheduled_at)))


def council_calendar(council: Council) -> bytes:
    """Every meeting of the council's bodies (no people): what its public notice announces."""
    return _feed(_recent_meetings(), council, _("%(council)s: meetings", council=council.name))


# --- a member's own calendar ------------------------------------------------------------------------------------

def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="konsey.calendar-feed")


def feed_token(member: Member) -> str:
    """The secret part of the member's calendar address: their id and the address's version, signed. Renewing
    the address (:func:`renew_feed`) raises the version, and every earlier address stops working."""
    return _signer().dumps([str(member.id), member.calendar_feed_version])


def member_of_token(token: str) -> Member:
    """The member a calendar address names, in the current council (NotFound for a forged, renewed or other
    council's address)."""
    try:
        member_id, version = _signer().loads(token)
        member = db.session.get(Member, uuid.UUID(member_id))
    except (BadSignature, ValueError, TypeError):
        member = None
        version = None
    if member is None or member.calendar_feed_version != version:
        raise NotFound(_("Not found."))
    return member


def renew_feed(member: Member) -> None:
    member.calendar_feed_version += 1
    db.session.flush()


def member_calendar(member: Member, council: Council) -> bytes:
    """The meetings of the bodies in which the member holds a vote on the meeting's day."""
    mine = []
    bodies = {b.id: b for b in db.session.scalars(select(Body))}
    for meeting in _recent_meetings():
        day = meeting.day
        if eligible_members(bodies[meeting.body_id], day, parameters_on(day), among={member.id}):
            mine.append(meeting)
    return _feed(mine, council, _("%(council)s: my meetings", council=council.name))


def feed_url(member: Member, council: Council) -> str:
    return external_url("council.member_calendar", council_slug=council.slug, token=feed_token(member))
