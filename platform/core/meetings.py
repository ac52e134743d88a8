"""Meetings of a body: notice, attendance with a live quorum, votes and numbered decisions.

Every verdict is reached by :mod:`konsey.core.rules.meetings` with the by-laws in force on the meeting's day.
A member counts once however they attend (in person or online), and votes once per vote; a secret vote keeps
only that the member voted, never how.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, Integer, String, Uuid, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Conflict, Invalid
from konsey.core.formats import moment_text
from konsey.core.membership import Member, MemberKind, MemberStatus
from konsey.core.outbox import emit
from konsey.core.plugins import council_hooks
from konsey.core.representatives import mandated
from konsey.core.rules import meetings as rules
from konsey.core.seats import VOTING_ROLES, SeatRole, full_membership, require_working, seats_on
from konsey.tenants.db import CouncilOwned, as_utc, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_day


class MeetingKind(enum.StrEnum):
    ORDINARY = "ordinary"
    EXTRAORDINARY = "extraordinary"
    ELECTIVE = "elective"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"  # called off before it sat: it keeps its place in the record, with the reason


# Meetings that are still to happen or happening: neither over nor called off.
ACTIVE_STATUSES = (MeetingStatus.SCHEDULED, MeetingStatus.OPEN)


class VoteKind(enum.StrEnum):
    OPEN = "open"
    ROLL_CALL = "roll_call"
    SECRET = "secret"  # noqa: S105 - a ballot kind, not a password


class VotePurpose(enum.StrEnum):
    """What a vote decides: a decision of the body (numbered when adopted), or a step of the meeting itself."""

    DECISION = "decision"
    PRESIDING_BOARD = "presiding_board"  # a slate for the presiding board
    AGENDA = "agenda"  # the proposed agenda
    FLOOR_MOTION = "floor_motion"  # a written floor motion, read by the board


class Channel(enum.StrEnum):
    """How a seat's vote reached the vote's ledger."""

    PHONE = "phone"  # the member's own phone, through their personal link
    DESK = "desk"  # the desk recorded it for them, by name
    ROLL_CALL = "roll_call"  # answered when the name was called
    PAPER = "paper"  # a paper ballot in the hall's box: the seat is marked, the choice is in the hall's counts


class Choice(enum.StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


class Meeting(CouncilOwned, db.Model):
    __tablename__ = "meetings"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[MeetingKind] = mapped_column(enum_of(MeetingKind, 16))
    title: Mapped[str] = mapped_column(String(200))
    location: Mapped[str | None] = mapped_column(String(300))
    scheduled_at: Mapped[datetime]
    called_at: Mapped[datetime] = mapped_column(default=utcnow)
    reconvened: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[MeetingStatus] = mapped_column(enum_of(MeetingStatus, 16), default=MeetingStatus.SCHEDULED)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    cancellation_reason: Mapped[str | None] = mapped_column(String(500))  # announced with the cancellation
    # The item under discussion now: the speakers' list, the phones and the projector follow it.
    current_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    # The council's own video stream of the meeting, shown on the online participants' page.
    stream_url: Mapped[str | None] = mapped_column(String(500))
    agenda_adopted_at: Mapped[datetime | None]  # the assembly adopted the proposed agenda (konsey.core.presiding)
    # Raised whenever what the meeting's calendar event announces changes: calendars replace their copy.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    # Read-only: a query that already joins the body fills it (contains_eager), so the body is in the session
    # for the rest of the request without a query of its own (a phone's request does that).
    body: Mapped[Body] = relationship(Body, primaryjoin="foreign(Meeting.body_id) == Body.id", viewonly=True,
                                      lazy="select")

    __council_table_args__ = (
        db.Index("ix_meetings_council_body_time", "council_id", "body_id", "scheduled_at"),
        same_council_fk("body_id", "bodies"),
    )

    @property
    def day(self) -> date:
        """The meeting's calendar day where the council is (a 01:00 Istanbul meeting is not yesterday's)."""
        return council_day(self.scheduled_at, self.council_id)


class AgendaItem(CouncilOwned, db.Model):
    __tablename__ = "agenda_items"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "position"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
    )


class Attendance(CouncilOwned, db.Model):
    __tablename__ = "attendances"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    representative_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # who attends for an institution
    stands_in_for_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # a substitute filling an absent principal's seat
    arrived_at: Mapped[datetime] = mapped_column(default=utcnow)
    left_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.Index("ix_attendances_council_meeting", "council_id", "meeting_id"),
        # One open attendance per person and per seat filled by a substitute: of two desks checking the same
        # person in at once, the database keeps one (the other answers 409).
        db.Index("uq_attendances_open_member", "council_id", "meeting_id", "member_id", unique=True,
                 postgresql_where=text("left_at IS NULL"), sqlite_where=text("left_at IS NULL")),
        db.Index("uq_attendances_open_seat", "council_id", "meeting_id", "stands_in_for_id", unique=True,
                 postgresql_where=text("left_at IS NULL AND stands_in_for_id IS NOT NULL"),
                 sqlite_where=text("left_at IS NULL AND stands_in_for_id IS NOT NULL")),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
        same_council_fk("representative_id", "representatives"),
        same_council_fk("stands_in_for_id", "members"),
    )


class Vote(CouncilOwned, db.Model):
    __tablename__ = "votes"

    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    kind: Mapped[VoteKind] = mapped_column(enum_of(VoteKind, 16))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    present: Mapped[int] = mapped_column(Integer)  # present when the vote was opened
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(16))
    decided_by: Mapped[str | None] = mapped_column(String(16))
    lot_seed: Mapped[int | None]
    decision_number: Mapped[str | None] = mapped_column(String(20))
    purpose: Mapped[VotePurpose] = mapped_column(enum_of(VotePurpose, 16), default=VotePurpose.DECISION)
    # The hall's counts (a show of hands, the ballot box): the seats in the room that did not vote by name.
    hall_yes: Mapped[int | None] = mapped_column(Integer)
    hall_no: Mapped[int | None] = mapped_column(Integer)
    hall_abstain: Mapped[int | None] = mapped_column(Integer)
    hall_turnout: Mapped[int | None] = mapped_column(Integer)  # kept at the close (a secret vote keeps only this)
    hall_room: Mapped[list | None] = mapped_column(JSON)  # the room's seats when the tellers' counts went in
    # A secret vote with sealed ballots (konsey.core.sealed_boxes): phones send ballots sealed in the browser, the
    # hall votes on paper, and the count is opened by the box's keyholders, not by the server.
    sealed: Mapped[bool] = mapped_column(default=False)

    __council_table_args__ = (same_council_fk("agenda_item_id", "agenda_items", ondelete="CASCADE"),)


class Ballot(CouncilOwned, db.Model):
    """A line of the vote's ledger: that a seat voted, through which channel, and when; the choice only where the
    vote is by name (an open vote, a roll call), never for a secret one nor a paper ballot.

    ``member_id`` is the seat's holder, so the unique constraint gives one vote per seat even when a
    substitute casts it (``cast_by_id``).
    """

    __tablename__ = "ballots"

    vote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    cast_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the substitute who voted for the seat
    choice: Mapped[Choice | None] = mapped_column(enum_of(Choice, 8))
    channel: Mapped[Channel] = mapped_column(enum_of(Channel, 10), default=Channel.DESK)
    cast_at: Mapped[datetime | None]
    # The phone's own random key for this ballot: its retry after a lost answer (a database failing over) is
    # recognised as the same ballot, not refused as a second one. It names no one and says nothing of the choice.
    client_key: Mapped[str | None] = mapped_column(String(64))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "vote_id", "member_id"),  # one vote per seat
        same_council_fk("vote_id", "votes", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
        same_council_fk("cast_by_id", "members"),
    )


CHOICE_KEYS = ("yes", "no", "abstain")


class ExcusedAbsence(CouncilOwned, db.Model):
    """A member who held a vote was absent from a meeting with an excuse the body accepted."""

    __tablename__ = "excused_absences"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    reason: Mapped[str] = mapped_column(String(300))

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "member_id"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


# --- scheduling -------------------------------------------------------------------------------------------


def notice_days(kind: MeetingKind, bylaws: dict) -> int:
    return bylaws["notice_days_elective_assembly"] if kind is MeetingKind.ELECTIVE else bylaws["notice_days_other_meetings"]


def failed_session(body: Body, before: datetime, now: datetime) -> Meeting | None:
    """The body's latest session held before ``before`` that failed for lack of quorum: its time has come and
    gone and it never reached quorum (no vote was ever opened in it)."""
    return db.session.scalar(select(Meeting).where(
        Meeting.body_id == body.id, Meeting.scheduled_at < before, Meeting.scheduled_at <= now,
        Meeting.opened_at.is_(None), Meeting.status != MeetingStatus.CANCELLED).order_by(Meeting.scheduled_at.desc()).limit(1))


def _check_reconvening(body: Body, when: datetime, now: datetime, bylaws: dict) -> None:
    failed = failed_session(body, when, now)
    window = bylaws["reconvene_after_days"]
    problem = rules.reconvening_problem(council_day(failed.scheduled_at) if failed else None, council_day(when), window)
    if problem == "no_failed_session":
        raise Invalid({"reconvened": [_("A session is reconvened only after a session of this body that failed "
                                        "for lack of quorum.")]})
    if problem in ("not_after", "too_late"):
        raise Invalid({"scheduled_at": [_("The reconvened session falls within %(days)d days after the failed "
                                          "one of %(date)s.", days=window,
                                          date=council_day(failed.scheduled_at).strftime("%d.%m.%Y"))]})


def schedule(body: Body, kind: MeetingKind, title: str, scheduled_at: datetime, location: str | None,
             agenda: list[str], *, reconvened: bool = False, now: datetime | None = None) -> Meeting:
    """Call a meeting; the notice period of the by-laws must be respected (a reconvened session is exempt)."""
    now = now or utcnow()
    require_working(body)
    bylaws = parameters_on(council_day(scheduled_at))  # the meeting's day where the council is
    if as_utc(scheduled_at) <= now:
        raise Invalid({"scheduled_at": [_("A meeting is called for a time in the future.")]})
    if reconvened:
        _check_reconvening(body, as_utc(scheduled_at), now, bylaws)
    required = notice_days(kind, bylaws)
    if not reconvened and as_utc(scheduled_at) - now < timedelta(days=required):
        raise Invalid({"scheduled_at": [_("The by-laws require %(days)d days' notice for this meeting.",
                                                  days=required)]})
    meeting = Meeting(body_id=body.id, kind=kind, title=title, scheduled_at=scheduled_at, location=location,
                      called_at=now, reconvened=reconvened)
    db.session.add(meeting)
    db.session.flush()
    for position, item in enumerate(agenda, start=1):
        db.session.add(AgendaItem(meeting_id=meeting.id, position=position, title=item))
    db.session.flush()
    record("meeting.called", meeting, {"body": str(body.id), "kind": kind.value, "agenda_items": len(agenda)})

    emit("meeting.called", {"meeting_id": str(meeting.id)})  # invitations go out from the worker
    return meeting


def _require_not_sat(meeting: Meeting, field: str, now: datetime) -> None:
    """Moved or cancelled only before anything of it happened: not opened, nobody checked in, its hour not come
    (a session whose hour passed without a quorum is a failed session, on the record as such)."""
    checked_in = db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id).limit(1))
    if meeting.status is not MeetingStatus.SCHEDULED or meeting.opened_at is not None or checked_in is not None \
            or as_utc(meeting.scheduled_at) <= now:
        raise Conflict({field: [_("Only a meeting that has not sat yet can be moved or cancelled.")]})


def reschedule(meeting: Meeting, scheduled_at: datetime, location: str | None, *,
               now: datetime | None = None) -> Meeting:
    """Move a meeting that has not sat to another time (and place). Postponing keeps the notice already given;
    bringing it forward needs the by-laws' notice counted from now (a reconvened session is exempt, as when
    called). Every invitee is told, their calendars replace the event (its SEQUENCE is raised)."""
    now = now or utcnow()
    _require_not_sat(meeting, "scheduled_at", now)
    bylaws = parameters_on(council_day(scheduled_at))
    if meeting.reconvened:  # still within the window after the failed session it reconvenes
        body = db.session.get(Body, meeting.body_id)
        _check_reconvening(body, as_utc(scheduled_at), now, bylaws)
    problem = rules.reschedule_problem(now, as_utc(meeting.scheduled_at), as_utc(scheduled_at),
                                       0 if meeting.reconvened else notice_days(meeting.kind, bylaws))
    if problem == "past":
        raise Invalid({"scheduled_at": [_("A meeting is called for a time in the future.")]})
    if problem == "notice":
        raise Invalid({"scheduled_at": [_("Brought forward, the meeting needs the by-laws' %(days)d days' notice "
                                          "from today.", days=notice_days(meeting.kind, bylaws))]})
    moved = as_utc(scheduled_at) != as_utc(meeting.scheduled_at) or (location or None) != meeting.location
    if not moved:
        raise Invalid({"scheduled_at": [_("The meeting is already called for that time and place.")]})
    before = as_utc(meeting.scheduled_at)
    meeting.scheduled_at, meeting.location = scheduled_at, location or None
    meeting.sequence += 1
    db.session.flush()
    record("meeting.rescheduled", meeting, {"from": before.isoformat(), "to": as_utc(scheduled_at).isoformat(),
                                            "sequence": meeting.sequence})
    emit("meeting.rescheduled", {"meeting_id": str(meeting.id), "sequence": meeting.sequence})
    return meeting


def cancel(meeting: Meeting, reason: str, *, now: datetime | None = None) -> Meeting:
    """Call off a meeting that has not sat; invitees are told with the reason and their calendars drop the event
    (METHOD:CANCEL). It stays in the record as cancelled: it never counts as held, nor as a failed session."""
    now = now or utcnow()
    _require_not_sat(meeting, "reason", now)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_at = now
    meeting.cancellation_reason = reason
    meeting.sequence += 1
    db.session.flush()
    record("meeting.cancelled", meeting, {"sequence": meeting.sequence})  # the reason is free text: not here
    emit("meeting.cancelled", {"meeting_id": str(meeting.id), "sequence": meeting.sequence})
    return meeting


# --- attendance and quorum ----------------------------------------------------------------------------------


def eligibility(body: Body, bylaws: dict, ids: set):
    """A condition on Member that says "holds a vote in this body", for a query that would otherwise bind every
    eligible id: the general assembly's rule itself; for other bodies (a few dozen seats) their ``ids``."""
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        condition = Member.status == MemberStatus.ACTIVE
        if not bylaws["individual_members_vote_in_general_assembly"]:
            condition = condition & (Member.kind == MemberKind.INSTITUTIONAL)
        return condition
    return Member.id.in_(ids)


