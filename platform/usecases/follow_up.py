"""The art. 76 follow-up to the end: the municipal council's calendar (which sets each answer's due date), the
implementation milestones after the answer, and the public tracker residents read and subscribe to."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.core import follow_up
from konsey.core.errors import Invalid, NotFound
from konsey.core.follow_up import MilestoneState
from konsey.core.motions import Motion, MotionStatus, answer_due, decided_day, is_answered, is_overdue
from konsey.core.municipal_calendar import MunicipalCouncilMeeting, MunicipalMeetingKind
from konsey.core.permissions import Permission
from konsey.core.rules import follow_up as rules
from konsey.schemas.motions import MilestoneSchema, MunicipalMeetingSchema, RegularMeetingsSchema
from konsey.tenants.db import as_utc, db
from konsey.tenants.models import CouncilStatus, council_day, council_midnight, council_today
from konsey.usecases.base import command, loaded, one, query
from konsey.usecases.councils import bound

# --- the municipal council's calendar ----------------------------------------------------------------------------


@query(Permission.COUNCIL_VIEW)
def municipal_calendar(year: int | None = None) -> list[MunicipalCouncilMeeting]:
    """The municipal council's meetings as the council recorded them: the dates answers fall due by."""
    return follow_up.municipal_meetings(year)


@command(Permission.MOTIONS_MANAGE, takes=MunicipalMeetingSchema)
def add_municipal_meeting(data: dict) -> MunicipalCouncilMeeting:
    """A municipal council meeting (regular or extraordinary): delivered motions waiting for an answer take
    their due date from the calendar as it now is."""
    data = loaded(data)
    return follow_up.add_municipal_meeting(data["held_on"], data["kind"], data.get("note"))


@command(Permission.MOTIONS_MANAGE)
def remove_municipal_meeting(meeting_id: uuid.UUID) -> None:
    """Remove a municipal council meeting recorded by mistake."""
    follow_up.remove_municipal_meeting(one(MunicipalCouncilMeeting, meeting_id))


@command(Permission.MOTIONS_MANAGE, takes=RegularMeetingsSchema)
def add_regular_meetings(data: dict) -> int:
    """A year's regular monthly meetings (Law 5393 art. 20) on the day the municipal council set: a day of the
    month, or the n-th weekday; the days already recorded stay as they are."""
    data = loaded(data)
    if data.get("day_of_month") is None and (data.get("weekday") is None or data.get("week") is None):
        raise Invalid({"day_of_month": [_("Give a day of the month, or a weekday and which one in the month.")]})
    days = rules.regular_meeting_days(data["year"], weekday=data.get("weekday"), week=data.get("week"),
                                      day_of_month=data.get("day_of_month"))
    return follow_up.add_many([(day, MunicipalMeetingKind.REGULAR) for day in days])


@command(Permission.MOTIONS_MANAGE)
def import_municipal_calendar(content: bytes) -> int:
    """The municipal council's calendar as an .ics file or a CSV (date, kind): the new days are added."""
    if not content:
        raise Invalid({"file": [_("Choose a file.")]})
    return follow_up.add_many(follow_up.read_calendar(content))


# --- implementation ---------------------------------------------------------------------------------------------


@query(Permission.COUNCIL_VIEW)
def milestones(motion_id: uuid.UUID) -> list:
    motion = one(Motion, motion_id)
    return follow_up.milestones_of([motion.id])[motion.id]


@command(Permission.MOTIONS_MANAGE, takes=MilestoneSchema)
def add_milestone(motion_id: uuid.UUID, data: dict) -> Motion:
    """Record a step of a motion's implementation (planned, started, done) on a day."""
    motion = one(Motion, motion_id)
    data = loaded(data)
    follow_up.add_milestone(motion, data["state"], data["day"], data.get("note"))
    return motion


# --- the public tracker -----------------------------------------------------------------------------------------


@dataclass
class TrackedMotion:
    """A motion as residents follow it: what the council asked, when the answer was due, what the municipal
    council decided and how far it was carried out. No people."""

    motion: Motion
    due: date | None
    due_estimated: bool
    overdue: bool
    implementation: MilestoneState | None
    milestones: list


TRACKER_STATES = ("waiting", "overdue", "answered", "implemented", "abandoned")


@query(None)
def tracker(state: str | None = None, year: int | None = None, today: date | None = None,
            limit: int = 200) -> dict:
    """The council's motions for the public tracker, the latest first, filtered by where they stand (waiting
    for the answer, overdue, answered, implemented, abandoned) and the year they were adopted."""
    if bound().status is not CouncilStatus.ACTIVE:
        raise NotFound(_("Not found."))
    if state is not None and state not in TRACKER_STATES:
        raise Invalid({"state": [_("Not a state of the tracker.")]})
    today = today or council_today()
    sent = select(Motion).where(Motion.status != MotionStatus.ADOPTED).order_by(Motion.number.desc())
    every = follow_up_rows(sent.limit(1000), today)  # the latest thousand: a public page stays bounded
    # The summary is of everything sent; a year's list is its own query, a state filters either in hand.
    # The council's year, not UTC's: a motion adopted at 00:30 on 1 January in İstanbul is of the new year.
    found = follow_up_rows(sent.where(Motion.adopted_at >= council_midnight(date(year, 1, 1)),
                                      Motion.adopted_at < council_midnight(date(year + 1, 1, 1))).limit(1000),
                           today) if year is not None else every
    if state is not None:
        found = [t for t in found if state_of(t) == state or (state == "waiting" and state_of(t) == "overdue")]
    years = sorted({council_day(adopted).year for adopted in db.session.scalars(select(Motion.adopted_at))
                    if adopted is not None}, reverse=True)
    # When anything shown here last changed: any motion's (one leaving the filtered list changes it too); a
    # list of the waiting or overdue also changes when a day passes (a due date goes by).
    changed = [as_utc(t) for t in (db.session.scalar(select(func.max(Motion.changed_at))), bound().created_at) if t]
    if state in ("waiting", "overdue"):
        changed.append(council_midnight(today))
    return {"motions": found[:limit], "state": state, "year": year, "years": years, "states": TRACKER_STATES,
            "summary": _summary(every), "changed_at": max(changed)}


def follow_up_rows(statement, today: date) -> list[TrackedMotion]:
    motions = db.session.scalars(statement).all()
    steps = follow_up.milestones_of([m.id for m in motions])
    return [TrackedMotion(m, answer_due(m), bool(m.answer_due_estimated) if m.delivered_on else False,
                          is_overdue(m, today), follow_up.implementation_of(steps[m.id]), steps[m.id])
            for m in motions]


def state_of(tracked: TrackedMotion) -> str:
    """Where a motion stands, as the tracker's filter names it."""
    if tracked.implementation is MilestoneState.DONE:
        return "implemented"
    if tracked.implementation is MilestoneState.ABANDONED:
        return "abandoned"
    if is_answered(tracked.motion.status):
        return "answered"
    return "overdue" if tracked.overdue else "waiting"


def _summary(rows: list[TrackedMotion]) -> dict:
    answered = [t for t in rows if is_answered(t.motion.status)]
    # Decided by the due date; without a decision date, the day the answer was recorded (as the federation).
    timely = [t for t in answered if rules.answered_in_time(t.due, decided_day(t.motion))]
    return {"sent": len(rows), "answered": len(answered), "in_time": len(timely),
            "overdue": sum(t.overdue for t in rows),
            "implemented": sum(t.implementation is MilestoneState.DONE for t in rows)}

