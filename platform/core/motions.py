"""Motions (önerge): council decisions sent to the municipal council, and their follow-up.

Law 5393 art. 76: the council's opinions are placed on the agenda of the municipal council's first meeting
and considered. The answer is due at the first municipal council meeting the motion can reach (the council records
that council's calendar; :mod:`konsey.core.rules.follow_up` states the rule), and a motion unanswered after it is
overdue. After the answer come the implementation milestones, public on the council's tracker.

Adopting a motion writes an outbox event in the same transaction; the worker delivers the package.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Boolean, Date, Integer, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.counters import next_number
from konsey.core.errors import Conflict, Invalid
from konsey.core.labels import label
from konsey.core.meetings import AgendaItem, Meeting, Vote
from konsey.core.municipal_calendar import municipal_meeting_days
from konsey.core.outbox import emit, emit_latest
from konsey.core.rules import follow_up as rules
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_day, council_today


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
    # When the answer is due (set at delivery, moved when the municipal council's calendar changes) and whether
    # that is an estimate (no municipal meeting recorded that far); the municipal decision's real date.
    answer_due_on: Mapped[date | None] = mapped_column(Date)
    answer_due_estimated: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    municipal_decided_on: Mapped[date | None] = mapped_column(Date)
    # When anything the tracker shows of it last changed: any write of the row (status, due date, answer) and
    # each implementation step (konsey.core.follow_up touches it). The feed's entries and Last-Modified.
    changed_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "number"),
        db.UniqueConstraint("council_id", "vote_id"),
        db.Index("ix_motions_council_status", "council_id", "status"),
        same_council_fk("vote_id", "votes"),
    )


def answer_due(motion: Motion) -> date | None:
    """When the municipal council owes its answer (None before delivery)."""
    if motion.delivered_on is None:
        return None
    return motion.answer_due_on or rules.estimated_due(motion.delivered_on)


def decided_day(motion: Motion) -> date | None:
    """When the municipal council decided: its decision's date, else the day the answer was recorded."""
    if motion.municipal_decided_on:
        return motion.municipal_decided_on
    return council_day(motion.answered_at, motion.council_id) if motion.answered_at else None


def is_answered(status: MotionStatus) -> bool:
    return ORDER.index(status) >= ORDER.index(MotionStatus.ANSWERED)


def is_overdue(motion: Motion, today: date) -> bool:
    return rules.overdue(answer_due(motion), is_answered(motion.status), today)


def overdue_condition(today: date):
    """:func:`is_overdue` as a condition on Motion, for counting in SQL: every delivered motion carries its due
    date (set at delivery; migration 0033 filled in the older ones)."""
    return (Motion.answer_due_on.is_not(None) & (Motion.answer_due_on < today)
            & Motion.status.not_in([MotionStatus.ANSWERED, MotionStatus.FOLLOWED_UP]))


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
    # The answer comes only with record_answer (its date and number), "followed up" only with a milestone.
    if ORDER.index(target) <= ORDER.index(motion.status) or target in (MotionStatus.ANSWERED,
                                                                          MotionStatus.FOLLOWED_UP):
        raise Conflict({"status": [_("A motion that is %(status)s cannot become %(target)s.",
                                            status=label(motion.status), target=label(target))]})
    if target is MotionStatus.DELIVERED:
        if delivered_on is None:
            raise Invalid({"delivered_on": [_("Give the date the municipality received it.")]})
        motion.delivered_on = delivered_on
        set_due_date(motion)
    motion.status = target
    record("motion.status", motion, {"status": target.value})
    # The board is told where the motion stands: once per unit of work, of its last status.
    emit_latest("motion.status", str(motion.id), {"motion_id": str(motion.id), "status": target.value})


def set_due_date(motion: Motion, municipal_meetings: list[date] | None = None) -> None:
    """The answer's due date from the municipal council's calendar (see rules.follow_up.answer_due)."""

    days = municipal_meeting_days() if municipal_meetings is None else municipal_meetings
    motion.answer_due_on, motion.answer_due_estimated = rules.answer_due(motion.delivered_on, days)


def record_answer(motion: Motion, answer: MunicipalAnswer, text: str | None, decided_on: date | None,
                  decision_number: str | None, *, today: date | None = None) -> None:
    """The municipal council's answer, with its decision's real date (a meeting recorded late carries the date
    it was held; the audit entry keeps both that date and the moment it was recorded)."""
    today = today or council_today()
    if ORDER.index(motion.status) < ORDER.index(MotionStatus.DELIVERED):
        raise Conflict({"status": [_("The municipality has not received this motion yet.")]})
    if motion.status in (MotionStatus.ANSWERED, MotionStatus.FOLLOWED_UP):
        raise Conflict({"status": [_("This motion already has its answer.")]})
    if decided_on is not None and decided_on > today:
        raise Invalid({"municipal_decision_date": [_("The municipal council's decision cannot be dated in the "
                                                     "future.")]})
    if decided_on is not None and motion.delivered_on is not None and decided_on < motion.delivered_on:
        raise Invalid({"municipal_decision_date": [_("The municipal council cannot have decided before it "
                                                     "received the "
                                           "motion (%(day)s).", day=motion.delivered_on.strftime("%d.%m.%Y"))]})
    motion.answer, motion.answer_text = answer, text
    motion.municipal_decided_on = decided_on
    motion.municipal_decision_date = decided_on.isoformat() if decided_on else None  # the older text column
    motion.municipal_decision_number = decision_number
    motion.answered_at = utcnow()
    motion.status = MotionStatus.ANSWERED
    record("motion.answered", motion, {"answer": answer.value, "municipal_decision_number": decision_number,
                                       "decided_on": decided_on.isoformat() if decided_on else None,
                                       "in_time": rules.answered_in_time(answer_due(motion), decided_on)})
    emit_latest("motion.status", str(motion.id), {"motion_id": str(motion.id), "status": MotionStatus.ANSWERED.value})