def holds_assembly_vote(member: Member, bylaws: dict) -> bool:
    """:func:`eligibility`'s general-assembly rule, asked of one member already loaded (the same two conditions:
    a test holds them together)."""
    return member.status is MemberStatus.ACTIVE and (
        bylaws["individual_members_vote_in_general_assembly"] or member.kind is MemberKind.INSTITUTIONAL)


def eligible_members(body: Body, day: date, bylaws: dict, among: set | None = None) -> set[uuid.UUID]:
    """Who holds a vote in this body on this day (only those ``among`` given ids, when given: a ballot asks
    about one or two people, not about a general assembly of thousands)."""
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        loaded = [db.session.identity_map.get(db.session.identity_key(Member, i)) for i in among or ()]
        if among and all(loaded):  # the people a ballot asks about are in the session already (the pass's holder)
            return {member.id for member in loaded if holds_assembly_vote(member, bylaws)}
        query = select(Member.id).where(eligibility(body, bylaws, set()))
        if among is not None:
            query = query.where(Member.id.in_(among))
        return set(db.session.scalars(query))
    holders = {seat.member_id for seat in seats_on(body, day) if seat.role in VOTING_ROLES}
    return holders if among is None else holders & set(among)


def acting_seat(meeting: Meeting, body: Body, bylaws: dict, member_id: uuid.UUID) -> uuid.UUID | None:
    """The voting seat ``member_id`` acts for now (their own, or the absent principal's they stand in for), or
    None. The same verdict as :func:`filled_seats`, from the few people concerned rather than everyone."""
    return seat_and_place(meeting, body, bylaws, member_id)[0]


