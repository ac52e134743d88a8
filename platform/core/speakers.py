"""The speakers' list of a meeting: people present ask for the floor on the item under discussion (for, against,
or on a point of order); the chair orders the queue, gives the floor and takes it back, with the by-laws'
speaking time. The minutes record who spoke on which item."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, Uuid, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.errors import Conflict, Invalid
from konsey.core.meetings import AgendaItem, Attendance, Meeting, MeetingStatus, require_sitting
from konsey.core.membership import Member
from konsey.core.rules import meetings as rules
from konsey.core.rules.meetings import Stance
from konsey.tenants.db import CouncilOwned, db, enum_of, lock, same_council_fk, utcnow


class FloorRequest(CouncilOwned, db.Model):
    """One request for the floor, from asking to speaking (or withdrawing)."""

    __tablename__ = "floor_requests"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    agenda_item_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    stance: Mapped[Stance] = mapped_column(enum_of(Stance, 16))
    position: Mapped[int] = mapped_column(Integer)  # the chair's order (points of order always come first)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.Index("ix_floor_requests_council_meeting", "council_id", "meeting_id"),
        # Once on the list per item (two taps at once), and one speaker at a time: the database decides.
        db.Index("uq_floor_requests_waiting", "council_id", "meeting_id", "agenda_item_id", "member_id", unique=True,
                 postgresql_where=text("started_at IS NULL AND withdrawn_at IS NULL"),
                 sqlite_where=text("started_at IS NULL AND withdrawn_at IS NULL")),
        db.Index("uq_floor_requests_speaking", "council_id", "meeting_id", unique=True,
                 postgresql_where=text("started_at IS NOT NULL AND ended_at IS NULL"),
                 sqlite_where=text("started_at IS NOT NULL AND ended_at IS NULL")),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("agenda_item_id", "agenda_items", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def current_item(meeting: Meeting) -> AgendaItem | None:
    """The item under discussion: the one the chair took up, else the first."""
    items = select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
    if meeting.current_item_id is not None:
        item = db.session.scalar(items.where(AgendaItem.id == meeting.current_item_id))
        if item is not None:
            return item
    return db.session.scalar(items.order_by(AgendaItem.position).limit(1))


def take_up(meeting: Meeting, item: AgendaItem) -> None:
    """The chair moves the meeting to ``item``; whoever was speaking on the previous one stops."""
    _lock(meeting)
    if meeting.status is MeetingStatus.CLOSED:
        raise Conflict({"meeting": [_("The meeting is closed.")]})
    speaking = now_speaking(meeting)
    if speaking is not None and speaking.agenda_item_id != item.id:
        speaking.ended_at = utcnow()
    meeting.current_item_id = item.id
    db.session.flush()


def _pending():
    return FloorRequest.started_at.is_(None) & FloorRequest.withdrawn_at.is_(None)


def queue(meeting: Meeting, item: AgendaItem | None = None) -> list[FloorRequest]:
    """Those waiting for the floor on the item under discussion, in speaking order."""
    item = item or current_item(meeting)
    if item is None:
        return []
    waiting = db.session.scalars(select(FloorRequest).where(
        FloorRequest.meeting_id == meeting.id, FloorRequest.agenda_item_id == item.id, _pending())).all()
    return rules.speaking_order(waiting)


def waiting_request(meeting: Meeting, member: Member) -> FloorRequest | None:
    """This person's request waiting for the floor on the item under discussion, if any."""
    return next((r for r in queue(meeting) if r.member_id == member.id), None)


def now_speaking(meeting: Meeting) -> FloorRequest | None:
    return db.session.scalar(select(FloorRequest).where(
        FloorRequest.meeting_id == meeting.id, FloorRequest.started_at.is_not(None),
        FloorRequest.ended_at.is_(None)).order_by(FloorRequest.started_at.desc()).limit(1))


def _lock(meeting: Meeting) -> None:
    """The speakers' list changes one at a time per meeting (two desks, a desk and a phone). FOR NO KEY UPDATE:
    check-ins and ballots, which only reference the meeting, are not held up."""
    lock(meeting, "no_key_update")


def ask(meeting: Meeting, member: Member, stance: Stance) -> FloorRequest:
    """A person present (in the room or online) asks for the floor on the item under discussion."""
    require_sitting(meeting)
    _lock(meeting)
    item = current_item(meeting)
    if item is None:
        raise Conflict({"agenda_item_id": [_("The meeting has no agenda item to speak on.")]})
    if db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id,
                                                     Attendance.member_id == member.id,
                                                     Attendance.left_at.is_(None))) is None:
        raise Invalid({"member_id": [_("Only people present can ask for the floor.")]})
    if db.session.scalar(select(FloorRequest.id).where(
            FloorRequest.meeting_id == meeting.id, FloorRequest.agenda_item_id == item.id,
            FloorRequest.member_id == member.id, _pending())) is not None:
        raise Conflict({"member_id": [_("This person is already on the speakers' list.")]})
    last = db.session.scalar(select(func.max(FloorRequest.position)).where(FloorRequest.meeting_id == meeting.id))
    request = FloorRequest(meeting_id=meeting.id, agenda_item_id=item.id, member_id=member.id, stance=stance,
                           position=(last or 0) + 1)
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        raise Conflict({"member_id": [_("This person is already on the speakers' list.")]}) from None
    return request


