"""Floor motions (*önerge*): written motions handed to the presiding board during a meeting.

A member present — in the hall (the desk enters it) or on their phone — hands one in: to add or change an agenda
item, to amend a draft decision, to close a debate, or on procedure. It is numbered in the meeting, signed by its
proposer and by as many co-signers as the by-laws ask (``floor_motion_signatures``), read by the board (the
projector and the phones show it), and then put to a vote or refused by the board with a reason. The minutes list
every floor motion with its fate. Not the :class:`konsey.core.motions.Motion` a council sends to its municipality.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, String, Text, Uuid, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bylaws import parameters_on
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.meetings import AgendaItem, Attendance, Channel, Meeting, Vote, require_sitting
from konsey.core.membership import Member
from konsey.tenants.db import CouncilOwned, db, enum_of, lock, same_council_fk, utcnow


class FloorMotionKind(enum.StrEnum):
    AGENDA = "agenda"  # to add an item to the agenda or change its order
    AMENDMENT = "amendment"  # to amend the draft decision of an item
    CLOSE_DEBATE = "close_debate"  # to close the debate on an item (the vote follows)
    PROCEDURE = "procedure"  # on how the meeting proceeds


class FloorMotionStatus(enum.StrEnum):
    HANDED_IN = "handed_in"  # waiting for its signatures or for the board to read it
    READ = "read"  # read out by the board: on the projector and the phones
    VOTING = "voting"  # put to the vote
    ADOPTED = "adopted"
    REJECTED = "rejected"
    REFUSED = "refused"  # not put to the vote, with the board's reason


class FloorMotion(CouncilOwned, db.Model):
    __tablename__ = "floor_motions"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[FloorMotionKind] = mapped_column(enum_of(FloorMotionKind, 16))
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # the item it concerns, if any
    text: Mapped[str] = mapped_column(Text)
    proposer_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    channel: Mapped[Channel] = mapped_column(enum_of(Channel, 10))  # handed in at the desk, or from a phone
    handed_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[FloorMotionStatus] = mapped_column(enum_of(FloorMotionStatus, 12),
                                                      default=FloorMotionStatus.HANDED_IN)
    read_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
    vote_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "number"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("agenda_item_id", "agenda_items"),
        same_council_fk("proposer_id", "members", ondelete="CASCADE"),
        same_council_fk("vote_id", "votes"),
    )


class FloorMotionSignature(CouncilOwned, db.Model):
    """A co-signer of a floor motion (its proposer signs by handing it in)."""

    __tablename__ = "floor_motion_signatures"

    floor_motion_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "floor_motion_id", "member_id"),
        same_council_fk("floor_motion_id", "floor_motions", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


OPEN = (FloorMotionStatus.HANDED_IN, FloorMotionStatus.READ)


def _require_present(meeting: Meeting, member: Member) -> None:
    here = db.session.scalar(select(Attendance.id).where(Attendance.meeting_id == meeting.id,
                                                         Attendance.member_id == member.id,
                                                         Attendance.left_at.is_(None)))
    if here is None:
        raise Invalid({"member_id": [_("Only members present can hand in or sign a floor motion.")]})


def hand_in(meeting: Meeting, proposer: Member, kind: FloorMotionKind, text: str, *,
            agenda_item_id: uuid.UUID | None = None, channel: Channel = Channel.DESK) -> FloorMotion:
    """A member present hands a written motion to the board; it is numbered in the meeting."""
    require_sitting(meeting)
    _require_present(meeting, proposer)
    if agenda_item_id is not None and db.session.scalar(select(AgendaItem.id).where(
            AgendaItem.id == agenda_item_id, AgendaItem.meeting_id == meeting.id)) is None:
        raise Invalid({"agenda_item_id": [_("No such item on this meeting's agenda.")]})
    if kind in (FloorMotionKind.AMENDMENT, FloorMotionKind.CLOSE_DEBATE) and agenda_item_id is None:
        raise Invalid({"agenda_item_id": [_("Name the agenda item this floor motion is about.")]})

    def highest_so_far() -> int:
        return db.session.scalar(select(func.max(FloorMotion.number)).where(FloorMotion.meeting_id == meeting.id)) or 0

    motion = FloorMotion(meeting_id=meeting.id, number=next_number(f"floor-motion:{meeting.id}", highest_so_far),
                         kind=kind, agenda_item_id=agenda_item_id, text=text, proposer_id=proposer.id,
                         channel=channel)
    db.session.add(motion)
    db.session.flush()
    record("floor_motion.handed_in", motion, {"number": motion.number, "kind": kind.value, "channel": channel.value})
    return motion


def signatures_needed(meeting: Meeting) -> int:
    """Signatures a floor motion needs, its proposer's included (the by-laws of the meeting's day)."""
    return parameters_on(meeting.day)["floor_motion_signatures"]


def signature_count(motion: FloorMotion) -> int:
    return 1 + (db.session.scalar(select(func.count(FloorMotionSignature.id)).where(
        FloorMotionSignature.floor_motion_id == motion.id)) or 0)


def co_sign(meeting: Meeting, motion: FloorMotion, member: Member) -> FloorMotionSignature:
    """A member present adds their signature to a floor motion not yet read."""
    require_sitting(meeting)
    _require_present(meeting, member)
    lock(motion, "key_share")  # beside other signatures, never beside its reading
    if motion.status is not FloorMotionStatus.HANDED_IN:
        raise Conflict({"floor_motion": [_("This floor motion has been read; it takes no more signatures.")]})
    if member.id == motion.proposer_id:
        raise Conflict({"member_id": [_("The proposer has signed this floor motion already.")]})
    signature = FloorMotionSignature(floor_motion_id=motion.id, member_id=member.id)
    try:
        with db.session.begin_nested():
            db.session.add(signature)
    except IntegrityError:
        raise Conflict({"member_id": [_("This member has signed this floor motion already.")]}) from None
    return signature


def read_out(meeting: Meeting, motion: FloorMotion) -> None:
    """The board reads the floor motion out: the projector and the phones show it."""
    require_sitting(meeting)
    lock(motion)
    if motion.status is not FloorMotionStatus.HANDED_IN:
        raise Conflict({"floor_motion": [_("This floor motion has been read already.")]})
    needed = signatures_needed(meeting)
    if signature_count(motion) < needed:
        raise Conflict({"floor_motion": [_("A floor motion needs %(n)d signatures under the by-laws; it has "
                                           "%(has)d.", n=needed, has=signature_count(motion))]})
    motion.status, motion.read_at = FloorMotionStatus.READ, utcnow()
    record("floor_motion.read", motion, {"number": motion.number})


def refuse(meeting: Meeting, motion: FloorMotion, reason: str) -> None:
    """The board does not put it to the vote, and says why (the minutes keep the reason)."""
    lock(motion)
    if motion.status not in OPEN:
        raise Conflict({"floor_motion": [_("This floor motion has been decided already.")]})
    motion.status, motion.refusal_reason, motion.decided_at = FloorMotionStatus.REFUSED, reason, utcnow()
    record("floor_motion.refused", motion, {"number": motion.number})


def require_read(motion: FloorMotion) -> None:
    """Only a floor motion the board has read out goes to the vote."""
    lock(motion)
    if motion.status is not FloorMotionStatus.READ:
        raise Conflict({"floor_motion": [_("The board reads a floor motion out before it is put to the vote.")]})


def put_to_vote(meeting: Meeting, motion: FloorMotion, vote: Vote) -> None:
    """The floor motion, read, goes to the vote ``vote`` (opened by the caller on the item it concerns)."""
    require_read(motion)
    motion.status, motion.vote_id = FloorMotionStatus.VOTING, vote.id
    record("floor_motion.put_to_vote", motion, {"number": motion.number, "vote": str(vote.id)})


def vote_closed(vote: Vote) -> FloorMotion | None:
    """The vote on a floor motion closed: the motion is adopted or rejected with it."""
    motion = db.session.scalar(select(FloorMotion).where(FloorMotion.vote_id == vote.id))
    if motion is None:
        return None
    motion.status = FloorMotionStatus.ADOPTED if vote.outcome == "adopted" else FloorMotionStatus.REJECTED
    motion.decided_at = utcnow()
    record("floor_motion.decided", motion, {"number": motion.number, "outcome": motion.status.value})
    return motion


def listed(meeting: Meeting) -> list[tuple[FloorMotion, str, int]]:
    """The meeting's floor motions with their proposer's name and their signatures (the proposer's included),
    in two statements however many."""
    rows = db.session.execute(select(FloorMotion, Member.name).join(Member, Member.id == FloorMotion.proposer_id)
                              .where(FloorMotion.meeting_id == meeting.id).order_by(FloorMotion.number)).all()
    signed = dict(db.session.execute(
        select(FloorMotionSignature.floor_motion_id, func.count()).where(
            FloorMotionSignature.floor_motion_id.in_([motion.id for motion, _name in rows] or [None]))
        .group_by(FloorMotionSignature.floor_motion_id)).all()) if rows else {}
    return [(motion, name, 1 + signed.get(motion.id, 0)) for motion, name in rows]


def of_meeting(meeting: Meeting) -> list[FloorMotion]:
    return db.session.scalars(select(FloorMotion).where(FloorMotion.meeting_id == meeting.id)
                              .order_by(FloorMotion.number)).all()


def being_read(meeting: Meeting) -> FloorMotion | None:
    """The floor motion the board has read out and not yet decided (the screens show it)."""
    return db.session.scalar(select(FloorMotion).where(
        FloorMotion.meeting_id == meeting.id,
        FloorMotion.status.in_([FloorMotionStatus.READ, FloorMotionStatus.VOTING]))
        .order_by(FloorMotion.read_at.desc()).limit(1))