def seat_and_place(meeting: Meeting, body: Body, bylaws: dict,
                    member_id: uuid.UUID) -> tuple[uuid.UUID | None, bool]:
    """:func:`acting_seat`, and whether the person is in the room now; one look at their arrival answers both
    (a ballot asks them on the hot path of a 1,500-phone vote)."""
    arrival = db.session.execute(select(Attendance.stands_in_for_id, Attendance.online).where(
        Attendance.meeting_id == meeting.id, Attendance.left_at.is_(None), Attendance.member_id == member_id)).first()
    if arrival is None:
        return None, False
    principal, online = arrival
    if online and not rules.online_presence_counts(body.kind.value, bylaws):
        return None, False
    concerned = {member_id} | ({principal} if principal is not None else set())
    stand_ins, present = {}, {member_id}
    if principal is not None:  # others standing in for the same principal decide who got the seat first
        here = counted_here(meeting, body, bylaws)
        stand_ins = dict(db.session.execute(select(Attendance.member_id, Attendance.stands_in_for_id).where(
            here, Attendance.stands_in_for_id == principal)).all())
        present = set(db.session.scalars(select(Attendance.member_id).where(
            here, Attendance.member_id.in_(concerned | set(stand_ins)))))
    seats = rules.seats_represented(eligible_members(body, meeting.day, bylaws, among=concerned), present, stand_ins)
    return next((seat for seat, person in seats.items() if person == member_id), None), not online


