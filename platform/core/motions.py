"""Motions (önerge): council decisions sent to the municipal council, and their follow-up.

Law 5393 art. 76: the council's opinions are placed on the agenda of the municipal council's first meeting
and considered. Municipal councils meet monthly (art. 20), so the first meeting after receipt falls within the
following month at the latest: that is the answer's due date, and a motion unanswered after it is overdue.

Adopting a motion writes an outbox event in the same transaction; the worker delivers the package.
"""

from __future__ import annotations

import calendar
import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, Integer, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.labels import label
from konsey.core.meetings import AgendaItem, Meeting, Vote
from konsey.core.outbox import emit
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow


class MotionStatus(enum.StrEnum):
    ADOPTED = "adopted"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    ON_AGENDA = "on_agenda"
    ANSWERED = "answered"
    FOLLOWED_UP = "followed_up"


class MunicipalAnswer(enum.StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"
    REFERRED = "referred"  # to a committee


ORDER = list(MotionStatus)


class Motion(CouncilOwned, db.Model):
    __tablename__ = "motions"

    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    vote_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    decision_number: Mapped[str] = mapped_column(String(20))
    status: Mapped[MotionStatus] = mapped_column(enum_of(MotionStatus, 16), default=MotionStatus.ADOPTED)
    adopted_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_on: Mapped[date | None] = mapped_column(Date)
    answer: Mapped[MunicipalAnswer | None] = mapped_column(enum_of(MunicipalAnswer, 20))
    answer_text: Mapped[str | None] = mapped_column(Text)
    municipal_decision_date: Mapped[str | None] = mapped_column(String(40))  # as the municipality writes it
    municipal_decision_number: Mapped[str | None] = mapped_column(String(60))
    answered_at: Mapped[datetime | None]
    # Receipt links carry this number; raising it voids every link sent so far (a mail sent to the wrong desk).
    receipt_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "number"),
        db.UniqueConstraint("council_id", "vote_id"),
        db.Index("ix_motions_council_status", "council_id", "status"),
        same_council_fk("vote_id", "votes"),
    )


def answer_due(delivered_on: date) -> date:
    """The last day of the month after delivery: the municipal council's first meeting falls by then."""
    year, month = (delivered_on.year + 1, 1) if delivered_on.month == 12 else (delivered_on.year, delivered_on.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def is_overdue(status: MotionStatus, delivered_on: date | None, today: date) -> bool:
    answered = ORDER.index(status) >= ORDER.index(MotionStatus.ANSWERED)
    return delivered_on is not None and not answered and today > answer_due(delivered_on)


def adopt(vote: Vote, title: str, text: str) -> Motion:
    """Turn an adopted, numbered decision into a motion to the municipal council."""
    if vote.outcome != "adopted" or not vote.decision_number:
        raise Invalid({"vote_id": [_("Only an adopted decision becomes a motion.")]})
    if db.session.scalar(select(Motion.id).where(Motion.vote_id == vote.id)):
        raise Conflict({"vote_id": [_("This decision is already a motion.")]})
    body_id = db.session.scalar(select(Meeting.body_id).join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
                                .where(AgendaItem.id == vote.agenda_item_id))
    number = next_number("motion", lambda: db.session.scalar(select(func.max(Motion.number))) or 0)
    motion = Motion(number=number, title=title, text=text, vote_id=vote.id, decision_number=vote.decision_number)
    db.session.add(motion)
    db.session.flush()
    emit("motion.adopted", {"motion_id": str(motion.id), "body_id": str(body_id)})
    record("motion.adopted", motion, {"number": number, "decision_number": vote.decision_number})
    return motion


def advance(motion: Motion, target: MotionStatus, *, delivered_on: date | None = None) -> None:
    """Move a motion forward (never back); delivery needs its date, which sets the answer's due date."""
    if ORDER.index(target) <= ORDER.index(motion.status) or target is MotionStatus.ANSWERED:
        raise Conflict({"status": [_("A motion that is %(status)s cannot become %(target)s.",
                                            status=label(motion.status), target=label(target))]})
    if target is MotionStatus.DELIVERED:
        if delivered_on is None:
            raise Invalid({"delivered_on": [_("Give the date the municipality received it.")]})
        motion.delivered_on = delivered_on
    motion.status = target
    record("motion.status", motion, {"status": target.value})
    emit("motion.status", {"motion_id": str(motion.id), "status": target.value})  # the board is told


def record_answer(motion: Motion, answer: MunicipalAnswer, text: str | None, decision_date: str | None,
                  decision_number: str | None) -> None:
    if ORDER.index(motion.status) < ORDER.index(MotionStatus.DELIVERED):
        raise Conflict({"status": [_("The municipality has not received this motion yet.")]})
    if motion.status in (MotionStatus.ANSWERED, MotionStatus.FOLLOWED_UP):
        raise Conflict({"status": [_("This motion already has its answer.")]})
    motion.answer, motion.answer_text = answer, text
    motion.municipal_decision_date, motion.municipal_decision_number = decision_date, decision_number
    motion.answered_at = utcnow()
    motion.status = MotionStatus.ANSWERED
    record("motion.answered", motion, {"answer": answer.value, "municipal_decision_number": decision_number})
    emit("motion.status", {"motion_id": str(motion.id), "status": MotionStatus.ANSWERED.value})
