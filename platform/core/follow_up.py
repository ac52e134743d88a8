"""The art. 76 follow-up to the end: recording the municipal council's meeting calendar (which sets when each
answer is due; the days themselves are :mod:`konsey.core.municipal_calendar`'s), and each motion's implementation
milestones after the answer. The rules are in
:mod:`konsey.core.rules.follow_up`; the public tracker reads what is here."""

from __future__ import annotations

import csv
import enum
import io
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, Text, Uuid, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Conflict, Invalid
from konsey.core.motions import ORDER, Motion, MotionStatus, set_due_date
from konsey.core.municipal_calendar import (
    MunicipalCouncilMeeting,
    MunicipalMeetingKind,
    municipal_meeting_days,
)
from konsey.core.rules import follow_up as rules
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_day, council_today


class MilestoneState(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


class ImplementationMilestone(CouncilOwned, db.Model):
    """A step in carrying out what the municipal council decided on a motion (or giving it up)."""

    __tablename__ = "implementation_milestones"

    motion_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    state: Mapped[MilestoneState] = mapped_column(enum_of(MilestoneState, 16))
    day: Mapped[date] = mapped_column(Date)  # when it happened (or, planned, when it is to)
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_implementation_milestones_council_motion", "council_id", "motion_id"),
        same_council_fk("motion_id", "motions", ondelete="CASCADE"),
    )


# --- the municipal council's calendar ----------------------------------------------------------------------------


def municipal_meetings(year: int | None = None) -> list[MunicipalCouncilMeeting]:
    rows = select(MunicipalCouncilMeeting).order_by(MunicipalCouncilMeeting.held_on)
    if year is not None:
        rows = rows.where(MunicipalCouncilMeeting.held_on >= date(year, 1, 1),
                          MunicipalCouncilMeeting.held_on <= date(year, 12, 31))
    return db.session.scalars(rows.limit(1000)).all()  # decades of monthly meetings: a bounded answer


def add_municipal_meeting(held_on: date, kind: MunicipalMeetingKind, note: str | None = None) -> MunicipalCouncilMeeting:
    if db.session.scalar(select(MunicipalCouncilMeeting.id).where(MunicipalCouncilMeeting.held_on == held_on)):
        raise Conflict({"held_on": [_("A municipal council meeting is already recorded on %(day)s.",
                                      day=held_on.strftime("%d.%m.%Y"))]})
    meeting = MunicipalCouncilMeeting(held_on=held_on, kind=kind, note=note)
    db.session.add(meeting)
    db.session.flush()
    record("municipal_meeting.recorded", meeting, {"held_on": held_on.isoformat(), "kind": kind.value})
    refresh_due_dates()
    return meeting


def remove_municipal_meeting(meeting: MunicipalCouncilMeeting) -> None:
    record("municipal_meeting.removed", meeting, {"held_on": meeting.held_on.isoformat()})
    db.session.delete(meeting)
    db.session.flush()
    refresh_due_dates()


def add_many(days: list[tuple[date, MunicipalMeetingKind]]) -> int:
    """Record the days not recorded yet (a year's regular meetings, an imported calendar); how many were new."""
    known = set(municipal_meeting_days())
    added = 0
    for held_on, kind in sorted(set(days)):
        if held_on not in known:
            db.session.add(MunicipalCouncilMeeting(held_on=held_on, kind=kind))
            known.add(held_on)
            added += 1
    db.session.flush()
    record("municipal_meeting.imported", None, {"added": added})
    refresh_due_dates()
    return added