def counted_here(meeting: Meeting, body: Body, bylaws: dict):
    """A condition on Attendance: attending this meeting now in a way that counts towards its quorum (in the
    room; online too where the by-laws say online presence counts for this body)."""
    condition = (Attendance.meeting_id == meeting.id) & Attendance.left_at.is_(None)
    if not rules.online_presence_counts(body.kind.value, bylaws):
        condition = condition & Attendance.online.is_(False)
    return condition


def present_members(meeting: Meeting, body: Body, bylaws: dict) -> set[uuid.UUID]:
    return set(db.session.scalars(select(Attendance.member_id).where(counted_here(meeting, body, bylaws))))


def stand_ins(meeting: Meeting, body: Body, bylaws: dict) -> dict[uuid.UUID, uuid.UUID]:
    """Substitutes present now (in a way that counts) and the principal each stands in for."""
    return dict(db.session.execute(
        select(Attendance.member_id, Attendance.stands_in_for_id).where(
            counted_here(meeting, body, bylaws), Attendance.stands_in_for_id.is_not(None))
    ).all())


def filled_seats(meeting: Meeting, body: Body, bylaws: dict | None = None) -> dict[uuid.UUID, uuid.UUID]:
    """The voting seats filled now: seat holder → the person acting (themselves or their substitute)."""
    bylaws = bylaws or parameters_on(meeting.day)
    return rules.seats_represented(eligible_members(body, meeting.day, bylaws),
                                   present_members(meeting, body, bylaws), stand_ins(meeting, body, bylaws))


