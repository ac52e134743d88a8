"""The meeting desk: call a meeting, check people in, watch the quorum, run votes, print the minutes."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core import meetings
from konsey.core.db import db
from konsey.core.meetings import AgendaItem, Attendance, Ballot, Choice, Meeting, MeetingKind, Vote, VoteKind
from konsey.core.membership import Member
from konsey.core.permissions import Permission, requires
from konsey.core.representatives import Representative
from konsey.tenants.bylaw_profiles import parameters_on
from konsey.tenants.models import Body

bp = Blueprint("meeting_pages", __name__, url_prefix="/<council_slug>/meetings")


def _meeting(meeting_id: uuid.UUID) -> tuple[Meeting, Body]:
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == meeting_id))
    if meeting is None:
        abort(404)
    return meeting, db.session.scalar(select(Body).where(Body.id == meeting.body_id))


def _flash_errors(error: ValidationError) -> None:
    db.session.rollback()
    for messages in error.messages.values():
        for message in messages if isinstance(messages, list) else [messages]:
            flash(str(message), "error")


@bp.get("/")
@requires(Permission.COUNCIL_VIEW)
def index():
    rows = db.session.scalars(select(Meeting).order_by(Meeting.scheduled_at.desc())).all()
    bodies = {b.id: b for b in db.session.scalars(select(Body))}
    return render_template("meetings/index.html", meetings=rows, bodies=bodies, kinds=list(MeetingKind))


@bp.post("/")
@requires(Permission.MEETINGS_RUN)
def call():
    form = request.form
    body = db.session.scalar(select(Body).where(Body.id == _uuid(form.get("body_id"))))
    try:
        if body is None:
            raise ValidationError({"body_id": [_("Choose a body.")]})
        day = datetime.strptime(form.get("date", ""), "%Y-%m-%d").date()
        at = datetime.strptime(form.get("time", "") or "18:00", "%H:%M").time()
    except ValueError:
        flash(_("Give the date and time of the meeting."), "error")
        return redirect(url_for("meeting_pages.index"))
    except ValidationError as error:
        _flash_errors(error)
        return redirect(url_for("meeting_pages.index"))
    when = datetime.combine(day, time(at.hour, at.minute), tzinfo=ZoneInfo(g.council.timezone))
    agenda = [line.strip() for line in form.get("agenda", "").splitlines() if line.strip()]
    try:
        meeting = meetings.schedule(body, MeetingKind(form.get("kind", "ordinary")), form.get("title", "").strip()
                                    or body.name, when, form.get("location") or None, agenda,
                                    reconvened=form.get("reconvened") == "y")
    except ValidationError as error:
        _flash_errors(error)
        return redirect(url_for("meeting_pages.index"))
    db.session.commit()
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting.id))


def _uuid(value):
    try:
        return uuid.UUID(value)
    except (TypeError, ValueError):
        return None


@bp.get("/<uuid:meeting_id>")
@requires(Permission.COUNCIL_VIEW)
def desk(meeting_id):
    meeting, body = _meeting(meeting_id)
    bylaws = parameters_on(meeting.day)
    eligible = meetings.eligible_members(body, meeting.day, bylaws)
    present = meetings.present_members(meeting)
    substitutes = meetings.substitutes(body, meeting.day)
    seats = meetings.filled_seats(meeting, body, bylaws)
    stand_ins = meetings.stand_ins(meeting)
    people = {m.id: m for m in db.session.scalars(
        select(Member).where(Member.id.in_(eligible | present | substitutes)))}
    # Institutions check in through a representative whose mandate is valid on the meeting's day.
    representatives = {}
    for rep in db.session.scalars(select(Representative).where(Representative.member_id.in_(eligible))
                                  .order_by(Representative.capacity, Representative.name)):
        if rep.valid_on(meeting.day):
            representatives.setdefault(rep.member_id, []).append(rep)
    attendances = db.session.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)
                                     .order_by(Attendance.arrived_at)).all()
    items = db.session.scalars(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
                               .order_by(AgendaItem.position)).all()
    votes = {}
    voted = {}
    for item in items:
        votes[item.id] = db.session.scalars(select(Vote).where(Vote.agenda_item_id == item.id)
                                            .order_by(Vote.opened_at)).all()
        for vote in votes[item.id]:
            voted[vote.id] = set(db.session.scalars(select(Ballot.member_id).where(Ballot.vote_id == vote.id)))
    return render_template(
        "meetings/desk.html", meeting=meeting, body=body, quorum=meetings.quorum_status(meeting, body),
        people=people, eligible=eligible, present=present, attendances=attendances, items=items, votes=votes,
        voted=voted, vote_kinds=list(VoteKind), choices=list(Choice), seats=seats, stand_ins=stand_ins,
        representatives=representatives,
        absent=sorted((people[m] for m in (eligible | substitutes) - present), key=lambda m: m.sort_name),
        empty_seats=sorted((people[m] for m in eligible - set(seats)), key=lambda m: m.sort_name),
    )


@bp.get("/<uuid:meeting_id>/minutes.pdf")
@requires(Permission.COUNCIL_VIEW)
def minutes(meeting_id):
    from konsey.core.minutes import build_minutes

    meeting, _body = _meeting(meeting_id)
    return Response(build_minutes(meeting), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="tutanak-{meeting.id}.pdf"'})


def _back(meeting_id):
    return redirect(url_for("meeting_pages.desk", meeting_id=meeting_id))


def _run(meeting_id, action):
    try:
        action()
    except ValidationError as error:
        _flash_errors(error)
    else:
        db.session.commit()
    return _back(meeting_id)


@bp.post("/<uuid:meeting_id>/attendance")
@requires(Permission.MEETINGS_RUN)
def check_in(meeting_id):
    meeting, _body = _meeting(meeting_id)
    member = db.session.scalar(select(Member).where(Member.id == _uuid(request.form.get("member_id"))))
    if member is None:
        abort(404)
    return _run(meeting_id, lambda: meetings.check_in(
        meeting, member, online=request.form.get("online") == "y",
        representative_id=_uuid(request.form.get("representative_id")),
        stands_in_for_id=_uuid(request.form.get("stands_in_for_id"))))


@bp.post("/<uuid:meeting_id>/attendance/<uuid:member_id>/leave")
@requires(Permission.MEETINGS_RUN)
def check_out(meeting_id, member_id):
    meeting, _body = _meeting(meeting_id)
    member = db.session.scalar(select(Member).where(Member.id == member_id))
    if member is None:
        abort(404)
    return _run(meeting_id, lambda: meetings.check_out(meeting, member))


@bp.post("/<uuid:meeting_id>/items/<uuid:item_id>/votes")
@requires(Permission.MEETINGS_RUN)
def open_vote(meeting_id, item_id):
    meeting, body = _meeting(meeting_id)
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id))
    if item is None:
        abort(404)
    kind = VoteKind(request.form.get("kind", "open")) if request.form.get("kind") in set(VoteKind) else VoteKind.OPEN
    return _run(meeting_id, lambda: meetings.open_vote(meeting, body, item, kind))


def _vote(meeting: Meeting, vote_id) -> Vote:
    vote = db.session.scalar(select(Vote).join(AgendaItem, AgendaItem.id == Vote.agenda_item_id)
                             .where(Vote.id == vote_id, AgendaItem.meeting_id == meeting.id))
    if vote is None:
        abort(404)
    return vote


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/ballots")
@requires(Permission.MEETINGS_RUN)
def cast(meeting_id, vote_id):
    meeting, body = _meeting(meeting_id)
    vote = _vote(meeting, vote_id)
    member = db.session.scalar(select(Member).where(Member.id == _uuid(request.form.get("member_id"))))
    choice = request.form.get("choice")
    if member is None or choice not in set(Choice):
        abort(400)
    return _run(meeting_id, lambda: meetings.cast(vote, meeting, body, member, Choice(choice)))


@bp.post("/<uuid:meeting_id>/votes/<uuid:vote_id>/close")
@requires(Permission.MEETINGS_RUN)
def close_vote(meeting_id, vote_id):
    meeting, body = _meeting(meeting_id)
    vote = _vote(meeting, vote_id)
    chair = request.form.get("chair_vote") or None
    return _run(meeting_id, lambda: meetings.close_vote(vote, meeting, body, chair_vote=chair))


@bp.post("/<uuid:meeting_id>/absences")
@requires(Permission.MEETINGS_RUN)
def excuse(meeting_id):
    meeting, _body = _meeting(meeting_id)
    member = db.session.scalar(select(Member).where(Member.id == _uuid(request.form.get("member_id"))))
    if member is None:
        abort(404)
    return _run(meeting_id, lambda: meetings.excuse(meeting, member, request.form.get("reason", "")))