def read_calendar(content: bytes) -> list[tuple[date, MunicipalMeetingKind]]:
    """Meeting days from an iCalendar file (each VEVENT's start) or a CSV with a ``date`` column (dd.mm.yyyy or
    yyyy-mm-dd) and an optional ``kind``; a bad file is refused naming the line."""
    text = content.decode("utf-8-sig", errors="replace")
    if "BEGIN:VCALENDAR" in text[:2000]:
        import icalendar  # only for .ics files

        try:
            calendar = icalendar.Calendar.from_ical(text)
        except (ValueError, TypeError, KeyError) as error:
            raise Invalid({"file": [_("This is not a calendar file we can read (%(error)s).", error=str(error)[:80])]}) \
                from None
        days = []
        for event in calendar.walk("VEVENT"):
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue  # a meeting called off is no meeting
            try:
                start = event.decoded("DTSTART", None)
            except (ValueError, TypeError):
                start = None
            if not isinstance(start, date):  # missing, a period, a list, text that is no date
                raise Invalid({"file": [_("An event of the calendar has no date we can read.")]})
            summary = str(event.get("SUMMARY", "")).casefold()
            kind = MunicipalMeetingKind.EXTRAORDINARY if "olağanüstü" in summary or "extraordinary" in summary \
                else MunicipalMeetingKind.REGULAR
            if isinstance(start, datetime):  # an instant (UTC or another zone): its day where the council is
                start = council_day(start) if start.tzinfo else start.date()
            days.append((start, kind))
        return days
    try:
        return _csv_days(text)
    except csv.Error:
        raise Invalid({"file": [_("The file needs a 'date' column (or is an .ics calendar).")]}) from None


def _csv_days(text: str) -> list[tuple[date, MunicipalMeetingKind]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "date" not in [f.strip().lower() for f in reader.fieldnames]:
        raise Invalid({"file": [_("The file needs a 'date' column (or is an .ics calendar).")]})
    days = []
    for row in reader:
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        try:
            day = datetime.strptime(row["date"], "%d.%m.%Y").date() if "." in row["date"] \
                else date.fromisoformat(row["date"])
            kind = MunicipalMeetingKind(row.get("kind") or "regular")
        except ValueError:
            raise Invalid({"file": [_("Line %(line)d: a date as dd.mm.yyyy and a kind (regular or extraordinary).",
                                      line=reader.line_num)]}) from None
        days.append((day, kind))
    return days


def refresh_due_dates() -> None:
    """Delivered, unanswered motions take their due date from the calendar as it now is."""
    days = municipal_meeting_days()
    waiting = db.session.scalars(select(Motion).where(
        Motion.delivered_on.is_not(None),
        Motion.status.in_([s for s in ORDER if ORDER.index(s) < ORDER.index(MotionStatus.ANSWERED)]))).all()
    for motion in waiting:
        set_due_date(motion, days)


# --- implementation ---------------------------------------------------------------------------------------------


def milestones_of(motion_ids: list) -> dict:
    found: dict = {motion_id: [] for motion_id in motion_ids}
    for milestone in db.session.scalars(select(ImplementationMilestone).where(
            ImplementationMilestone.motion_id.in_(list(motion_ids) or [None]))
            .order_by(ImplementationMilestone.day, ImplementationMilestone.created_at)):
        found[milestone.motion_id].append(milestone)
    return found


def implementation_of(milestones: list[ImplementationMilestone]) -> MilestoneState | None:
    state = rules.implementation_state([(m.day, m.state.value) for m in milestones])
    return MilestoneState(state) if state else None


def add_milestone(motion: Motion, state: MilestoneState, on: date, note: str | None, *,
                  today: date | None = None) -> ImplementationMilestone:
    """A step of the implementation, after the municipal council answered; dated when it happened."""
    if ORDER.index(motion.status) < ORDER.index(MotionStatus.ANSWERED):
        raise Conflict({"motion": [_("Implementation is followed once the municipal council has answered.")]})
    if state is not MilestoneState.PLANNED and on > (today or council_today()):
        raise Invalid({"day": [_("Only a planned step can be dated in the future.")]})
    milestone = ImplementationMilestone(motion_id=motion.id, state=state, day=on, note=note)
    db.session.add(milestone)
    db.session.flush()
    # The state and its date only: the note is free text and stays out of the audit chain.
    record("motion.milestone", motion, {"state": state.value, "on": on.isoformat()})
    if motion.status is MotionStatus.ANSWERED:
        motion.status = MotionStatus.FOLLOWED_UP
    motion.changed_at = utcnow()  # the tracker shows the step: its readers must see the motion changed
    return milestone