def forget_stand_ins(member_id: uuid.UUID) -> None:
    """Before a member is erased: keep the votes and attendance of others, drop the links to this person."""
    db.session.execute(update(Attendance).where(Attendance.stands_in_for_id == member_id)
                       .values(stands_in_for_id=None))
    db.session.execute(update(Ballot).where(Ballot.cast_by_id == member_id).values(cast_by_id=None))


def substitutes(body: Body, day: date) -> set[uuid.UUID]:
    return {seat.member_id for seat in seats_on(body, day) if seat.role is SeatRole.SUBSTITUTE}


def filled_seat_count(meeting: Meeting, body: Body, bylaws: dict) -> int:
    """How many voting seats are filled now: :func:`filled_seats`, counted. A general assembly (no substitutes,
    a seat is a person) is counted by the database, not loaded: thousands of ids at every ballot otherwise."""
    if body.kind is BodyKind.GENERAL_ASSEMBLY:
        here = select(Attendance.member_id).where(counted_here(meeting, body, bylaws))
        return db.session.scalar(select(func.count(Member.id)).where(
            eligibility(body, bylaws, set()), Member.id.in_(here))) or 0
    return len(filled_seats(meeting, body, bylaws))


def quorum_status(meeting: Meeting, body: Body) -> dict:
    """The live quorum: who may vote, how many are present, how many are needed."""
    bylaws = parameters_on(meeting.day)
    return quorum_of(meeting, body, bylaws, full_membership(body, meeting.day, bylaws),
                     filled_seat_count(meeting, body, bylaws))


