"""A general assembly's opening: its presiding board (*divan*) elected by those present, and its agenda adopted.

Where the by-laws say a body's meetings have one (``presiding_board_for``), the meeting opens on an item of its
own (position 0, before the agenda): the desk proposes a slate — a chair, the by-laws' vice-chairs and clerks, named
at the desk or from the floor —, and an open vote of those present (the hall and the phones, as any vote) elects
it; a slate voted down is dropped and another proposed. Then the proposed agenda is put to the assembly, once the
floor motions to change it have been decided. The board's names go on the minutes with a line to sign each; its
members' role ends with the meeting.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, Uuid, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bodies import Body
from konsey.core.bylaws import parameters_on
from konsey.core.errors import Conflict, Invalid
from konsey.core.floor_motions import FloorMotion, FloorMotionKind, FloorMotionStatus
from konsey.core.labels import label
from konsey.core.meetings import AgendaItem, Attendance, Meeting, Vote, VoteKind, VotePurpose
from konsey.core.membership import Member
from konsey.core.votes import open_vote
from konsey.tenants.db import CouncilOwned, db, enum_of, lock, same_council_fk, utcnow

OPENING_TITLE = "Açılış: divan seçimi ve gündemin kabulü"


class BoardRole(enum.StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"
    CLERK = "clerk"


class PresidingBoardSeat(CouncilOwned, db.Model):
    """A place on a meeting's presiding board: proposed on a slate, elected by that slate's vote."""

    __tablename__ = "presiding_board_seats"

    meeting_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    role: Mapped[BoardRole] = mapped_column(enum_of(BoardRole, 12))
    position: Mapped[int] = mapped_column(Integer, default=0)  # the order within a role (first clerk, second …)
    vote_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the vote on the slate
    elected_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "meeting_id", "member_id"),
        same_council_fk("meeting_id", "meetings", ondelete="CASCADE"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
        same_council_fk("vote_id", "votes", ondelete="CASCADE"),
    )


def has_board(meeting: Meeting, bylaws: dict | None = None) -> bool:
    """Whether the by-laws of the meeting's day give this body's meetings a presiding board."""
    body = db.session.get(Body, meeting.body_id)
    return body.kind.value in (bylaws or parameters_on(meeting.day))["presiding_board_for"]


def opening_item(meeting: Meeting) -> AgendaItem:
    """The meeting's opening item (position 0), made the first time it is needed."""
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.position == 0))
    if item is None:
        item = AgendaItem(meeting_id=meeting.id, position=0, title=OPENING_TITLE)
        db.session.add(item)
        db.session.flush()
    return item


ORDER = {BoardRole.CHAIR: 0, BoardRole.VICE_CHAIR: 1, BoardRole.CLERK: 2}


def seats(meeting: Meeting) -> list[tuple[PresidingBoardSeat, Member]]:
    """Every seat of the meeting's board, elected or on a slate being voted on, in order."""
    rows = db.session.execute(select(PresidingBoardSeat, Member).join(Member, Member.id == PresidingBoardSeat.member_id)
                              .where(PresidingBoardSeat.meeting_id == meeting.id)).all()
    return sorted(rows, key=lambda row: (ORDER[row[0].role], row[0].position))


def board(meeting: Meeting) -> list[tuple[PresidingBoardSeat, Member]]:
    """The elected board: the chair, the vice-chairs, the clerks, in order."""
    return [row for row in seats(meeting) if row[0].elected_at is not None]


def slate_voting(meeting: Meeting) -> bool:
    """Whether a proposed slate is being voted on now."""
    return db.session.scalar(select(PresidingBoardSeat.id).where(PresidingBoardSeat.meeting_id == meeting.id,
                                                                 PresidingBoardSeat.elected_at.is_(None))) is not None


def on_board(meeting: Meeting, member_id: uuid.UUID) -> bool:
    return db.session.scalar(select(PresidingBoardSeat.id).where(
        PresidingBoardSeat.meeting_id == meeting.id, PresidingBoardSeat.member_id == member_id,
        PresidingBoardSeat.elected_at.is_not(None))) is not None