def request_of(meeting: Meeting, request_id: uuid.UUID) -> FloorRequest:
    request = db.session.scalar(select(FloorRequest).where(FloorRequest.id == request_id,
                                                           FloorRequest.meeting_id == meeting.id))
    if request is None:
        raise Invalid({"request_id": [_("No such request on this meeting's speakers' list.")]})
    return request


def withdraw(meeting: Meeting, request: FloorRequest) -> None:
    _lock(meeting)
    db.session.refresh(request)  # the chair may have given this request the floor meanwhile
    if request.started_at is not None or request.withdrawn_at is not None:
        raise Conflict({"request_id": [_("This request is no longer waiting.")]})
    request.withdrawn_at = utcnow()
    db.session.flush()


def off_the_list(meeting: Meeting, member_ids) -> None:
    """People who left the meeting wait for the floor no more (their requests are withdrawn), and one who
    had the floor has it no more."""
    ids = list(member_ids)
    if not ids:
        return
    now = utcnow()
    db.session.execute(update(FloorRequest).where(
        FloorRequest.meeting_id == meeting.id, FloorRequest.member_id.in_(ids), _pending())
        .values(withdrawn_at=now).execution_options(synchronize_session=False))
    db.session.execute(update(FloorRequest).where(
        FloorRequest.meeting_id == meeting.id, FloorRequest.member_id.in_(ids), FloorRequest.started_at.is_not(None),
        FloorRequest.ended_at.is_(None)).values(ended_at=now).execution_options(synchronize_session=False))


def give_floor(meeting: Meeting, request: FloorRequest) -> FloorRequest:
    """The chair gives the floor (the current speaker, if any, stops)."""
    require_sitting(meeting)
    _lock(meeting)
    db.session.refresh(request)
    if request.started_at is not None or request.withdrawn_at is not None:
        raise Conflict({"request_id": [_("This request is no longer waiting.")]})
    speaking = now_speaking(meeting)
    if speaking is not None:
        speaking.ended_at = utcnow()
        db.session.flush()  # the floor is free before it is given
    try:
        with db.session.begin_nested():
            request.started_at = utcnow()
    except IntegrityError:
        raise Conflict({"request_id": [_("Someone else was given the floor at the same moment.")]}) from None
    return request


def stop(meeting: Meeting) -> FloorRequest:
    _lock(meeting)
    speaking = now_speaking(meeting)
    if speaking is None:
        raise Conflict({"request_id": [_("Nobody has the floor.")]})
    speaking.ended_at = utcnow()
    db.session.flush()
    return speaking


def move(meeting: Meeting, request: FloorRequest, up: bool) -> None:
    """The chair moves a waiting speaker one place up or down."""
    _lock(meeting)
    line = queue(meeting)
    if request not in line:
        raise Conflict({"request_id": [_("This request is no longer waiting.")]})
    index = line.index(request)
    other = index - 1 if up else index + 1
    if 0 <= other < len(line):
        neighbour = line[other]
        request.position, neighbour.position = neighbour.position, request.position
        db.session.flush()


def spoken(meeting: Meeting) -> list[tuple[FloorRequest, str]]:
    """Who spoke, item by item and in order (for the minutes): (request, name)."""
    return db.session.execute(
        select(FloorRequest, Member.name).join(Member, Member.id == FloorRequest.member_id)
        .where(FloorRequest.meeting_id == meeting.id, FloorRequest.started_at.is_not(None))
        .order_by(FloorRequest.started_at)).all()


@dataclass
class SpeakersList:
    item: AgendaItem | None
    speaking: FloorRequest | None
    queue: list
    names: dict
    spoken: list  # (request, name) of those who spoke, in order

    @property
    def speaking_name(self):
        return self.names.get(self.speaking.member_id) if self.speaking else None


def listing(meeting: Meeting) -> SpeakersList:
    """The item under discussion, who has the floor, who waits (in order), and who spoke."""
    item = current_item(meeting)
    speaking = now_speaking(meeting)
    waiting = queue(meeting, item)
    ids = [r.member_id for r in waiting] + ([speaking.member_id] if speaking else [])
    names = dict(db.session.execute(select(Member.id, Member.name).where(Member.id.in_(ids or [None]))).all())
    return SpeakersList(item, speaking, waiting, names, spoken(meeting))
