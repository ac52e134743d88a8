"""The current council's statutory calendar, read from its meetings and seats."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.formats import day_text
from konsey.core.meetings import Meeting, MeetingStatus
from konsey.core.rules.calendar import Warning as CalendarWarning
from konsey.core.rules.calendar import general_assembly_warnings, terms_ending
from konsey.core.seats import Seat, board_composition
from konsey.core.session_requests import due_requests
from konsey.tenants.db import db
from konsey.tenants.models import council_day, council_midnight, council_today

MESSAGES = {
    "general_assembly_sessions_missing": lambda a: _(
        "The by-laws require %(needed)d general assembly sessions in %(year)d; %(planned)d are held or scheduled.",
        **a),
    "general_assembly_none_held": lambda a: _("No general assembly session has been held in %(year)d yet.", **a),
    "extraordinary_session_due": lambda a: _(
        "%(count)d request(s) for an extraordinary general assembly have enough signatures: call the session.",
        **a),
    "board_below_minimum": lambda a: _(
        "The executive board has %(size)d members; the statute requires at least %(minimum)d.", **a),
    "board_president_missing": lambda a: _(
        "The president of the %(assembly)s does not sit on the executive board, as the statute requires.", **a),
    "term_ending": lambda a: _("Terms in %(body)s end on %(ends_on)s.", body=a["body"],
                               ends_on=day_text(a["ends_on"])),
}


def calendar(year: int, today: date | None = None) -> dict:
    today = today or council_today()
    bylaws = parameters_on(date(year, 12, 31))
    assembly = db.session.scalar(select(Body).where(Body.kind == BodyKind.GENERAL_ASSEMBLY))
    sessions = db.session.scalars(select(Meeting).where(
        Meeting.body_id == assembly.id,
        # The council's year: a session at 00:30 on 1 January in İstanbul is of the new year, not the old.
        Meeting.scheduled_at >= council_midnight(date(year, 1, 1)),
        Meeting.scheduled_at < council_midnight(date(year + 1, 1, 1)),
    )).all()
    held = sum(1 for m in sessions if m.status is MeetingStatus.CLOSED or
               (m.opened_at is not None and council_day(m.scheduled_at) <= today))
    scheduled = sum(1 for m in sessions if m.status is MeetingStatus.SCHEDULED and council_day(m.scheduled_at) >= today)
    names = {b.id: b.name for b in db.session.scalars(select(Body))}
    ends = [(names[s.body_id], s.ends_on) for s in db.session.scalars(select(Seat).where(Seat.ends_on.is_not(None)))]
    warnings = general_assembly_warnings(year, held, scheduled, bylaws["general_assembly_min_sessions_per_year"],
                                         today) + terms_ending(ends, today)

    composition = board_composition(today, parameters_on(today))
    if "below_minimum" in composition["problems"]:
        warnings.append(CalendarWarning("board_below_minimum", {"size": composition["size"],
                                                                "minimum": composition["minimum"]}))
    for assembly in composition["missing_presidents"]:
        warnings.append(CalendarWarning("board_president_missing", {"assembly": assembly.name}))
    if due := due_requests():
        warnings.append(CalendarWarning("extraordinary_session_due", {"count": len(due)}))
    return {
        "year": year,
        "general_assembly": {"required": bylaws["general_assembly_min_sessions_per_year"], "held": held,
                             "scheduled": scheduled},
        "warnings": [{"code": w.code, "message": MESSAGES[w.code](w.message_args), **w.message_args}
                     for w in warnings],
    }