def propose(meeting: Meeting, body: Body, chair: uuid.UUID, vice_chairs: list[uuid.UUID],
            clerks: list[uuid.UUID]) -> Vote:
    """A slate for the presiding board, put to an open vote of those present at once (on the opening item)."""
    if not has_board(meeting):
        raise Conflict({"meeting": [_("Under the by-laws this body's meetings have no presiding board.")]})
    lock(meeting, "no_key_update")  # two desks proposing at once: one slate
    if board(meeting):
        raise Conflict({"meeting": [_("The presiding board is elected already.")]})
    if slate_voting(meeting):
        raise Conflict({"meeting": [_("A slate is being voted on; close that vote first.")]})
    bylaws = parameters_on(meeting.day)
    if len(vice_chairs) != bylaws["presiding_board_vice_chairs"]:
        raise Invalid({"vice_chairs": [_("The by-laws ask for %(n)d vice-chair(s).", n=bylaws["presiding_board_vice_chairs"])]})
    if len(clerks) != bylaws["presiding_board_clerks"]:
        raise Invalid({"clerks": [_("The by-laws ask for %(n)d clerk(s).", n=bylaws["presiding_board_clerks"])]})
    everyone = [chair, *vice_chairs, *clerks]
    if len(set(everyone)) != len(everyone):
        raise Invalid({"clerks": [_("One person holds one place on the board.")]})
    present = set(db.session.scalars(select(Attendance.member_id).where(
        Attendance.meeting_id == meeting.id, Attendance.left_at.is_(None), Attendance.member_id.in_(everyone))))
    if missing := [m for m in everyone if m not in present]:
        field = "chair" if chair in missing else "vice_chairs" if set(missing) & set(vice_chairs) else "clerks"
        raise Invalid({field: [_("A member of the board is chosen among those present.")]})
    vote = open_vote(meeting, body, opening_item(meeting), VoteKind.OPEN, purpose=VotePurpose.PRESIDING_BOARD)
    for role, ids in ((BoardRole.CHAIR, [chair]), (BoardRole.VICE_CHAIR, vice_chairs), (BoardRole.CLERK, clerks)):
        for position, member_id in enumerate(ids):
            db.session.add(PresidingBoardSeat(meeting_id=meeting.id, member_id=member_id, role=role,
                                              position=position, vote_id=vote.id))
    db.session.flush()
    record("meeting.board_proposed", meeting, {"vote": str(vote.id), "size": len(everyone)})
    return vote


def put_agenda_to_vote(meeting: Meeting, body: Body) -> Vote:
    """The proposed agenda, put to the assembly once its board is elected and the floor motions to change the
    agenda are decided."""
    if has_board(meeting) and not board(meeting):
        raise Conflict({"meeting": [_("The presiding board is elected before the agenda is adopted.")]})
    lock(meeting, "no_key_update")  # two desks at once: one agenda vote
    if meeting.agenda_adopted_at is not None:
        raise Conflict({"meeting": [_("The agenda is adopted already.")]})
    waiting = db.session.scalar(select(FloorMotion.number).where(
        FloorMotion.meeting_id == meeting.id, FloorMotion.kind == FloorMotionKind.AGENDA,
        FloorMotion.status.in_([FloorMotionStatus.HANDED_IN, FloorMotionStatus.READ, FloorMotionStatus.VOTING]))
        .limit(1))
    if waiting is not None:
        raise Conflict({"meeting": [_("Floor motion no. %(n)d on the agenda is decided first.", n=waiting)]})
    if db.session.scalar(select(Vote.id).where(Vote.agenda_item_id == opening_item(meeting).id,
                                               Vote.purpose == VotePurpose.AGENDA, Vote.closed_at.is_(None))):
        raise Conflict({"meeting": [_("The agenda is being voted on.")]})  # the desk's second click
    return open_vote(meeting, body, opening_item(meeting), VoteKind.OPEN, purpose=VotePurpose.AGENDA)


def vote_closed(meeting: Meeting, vote: Vote) -> None:
    """A vote of the opening closed: a slate adopted is the board (one rejected is dropped); an agenda adopted is
    the meeting's."""
    if vote.purpose is VotePurpose.PRESIDING_BOARD:
        if vote.outcome == "adopted":
            for seat in db.session.scalars(select(PresidingBoardSeat).where(PresidingBoardSeat.vote_id == vote.id)):
                seat.elected_at = utcnow()
            record("meeting.board_elected", meeting, {"vote": str(vote.id)})
        else:
            db.session.execute(delete(PresidingBoardSeat).where(PresidingBoardSeat.vote_id == vote.id))
    elif vote.purpose is VotePurpose.AGENDA and vote.outcome == "adopted":
        meeting.agenda_adopted_at = utcnow()
        record("meeting.agenda_adopted", meeting, {"vote": str(vote.id)})


def subject_of(vote: Vote, item: AgendaItem) -> str:
    """What a vote decides, in words for the screens and the minutes: the item, or the step of the meeting (the
    slate with its names, the proposed agenda, floor motion no. n and its text) — a vote on a floor motion about
    an item is not a vote on that item."""
    if vote.purpose is VotePurpose.PRESIDING_BOARD:
        # The item's meeting is the vote's (already in the session: no query).
        names = ", ".join(f"{member.name} ({label(seat.role)})"
                          for seat, member in seats(db.session.get(Meeting, item.meeting_id)) if seat.vote_id == vote.id)
        return _("The presiding board: %(names)s", names=names)
    if vote.purpose is VotePurpose.AGENDA:
        return _("The proposed agenda")
    if vote.purpose is VotePurpose.FLOOR_MOTION:
        motion = db.session.scalar(select(FloorMotion).where(FloorMotion.vote_id == vote.id))
        if motion is not None:
            text = motion.text if len(motion.text) <= 160 else motion.text[:157] + "…"
            return _("Floor motion no. %(n)d (%(kind)s): %(text)s", n=motion.number, kind=label(motion.kind),
                     text=text)
    return f"{item.position}. {item.title}"

