"""Art. 76 follow-up: when the municipal council owes its answer to a motion, and how a motion's implementation
stands. Pure functions of dates and states (tested in tests/test_follow_up.py).

**The due date.** Law 5393 art. 76: the council's opinions "are placed on the agenda of the municipal council's
first meeting and considered". Art. 20: the mayor prepares the agenda and announces it at least three days before
the meeting. So a motion delivered on day D can only be on the agenda of a meeting held on day M ≥ D + 3: the
answer is due at the first recorded municipal council meeting on or after D + 3 days. Until the council has
recorded that meeting, the due date is an *estimate*: the last day of the month after delivery (the municipal
council meets every month, art. 20). A motion is overdue from the day after its due date while unanswered.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta

AGENDA_NOTICE_DAYS = 3  # Law 5393 art. 20: the agenda is announced at least three days before the meeting


def estimated_due(delivered_on: date) -> date:
    """The last day of the month after delivery: the municipal council meets monthly, so its first meeting falls
    by then (used while the council has not recorded the municipal council's calendar that far)."""
    year, month = (delivered_on.year + 1, 1) if delivered_on.month == 12 else (delivered_on.year, delivered_on.month + 1)
    return date(year, month, calendar.monthrange(year, month)[1])


def answer_due(delivered_on: date, municipal_meetings: Iterable[date]) -> tuple[date, bool]:
    """(due date, estimated?): the first municipal council meeting on or after delivery + the agenda notice,
    else the estimate."""
    earliest = delivered_on + timedelta(days=AGENDA_NOTICE_DAYS)
    first = min((day for day in municipal_meetings if day >= earliest), default=None)
    return (first, False) if first is not None else (estimated_due(delivered_on), True)


def overdue(due: date | None, answered: bool, today: date) -> bool:
    """Unanswered the day after the due date."""
    return due is not None and not answered and today > due


def answered_in_time(due: date | None, decided_on: date | None) -> bool | None:
    """Whether the municipal council decided by the due date (None while it has not decided or nothing is due)."""
    if due is None or decided_on is None:
        return None
    return decided_on <= due


MILESTONE_STATES = ("planned", "in_progress", "done", "abandoned")


def implementation_state(milestones: Iterable[tuple[date, str]]) -> str | None:
    """Where a motion's implementation stands: the state of its latest milestone (by date, then as recorded)."""
    latest = None
    for index, (on, state) in enumerate(milestones):
        if latest is None or (on, index) >= latest[0]:
            latest = ((on, index), state)
    return latest[1] if latest else None


def regular_meeting_days(year: int, *, weekday: int | None = None, week: int | None = None,
                         day_of_month: int | None = None) -> list[date]:
    """The municipal council's regular monthly meetings of ``year`` (art. 20: it meets every month on a day it set
    in advance): either a day of the month (1–28), or the ``week``-th (1–4, or 5 for the last) ``weekday``
    (0 = Monday) of each month."""
    days = []
    for month in range(1, 13):
        if day_of_month is not None:
            days.append(date(year, month, day_of_month))
            continue
        month_days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)
                      if date(year, month, d).weekday() == weekday]
        days.append(month_days[-1] if week == 5 else month_days[week - 1])
    return days