def quorum_of(meeting: Meeting, body: Body, bylaws: dict, full: int, present: int) -> dict:
    """The quorum from a full membership and a count of filled seats the caller already has (the desk)."""
    # The statute answers last (konsey.core.statute); a council's plugin may answer first.
    needed = council_hooks().hook.konsey_quorum_rule(body=body, full_membership=full, bylaws=bylaws,
                                                     reconvened=meeting.reconvened, on=meeting.day)
    return {"full_membership": full, "present": present, "needed": needed,
            "quorum_met": rules.quorum_reached(present, needed)}


def sitting_window(meeting: Meeting, bylaws: dict, now: datetime | None = None) -> tuple[str | None, datetime]:
    """(what keeps check-ins and votes closed now — "not_yet", "closed" or None —, the moment they open)."""
    opens = as_utc(meeting.scheduled_at) - timedelta(minutes=bylaws["check_in_opens_minutes_before"])
    problem = rules.sitting_problem(now or utcnow(), as_utc(meeting.scheduled_at),
                                    meeting.status is MeetingStatus.CLOSED, bylaws["check_in_opens_minutes_before"],
                                    cancelled=meeting.status is MeetingStatus.CANCELLED)
    return problem, opens


def require_sitting(meeting: Meeting, now: datetime | None = None) -> None:
    """Check-ins and votes happen within the meeting: from a little before its start (by-laws) until it closes."""
    problem, opens = sitting_window(meeting, parameters_on(meeting.day), now)
    if problem == "closed":
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    if problem == "cancelled":
        raise Conflict({"meeting": [_("The meeting was cancelled.")]})
    if problem == "not_yet":
        raise Conflict({"meeting": [_("The meeting has not begun: check-ins and votes open at %(time)s.",
                                      time=moment_text(opens))]})


def check_in(meeting: Meeting, member: Member, *, online: bool, representative_id: uuid.UUID | None = None,
             stands_in_for_id: uuid.UUID | None = None) -> Attendance:
    """A member arrives; an institution through a representative whose mandate is valid that day; a
    substitute, optionally, to fill the seat of an absent principal."""

    require_sitting(meeting)
    # Asked about this person only (a general assembly's desk checks in thousands, one tap at a time).
    open_here = select(Attendance.id).where(Attendance.meeting_id == meeting.id, Attendance.left_at.is_(None))
    if db.session.scalar(open_here.where(Attendance.member_id == member.id)) is not None:
        raise Conflict({"member_id": [_("This member is already checked in.")]})
    if db.session.scalar(open_here.where(Attendance.stands_in_for_id == member.id)) is not None:
        raise Conflict({"member_id": [_("A substitute holds this member's seat now; the substitute "
                                               "leaves first.")]})
    if stands_in_for_id is not None:
        body = db.session.get(Body, meeting.body_id)
        bylaws = parameters_on(meeting.day)
        if member.id not in substitutes(body, meeting.day):
            raise Invalid({"stands_in_for_id": [_("Only a substitute of this body can stand in for a "
                                                          "principal.")]})
        if stands_in_for_id not in eligible_members(body, meeting.day, bylaws):
            raise Invalid({"stands_in_for_id": [_("That person holds no voting seat in this body.")]})
        if stands_in_for_id in filled_seats(meeting, body, bylaws):
            raise Conflict({"stands_in_for_id": [_("That seat is already filled.")]})
    representative = mandated(member, representative_id, meeting.day)
    attendance = Attendance(meeting_id=meeting.id, member_id=member.id, online=online,
                            representative_id=representative.id if representative else None,
                            stands_in_for_id=stands_in_for_id)
    try:
        with db.session.begin_nested():  # the open-attendance constraints decide between two desks at once
            db.session.add(attendance)
    except IntegrityError:
        raise Conflict({"member_id": [_("This member is already checked in.")]}) from None
    return attendance


def check_out(meeting: Meeting, member: Member) -> None:
    if meeting.status is MeetingStatus.CLOSED:  # a closed meeting's attendance is its record: it stays as it is
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    attendance = db.session.scalar(select(Attendance).where(
        Attendance.meeting_id == meeting.id, Attendance.member_id == member.id, Attendance.left_at.is_(None)))
    if attendance is None:
        raise Conflict({"member_id": [_("This member is not checked in.")]})
    attendance.left_at = utcnow()
    db.session.flush()


