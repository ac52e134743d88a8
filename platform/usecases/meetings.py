"""Meetings: call one with notice, check people in and out, watch the quorum, vote, number decisions, excuse
absences, close it and print its minutes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import meetings
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Invalid, NotFound
from konsey.core.meetings import AgendaItem, Attendance, Ballot, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.minutes import build_minutes
from konsey.core.permissions import Permission
from konsey.core.representatives import Representative
from konsey.tenants.db import db
from konsey.usecases.base import command, one, query, referenced
from konsey.usecases.members import member_named


def meeting(meeting_id: uuid.UUID) -> Meeting:
    return one(Meeting, meeting_id)


def body_of(meeting_row: Meeting) -> Body:
    return db.session.get(Body, meeting_row.body_id)


def vote_of(meeting_row: Meeting, vote_id: uuid.UUID) -> Vote:
    vote = db.session.scalar(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                             .where(Vote.id == vote_id, AgendaItem.meeting_id == meeting_row.id))
    if vote is None:
        raise NotFound(_("Not found."))
    return vote


@dataclass
class MeetingDetail:
    meeting: Meeting
    agenda: list[AgendaItem]
    quorum: dict

    def __getattr__(self, name):  # the meeting's own fields, for the output schema
        return getattr(self.meeting, name)


def _detail(meeting_row: Meeting) -> MeetingDetail:
    agenda = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_row.id)
                                .order_by(AgendaItem.position)).all()
    return MeetingDetail(meeting_row, agenda, meetings.quorum_status(meeting_row, body_of(meeting_row)))


@query(Permission.COUNCIL_VIEW)
def list_meetings() -> list[Meeting]:
    return db.session.scalars(select(Meeting).order_by(Meeting.scheduled_at.desc())).all()


@query(Permission.COUNCIL_VIEW)
def show_meeting(meeting_id: uuid.UUID) -> MeetingDetail:
    """The meeting with its agenda and live quorum."""
    return _detail(meeting(meeting_id))


@command(Permission.MEETINGS_RUN)
def call_meeting(data: dict) -> Meeting:
    """Call a meeting of a body with its agenda; the by-laws' notice period applies."""
    body = referenced(Body, data.get("body_id"), "body_id", _("Choose a body."))
    return meetings.schedule(body, data["kind"], data["title"], data["scheduled_at"], data.get("location"),
                             data.get("agenda") or [], reconvened=data.get("reconvened", False))


@command(Permission.MEETINGS_RUN)
def check_in(meeting_id: uuid.UUID, data: dict) -> MeetingDetail:
    """Check a member in (in person or online); the answer carries the quorum now."""
    meeting_row = meeting(meeting_id)
    meetings.check_in(meeting_row, member_named(data["member_id"]), online=data.get("online", False),
                      representative_id=data.get("representative_id"),
                      stands_in_for_id=data.get("stands_in_for_id"))
    return _detail(meeting_row)


@command(Permission.MEETINGS_RUN)
def check_out(meeting_id: uuid.UUID, member_id: uuid.UUID) -> MeetingDetail:
    """A member leaves; the quorum is recounted."""
    meeting_row = meeting(meeting_id)
    meetings.check_out(meeting_row, member_named(member_id))
    return _detail(meeting_row)


@query(Permission.COUNCIL_VIEW)
def require_meeting(meeting_id: uuid.UUID) -> Meeting:
    """The meeting, or :class:`NotFound` (another council's id is simply not found)."""
    return meeting(meeting_id)


@query(Permission.COUNCIL_VIEW)
def list_votes(meeting_id: uuid.UUID) -> list[Vote]:
    meeting_row = meeting(meeting_id)
    return db.session.scalars(
        select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_row.id).order_by(Vote.opened_at)).all()


@command(Permission.MEETINGS_RUN)
def open_vote(meeting_id: uuid.UUID, data: dict) -> Vote:
    """Open a vote on an agenda item; refused without quorum."""
    meeting_row = meeting(meeting_id)
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == data["agenda_item_id"],
                                                      AgendaItem.meeting_id == meeting_row.id))
    if item is None:
        raise Invalid({"agenda_item_id": [_("No such item on this meeting's agenda.")]})
    return meetings.open_vote(meeting_row, body_of(meeting_row), item, data["kind"])


