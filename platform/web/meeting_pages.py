"""The meeting desk: call a meeting, check people in, watch the quorum, run votes, print the minutes.

Each route is an adapter over :mod:`konsey.usecases.meetings`, with the API's schemas for its input."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.errors import DomainError, Invalid
from konsey.core.meetings import Choice, MeetingKind, VoteKind
from konsey.schemas.meetings import (
    AttendanceSchema,
    BallotSchema,
    CloseVoteSchema,
    ExcuseSchema,
    NewMeetingSchema,
    OpenVoteSchema,
)
from konsey.usecases import meetings
from konsey.usecases.base import performs
from konsey.web.adapters import attempt, filled, flash_errors, load

bp = Blueprint("meeting_pages", __name__, url_prefix="/<council_slug>/meetings")


def _index(form=None, errors=None, status=200):
    return render_template("meetings/index.html", meetings=meetings.list_meetings(), bodies=meetings.bodies_by_id(),
                           kinds=list(MeetingKind), form=form or {}, errors=errors or {}), status


@bp.get("/")
@performs(meetings.list_meetings)
def index():
    return _index()


def _when(form) -> str | None:
    """The date and time fields as one ISO 8601 instant in the council's time zone (None if unreadable)."""
    try:
        day = datetime.strptime(form.get("date", ""), "%Y-%m-%d").date()
        at = datetime.strptime(form.get("time", "") or "18:00", "%H:%M").time()
    except ValueError:
        return None
    return datetime.combine(day, at, tzinfo=ZoneInfo(g.council.timezone)).isoformat()


@bp.post("/")
@performs(meetings.call_meeting)
def call():
    form = request.form
    raw = filled(form, "body_id", "kind", "title", "location")
    raw["agenda"] = [line.strip() for line in form.get("agenda", "").splitlines() if line.strip()]
    raw["reconvened"] = form.get("reconvened") == "y"
    when = _when(form)
    try:
        if when is None:
            raise Invalid({"scheduled_at": [_("Give the date and time of the meeting.")]})
        raw["scheduled_at"] = when
        meeting = meetings.call_meeting(load(NewMeetingSchema, raw))
    except DomainError as error:
        flash_errors(error)
        return _index(form=form, errors=error.errors, status=error.status)
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting.id))


@bp.get("/<uuid:meeting_id>")
@performs(meetings.desk)
def desk(meeting_id):
    return render_template("meetings/desk.html", vote_kinds=list(VoteKind), choices=list(Choice),
                           **meetings.desk(meeting_id))


@bp.get("/<uuid:meeting_id>/minutes.pdf")
@performs(meetings.minutes_pdf)
def minutes(meeting_id):
    meeting, pdf = meetings.minutes_pdf(meeting_id)
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="tutanak-{meeting.id}.pdf"'})


def _back(meeting_id):
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting_id))


def _form_run(meeting_id, schema, names, action, **fixed):
    """Parse the named fields with ``schema``, call ``action(data)``, go back to the desk. Another council's
    meeting is not found before anything is said about the form."""
    meetings.require_meeting(meeting_id)
    attempt(lambda: action(load(schema, {**filled(request.form, *names), **fixed})))
    return _back(meeting_id)


@bp.post("/<uuid:meeting_id>/attendance")
@performs(meetings.check_in)
def check_in(meeting_id):
    return _form_run(meeting_id, AttendanceSchema, ("member_id", "representative_id", "stands_in_for_id"),
                     lambda data: meetings.check_in(meeting_id, data), online=request.form.get("online") == "y")


@bp.post("/<uuid:meeting_id>/attendance/<uuid:member_id>/leave")
@performs(meetings.check_out)
def check_out(meeting_id, member_id):
    attempt(lambda: meetings.check_out(meeting_id, member_id))
    return _back(meeting_id)


@bp.post("/<uuid:meeting_id>/items/<uuid:item_id>/votes")
@performs(meetings.open_vote)
def open_vote(meeting_id, item_id):
    return _form_run(meeting_id, OpenVoteSchema, ("kind",), lambda data: meetings.open_vote(meeting_id, data),
                     agenda_item_id=str(item_id))


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/ballots")
@performs(meetings.cast_ballot)
def cast(meeting_id, vote_id):
    return _form_run(meeting_id, BallotSchema, ("member_id", "choice"),
                     lambda data: meetings.cast_ballot(meeting_id, vote_id, data))


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/close")
@performs(meetings.close_vote)
def close_vote(meeting_id, vote_id):
    return _form_run(meeting_id, CloseVoteSchema, ("chair_vote",),
                     lambda data: meetings.close_vote(meeting_id, vote_id, data))


@bp.post("/<uuid:meeting_id>/close")
@performs(meetings.close_meeting)
def close_meeting(meeting_id):
    attempt(lambda: meetings.close_meeting(meeting_id), _("The meeting is closed."))
    return _back(meeting_id)


@bp.post("/<uuid:meeting_id>/absences")
@performs(meetings.excuse_absence)
def excuse(meeting_id):
    return _form_run(meeting_id, ExcuseSchema, ("member_id", "reason"),
                     lambda data: meetings.excuse_absence(meeting_id, data))
