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
from konsey.core.meetings import AgendaItem, Attendance, Ballot, ExcusedAbsence, Meeting, Vote
from konsey.core.membership import Member
from konsey.core.minutes import build_minutes
from konsey.core.motions import Motion
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
def record_counts(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """Enter a show of hands (or a secret ballot box) as counts: yes, no, abstaining."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    meetings.record_counts(vote, meeting_row, body_of(meeting_row), yes=data["yes"], no=data["no"],
                           abstain=data["abstain"])
    return vote


@command(Permission.MEETINGS_RUN)
def cast_roll_call(meeting_id: uuid.UUID, vote_id: uuid.UUID, data: dict) -> Vote:
    """Record a roll call in one go: each name's choice; one refusal and none is recorded."""
    meeting_row = meeting(meeting_id)
    vote = vote_of(meeting_row, vote_id)
    if vote.kind is not meetings.VoteKind.ROLL_CALL:
        raise Invalid({"ballots": [_("Only a roll call is entered name by name in one list.")]})
    body = body_of(meeting_row)
    for position, ballot in enumerate(data["ballots"]):
        try:
            meetings.cast(vote, meeting_row, body, member_named(ballot["member_id"]), ballot["choice"])
        except Invalid as error:  # which line of the list: the person fixes that one
            raise Invalid({"ballots": {position: error.errors}}) from None
    return vote


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


@dataclass
class RosterEntry:
    """One person entitled to sit, as the desk's checklist shows them."""

    member: Member
    role: str  # "principal" (holds a vote) or "substitute"
    state: str  # "present", "online", "left", "excused" or "absent"
    representatives: list  # an institution's representatives with a mandate valid on the day
    stands_in_for: Member | None = None

    @property
    def id(self):
        return self.member.id


def _roster(meeting_row: Meeting, body: Body, eligible: set, substitutes: set, people: dict) -> list[RosterEntry]:
    attendances = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_row.id)
                                     .order_by(Attendance.arrived_at)).all()
    latest = {a.member_id: a for a in attendances}  # the last arrival counts (one may leave and come back)
    excused = set(db.session.scalars(select(ExcusedAbsence.member_id)
                                     .where(ExcusedAbsence.meeting_id == meeting_row.id)))
    representatives: dict = {}
    for rep in db.session.scalars(select(Representative).where(Representative.member_id.in_(eligible | substitutes))
                                  .order_by(Representative.capacity, Representative.name)):
        if rep.valid_on(meeting_row.day):
            representatives.setdefault(rep.member_id, []).append(rep)
    entries = []
    for member_id in eligible | substitutes:
        attendance = latest.get(member_id)
        if attendance is not None and attendance.left_at is None:
            state = "online" if attendance.online else "present"
        elif attendance is not None:
            state = "left"
        else:
            state = "excused" if member_id in excused else "absent"
        stands_in = attendance.stands_in_for_id if attendance is not None and attendance.left_at is None else None
        entries.append(RosterEntry(people[member_id], "principal" if member_id in eligible else "substitute", state,
                                   representatives.get(member_id, []), people.get(stands_in) if stands_in else None))
    return sorted(entries, key=lambda e: (e.role != "principal", e.member.sort_name))


def _desk_people(meeting_row: Meeting, body: Body) -> tuple[set, set, set, dict]:
    bylaws = parameters_on(meeting_row.day)
    eligible = meetings.eligible_members(body, meeting_row.day, bylaws)
    present = meetings.present_members(meeting_row)
    substitutes = meetings.substitutes(body, meeting_row.day) - eligible
    people = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_(eligible | present | substitutes)))}
    return eligible, present, substitutes, people


@query(Permission.COUNCIL_VIEW)
def roster_entry(meeting_id: uuid.UUID, member_id: uuid.UUID) -> dict:
    """One line of the desk's checklist, with the quorum now (for a live update after a tap)."""
    meeting_row = meeting(meeting_id)
    body = body_of(meeting_row)
    eligible, _present, substitutes, people = _desk_people(meeting_row, body)
    roster = _roster(meeting_row, body, eligible, substitutes, people)
    entries = [e for e in roster if e.member.id == member_id]
    seats = meetings.filled_seats(meeting_row, body)
    return {"meeting": meeting_row, "entry": entries[0] if entries else None, "tally": _tally(roster),
            "quorum": meetings.quorum_status(meeting_row, body),
            "empty_seats": sorted((people[m] for m in eligible - set(seats)), key=lambda m: m.sort_name)}


@query(Permission.COUNCIL_VIEW)
def desk(meeting_id: uuid.UUID) -> dict:
    """Everything the meeting desk shows: everyone entitled to sit with their state, the quorum, the agenda
    with its votes and decisions (and whether each decision went on as a motion)."""
    meeting_row = meeting(meeting_id)
    body = body_of(meeting_row)
    eligible, present, substitutes, people = _desk_people(meeting_row, body)
    seats = meetings.filled_seats(meeting_row, body)
    roster = _roster(meeting_row, body, eligible, substitutes, people)
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
    motions = {m.vote_id: m for m in db.session.scalars(select(Motion).where(
        Motion.vote_id.in_(list(voted) or [None])))}
    return {
        "meeting": meeting_row, "body": body, "quorum": meetings.quorum_status(meeting_row, body),
        "people": people, "roster": roster, "items": items, "votes": votes, "voted": voted, "seats": seats,
        "motions": motions,
        "counted_by_hand": {v.id for v in all_votes if (v.yes + v.no + v.abstain) > 0 and not voted[v.id]},
        "empty_seats": sorted((people[m] for m in eligible - set(seats)), key=lambda m: m.sort_name),
        "tally": _tally(roster),
    }


def _tally(roster: list[RosterEntry]) -> dict:
    """How many principal members are in each state."""
    return {state: sum(1 for e in roster if e.state == state and e.role == "principal")
            for state in ("present", "online", "left", "excused", "absent")}


@query(Permission.COUNCIL_VIEW)
def projector(meeting_id: uuid.UUID) -> dict:
    """What the room's screen shows: the item under vote (or the last decided), the quorum, the last result."""
    meeting_row = meeting(meeting_id)
    body = body_of(meeting_row)
    latest = db.session.execute(
        select(Vote, AgendaItem).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting_row.id).order_by(Vote.opened_at.desc()).limit(1)).first()
    vote, item = latest if latest else (None, None)
    return {"meeting": meeting_row, "body": body, "quorum": meetings.quorum_status(meeting_row, body),
            "vote": vote, "item": item, "turnout": meetings.turnout_of(vote) if vote is not None else 0}


@query(Permission.COUNCIL_VIEW)
def bodies_by_id() -> dict:
    return {b.id: b for b in db.session.scalars(select(Body))}