@command(Permission.MEETINGS_RUN)
def cast_ballot(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> None:
    """Record a present member's vote (the desk enters open and roll-call votes; a secret ballot records only
    that the seat voted)."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    meetings.cast(vote, meeting_row, body_of(meeting_row), member_named(data["member_id"]), data["choice"])


@command(Permission.MEETINGS_RUN)
def close_vote(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """Close and count: the verdict by the by-laws of the meeting's day, and the decision number."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    meetings.close_vote(vote, meeting_row, body_of(meeting_row), chair_vote=data.get("chair_vote"))
    return vote


@command(Permission.MEETINGS_RUN)
def close_meeting(meeting_id: uuid.UUID) -> Meeting:
    meeting_row = meeting(meeting_id)
    meetings.close_meeting(meeting_row)
    return meeting_row


@command(Permission.MEETINGS_RUN)
def excuse_absence(meeting_id: uuid.UUID, data: dict):
    """Record that a member with a vote was absent with an excuse the body accepted."""
    return meetings.excuse(meeting(meeting_id), member_named(data["member_id"]), data["reason"])


@query(Permission.COUNCIL_VIEW)
def minutes_pdf(meeting_id: uuid.UUID) -> tuple[Meeting, bytes]:
    """The minutes (tutanak) as a PDF, made from the record."""
    meeting_row = meeting(meeting_id)
    return meeting_row, build_minutes(meeting_row)


@query(Permission.COUNCIL_VIEW)
def desk(meeting_id: uuid.UUID) -> dict:
    """Everything the meeting desk shows: who may sit, who is here, the quorum, the agenda with its votes."""
    meeting_row = meeting(meeting_id)
    body = body_of(meeting_row)
    bylaws = parameters_on(meeting_row.day)
    eligible = meetings.eligible_members(body, meeting_row.day, bylaws)
    present = meetings.present_members(meeting_row)
    substitutes = meetings.substitutes(body, meeting_row.day)
    seats = meetings.filled_seats(meeting_row, body, bylaws)
    people = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_(eligible | present | substitutes)))}
    # Institutions check in through a representative whose mandate is valid on the meeting's day.
    representatives: dict = {}
    for rep in db.session.scalars(select(Representative).where(Representative.member_id.in_(eligible))
                                  .order_by(Representative.capacity, Representative.name)):
        if rep.valid_on(meeting_row.day):
            representatives.setdefault(rep.member_id, []).append(rep)
    attendances = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_row.id)
                                     .order_by(Attendance.arrived_at)).all()
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting_row.id)
                               .order_by(AgendaItem.position)).all()
    votes: dict = {item.id: [] for item in items}
    all_votes = db.session.scalars(select(Vote).where(Vote.agenda_item_id.in_(list(votes) or [None]))
                                   .order_by(Vote.opened_at)).all()
    for vote in all_votes:
        votes[vote.agenda_item_id].append(vote)
    voted: dict = {vote.id: set() for vote in all_votes}
    for vote_id, member_id in db.session.execute(select(Ballot.vote_id, Ballot.member_id).where(
            Ballot.vote_id.in_(list(voted) or [None]))):
        voted[vote_id].add(member_id)
    return {
        "meeting": meeting_row, "body": body, "quorum": meetings.quorum_status(meeting_row, body),
        "people": people, "eligible": eligible, "present": present, "attendances": attendances,
        "items": items, "votes": votes, "voted": voted, "seats": seats,
        "stand_ins": meetings.stand_ins(meeting_row), "representatives": representatives,
        "absent": sorted((people[m] for m in (eligible | substitutes) - present), key=lambda m: m.sort_name),
        "empty_seats": sorted((people[m] for m in eligible - set(seats)), key=lambda m: m.sort_name),
    }


@query(Permission.COUNCIL_VIEW)
def bodies_by_id() -> dict:
    return {b.id: b for b in db.session.scalars(select(Body))}