def close_meeting(meeting: Meeting) -> None:
    if meeting.status is MeetingStatus.CANCELLED:  # it never sat: closing it would count it as held
        raise Conflict({"meeting": [_("The meeting was cancelled.")]})
    if db.session.scalar(select(func.count(Vote.id)).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id).where(
            AgendaItem.meeting_id == meeting.id, Vote.closed_at.is_(None))):
        raise Conflict({"meeting": [_("Close the open votes first.")]})
    meeting.status = MeetingStatus.CLOSED
    meeting.closed_at = utcnow()
    record("meeting.closed", meeting)


# --- absences --------------------------------------------------------------------------------------------------


def excuse(meeting: Meeting, member: Member, reason: str) -> ExcusedAbsence:
    body = db.session.get(Body, meeting.body_id)
    if member.id not in eligible_members(body, meeting.day, parameters_on(meeting.day)):
        raise Invalid({"member_id": [_("This member holds no vote in this body.")]})
    if db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id,
                                                     Attendance.member_id == member.id)):
        raise Invalid({"member_id": [_("This member attended the meeting.")]})
    if not reason or len(reason.strip()) < 3:
        raise Invalid({"reason": [_("Give the excuse.")]})
    if db.session.scalar(select(ExcusedAbsence.id).where(ExcusedAbsence.meeting_id == meeting.id,
                                                         ExcusedAbsence.member_id == member.id)):
        raise Conflict({"member_id": [_("This absence is already excused.")]})
    absence = ExcusedAbsence(meeting_id=meeting.id, member_id=member.id, reason=reason.strip())
    db.session.add(absence)
    db.session.flush()
    record("meeting.absence_excused", absence, {"meeting": str(meeting.id), "member": str(member.id)})
    return absence


def absences(body: Body, since: date, until: date) -> list[dict]:
    """For each member with a vote: meetings of the body they missed (held, so opened) in the period, excused
    or not, and whether that passes the by-laws' limit."""
    bylaws = parameters_on(until)
    held = db.session.scalars(select(Meeting).where(Meeting.body_id == body.id, Meeting.opened_at.is_not(None))
                              .order_by(Meeting.scheduled_at)).all()
    held = [m for m in held if since <= m.day <= until]
    # Attended: in a way that counts in this body (following online where online presence does not count is
    # not attending, for the absence limit either).
    online_counts = {m.id: rules.online_presence_counts(body.kind.value, parameters_on(m.day)) for m in held}
    attended = {(meeting_id, member_id) for meeting_id, member_id, online in db.session.execute(
        select(Attendance.meeting_id, Attendance.member_id, Attendance.online).where(
            Attendance.meeting_id.in_([m.id for m in held] or [None]))) if online_counts[meeting_id] or not online}
    excused = set(map(tuple, db.session.execute(select(ExcusedAbsence.meeting_id, ExcusedAbsence.member_id).where(
        ExcusedAbsence.meeting_id.in_([m.id for m in held] or [None]))).all()))
    stood_in = set(map(tuple, db.session.execute(select(Attendance.meeting_id, Attendance.stands_in_for_id).where(
        Attendance.meeting_id.in_([m.id for m in held] or [None]), Attendance.stands_in_for_id.is_not(None))).all()))
    rows = {}
    for meeting in held:
        for member_id in eligible_members(body, meeting.day, parameters_on(meeting.day)):
            row = rows.setdefault(member_id, {"member_id": member_id, "excused": 0, "unexcused": 0,
                                              "substituted": 0})
            if (meeting.id, member_id) in attended:
                continue
            # A substitute in the seat does not make the principal present, but the absence is known.
            key = "excused" if (meeting.id, member_id) in excused else "unexcused"
            row[key] += 1
            row["substituted"] += (meeting.id, member_id) in stood_in
    for row in rows.values():
        row["over_limit"] = rules.over_absence_limit(row["excused"], row["unexcused"], bylaws)
    return sorted(rows.values(), key=lambda r: (-r["excused"] - r["unexcused"], str(r["member_id"])))
