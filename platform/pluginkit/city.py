"""What a plugin that brings residents in may read of the council's work, and the few things it may do to it.

The participation plugin (and any third party's) shows a resident's proposal going through the council: the
working groups it can go to (their facilitators and next meetings), the report a group writes on it, the decision
that adopted it, the motion to the municipal council and what the municipality answered and did since. These are
read here as plain dictionaries, so that the core's tables can change behind them. The changes (a resident taking
part in a working group, a group's report drafted or adopted) go through the core's own services, audited as theirs.

It also hands what a plugin with accounts of its own needs: the platform's password hashing, its rate limits on a
view (:func:`rate_limited`), the federation's suppression of small figures, and the municipality's population.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from konsey.core import accounts, participants, reference, reports
from konsey.core.bodies import Body, BodyKind, BodyStatus
from konsey.core.counters import next_number
from konsey.core.federation import MIN_PEOPLE, suppress, suppress_share
from konsey.core.follow_up import milestones_of
from konsey.core.meetings import ACTIVE_STATUSES, AgendaItem, Meeting, Vote
from konsey.core.membership import Member, MemberStatus
from konsey.core.motions import Motion, decided_day
from konsey.core.notifications import member_for
from konsey.core.seats import SeatRole, seats_on
from konsey.core.text import ascii_slug, turkish_sort_key
from konsey.tenants.db import db, utcnow
from konsey.tenants.models import Council, council_day, council_today
from konsey.tenants.scoping import current_council_id

__all__ = ["MIN_PEOPLE", "ascii_slug", "erase_participant", "per_account", "suppress_share", "add_participant", "adopt_report", "draft_report", "executive_board", "hash_password",
           "member_with_email", "motion_trail", "motions_to_link", "municipality_population", "next_number", "normalise_email", "participation_of",
           "password_matches", "put_on_next_agenda", "rate_limited", "report_text", "report_trail", "council_day_of", "reports_of", "spend_a_password_check", "suppress",
           "working_group", "working_group_names", "working_groups"]

hash_password = accounts.hash_password
password_matches = accounts.password_matches
spend_a_password_check = accounts.spend_a_password_check
normalise_email = accounts.normalise_email


def rate_limited(*limits: tuple[str, dict] | str):
    """Limit a plugin's view (a page's function, or an API's MethodView class) as the platform limits its own doors
    (a sign-up form, a flag): each limit a string ("5 per hour", per address, on POST) or ``(limit, Flask-Limiter
    options)``. The app applies them when it starts; a refused request answers 429 with Retry-After."""

    def decorate(view):
        view.konsey_limits = [(value, {"methods": ["POST"]}) if isinstance(value, str) else value
                              for value in limits]
        return view

    return decorate


def per_account(limit: str, field: str = "email"):
    """A limit per account a sign-in names (the form's or the JSON body's ``field``), whatever address the tries
    come from, counting only the tries that failed (a 4xx answer): five wrong passwords and the account waits."""
    import hashlib  # noqa: PLC0415 - only for this key

    from flask import request  # noqa: PLC0415 - only ever called inside a request

    def account() -> str:
        # The council's own account of that address (one address in two councils is two accounts), as a digest: a
        # key of bounded length whatever was sent.
        body = request.get_json(silent=True) if request.is_json else None
        value = (body or {}).get(field) if isinstance(body, dict) else request.form.get(field)
        named = f"{current_council_id()}:{normalise_email(str(value or '-')[:254])}"
        return "account:" + hashlib.sha256(named.encode()).hexdigest()[:32]

    return (limit, {"methods": ["POST"], "key_func": account,
                    "deduct_when": lambda response: 400 <= response.status_code < 500})


def municipality_population() -> int | None:
    """The bound council's municipality's population, from the shipped reference data: a district's for a district
    or metropolitan-district municipality, the province's for a metropolitan or provincial one; None for a town
    (the data does not have it)."""
    council = db.session.get(Council, current_council_id())
    municipality = reference.municipality(council.municipality_id)
    if municipality is None or municipality.type == "town":
        return None
    if municipality.district_id is not None and municipality.type != "provincial":
        district = next((d for d in reference.districts(municipality.province_code)
                         if d.id == municipality.district_id), None)
        return district.population if district else None
    province = reference.province(municipality.province_code)
    return province.population if province else None


def member_with_email(email: str) -> Member | None:
    """The council's active member with this e-mail address, if there is one (matched as notices match them)."""
    member = member_for(email)
    return member if member is not None and member.status is MemberStatus.ACTIVE else None


# --- bodies -------------------------------------------------------------------------------------------------------


def _group(body: Body, today) -> dict:
    facilitators = [seat.member.name for seat in seats_on(body, today) if seat.role is SeatRole.FACILITATOR]
    meetings = db.session.scalars(select(Meeting).where(
        Meeting.body_id == body.id, Meeting.status.in_(ACTIVE_STATUSES), Meeting.scheduled_at >= utcnow())
        .order_by(Meeting.scheduled_at).limit(3)).all()
    return {"id": body.id, "name": body.name, "facilitators": sorted(facilitators, key=turkish_sort_key),
            "next_meetings": [{"title": m.title, "at": m.scheduled_at, "location": m.location} for m in meetings],
            "participants": len(participants.participants_on(body, today))}


def working_groups() -> list[dict]:
    """The council's working groups at work, in Turkish alphabetical order: each with its name (its theme), its
    facilitators' names, its next three meetings and how many non-members take part."""
    today = council_today()
    groups = db.session.scalars(select(Body).where(Body.kind == BodyKind.WORKING_GROUP,
                                                   Body.status == BodyStatus.ACTIVE)).all()
    return [_group(body, today) for body in sorted(groups, key=lambda b: turkish_sort_key(b.name))]


def working_group_names() -> list[tuple[str, str]]:
    """(id, name) of the council's working groups at work, in Turkish alphabetical order: one query, for a form's
    choices or a list's names (``working_groups`` reads each one's people and meetings too)."""
    groups = db.session.scalars(select(Body).where(Body.kind == BodyKind.WORKING_GROUP,
                                                   Body.status == BodyStatus.ACTIVE)).all()
    return [(str(body.id), body.name) for body in sorted(groups, key=lambda b: turkish_sort_key(b.name))]


def working_group(body_id) -> Body | None:
    """The council's working group (at work) with this id, or None."""
    return db.session.scalar(select(Body).where(Body.id == body_id, Body.kind == BodyKind.WORKING_GROUP,
                                                Body.status == BodyStatus.ACTIVE))


def executive_board() -> Body | None:
    return db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))


def add_participant(body: Body, name: str, email: str, consented: bool):
    """The person takes part in the working group from today as a non-member participant, where they agreed to
    being contacted by the group (its meeting notices reach them)."""
    return participants.join(body, {"name": name, "email": email, "consent": consented})


def erase_participant(participant_id) -> None:
    """A working group's participant record goes (the person erased their account); the log keeps only the id."""
    found = db.session.scalar(select(participants.Participant).where(participants.Participant.id == participant_id))
    if found is not None:
        participants.erase(found)


def participation_of(participant_id) -> dict | None:
    """A participant's record as the person may see it (their export)."""
    found = db.session.scalar(select(participants.Participant).where(participants.Participant.id == participant_id))
    if found is None:
        return None
    return {"body_id": str(found.body_id), "name": found.name, "email": found.email,
            "joined_on": found.joined_on.isoformat(), "left_on": found.left_on.isoformat() if found.left_on else None}


# --- reports, decisions, motions -----------------------------------------------------------------------------------


def reports_of(body_id) -> list:
    """A body's reports, newest first: (id, title, status)."""
    rows = db.session.scalars(select(reports.Report).where(reports.Report.body_id == body_id)
                              .order_by(reports.Report.created_at.desc())).all()
    return [{"id": r.id, "title": r.title, "status": r.status.value} for r in rows]


def draft_report(body: Body, title: str, text: str):
    """The working group's draft report (a core report: the group's reports page lists it)."""
    return reports.draft(body, title, text)


def adopt_report(report_id, text: str | None = None) -> None:
    """The group adopts its report, with ``text`` as its last version when it changed (after public comment)."""
    report = db.session.scalar(select(reports.Report).where(reports.Report.id == report_id))
    if report is None:
        return
    if report.status is not reports.ReportStatus.DRAFT:
        return  # adopted already (on its own page): the comments' record stays with the draft
    if text is not None and text != reports.versions_of(report)[-1].text:
        reports.revise(report, text)
    reports.approve(report)


def _decision(vote: Vote) -> dict:
    item = db.session.scalar(select(AgendaItem).where(AgendaItem.id == vote.agenda_item_id))
    meeting = db.session.scalar(select(Meeting).where(Meeting.id == item.meeting_id)) if item else None
    body = db.session.get(Body, meeting.body_id) if meeting else None
    return {"number": vote.decision_number, "body": body.name if body else None,
            "on": meeting.day if meeting else None, "outcome": vote.outcome}


def report_trail(report_id) -> dict | None:
    """A report as the public follows it: its title, body, status, versions, and the decisions taken on it where it
    went onto a general assembly's agenda."""
    report = db.session.scalar(select(reports.Report).where(reports.Report.id == report_id))
    if report is None:
        return None
    body = db.session.get(Body, report.body_id)
    versions = reports.versions_of(report)
    decisions = []
    if report.agenda_item_id is not None:
        decisions = [_decision(v) for v in db.session.scalars(select(Vote).where(
            Vote.agenda_item_id == report.agenda_item_id, Vote.decision_number.is_not(None)))]
    return {"id": report.id, "title": report.title, "body": body.name if body else None,
            "status": report.status.value, "drafted_at": report.created_at, "versions": len(versions),
            "adopted": report.status is not reports.ReportStatus.DRAFT, "decisions": decisions}


def motions_to_link() -> list[dict]:
    """The council's motions, newest first (number, title, decision number): what a proposal may be linked to."""
    rows = db.session.scalars(select(Motion).order_by(Motion.number.desc()).limit(200)).all()
    return [{"id": m.id, "number": m.number, "title": m.title, "decision_number": m.decision_number} for m in rows]


def motion_trail(motion_id) -> dict | None:
    """A motion as the tracker shows it: the decision it came from, where it stands, the municipal council's
    answer, and the implementation's steps."""
    motion = db.session.scalar(select(Motion).where(Motion.id == motion_id))
    if motion is None:
        return None
    vote = db.session.scalar(select(Vote).where(Vote.id == motion.vote_id))
    milestones = milestones_of([motion.id])[motion.id]
    return {"id": motion.id, "number": motion.number, "title": motion.title,
            "decision": _decision(vote) if vote else None,
            "adopted_at": motion.adopted_at, "status": motion.status.value, "delivered_on": motion.delivered_on,
            "answer": motion.answer.value if motion.answer else None, "answer_text": motion.answer_text,
            "answered_at": motion.answered_at, "municipal_decision_number": motion.municipal_decision_number,
            "municipal_decided_on": decided_day(motion),
            "milestones": [{"state": m.state.value, "day": m.day, "note": m.note} for m in milestones]}


def put_on_next_agenda(body: Body, title: str) -> Meeting | None:
    """Add ``title`` as the last item of the body's next meeting that has not sat yet (its calendar event is
    replaced); None where none is called."""
    meeting = db.session.scalar(select(Meeting).where(
        Meeting.body_id == body.id, Meeting.status == ACTIVE_STATUSES[0], Meeting.scheduled_at >= utcnow())
        .order_by(Meeting.scheduled_at).limit(1))
    if meeting is None:
        return None
    last = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    db.session.add(AgendaItem(meeting_id=meeting.id, position=(last or 0) + 1, title=title[:300]))
    meeting.sequence += 1  # the agenda is the calendar event's description: calendars replace their copy
    db.session.flush()
    return meeting


def report_text(report_id) -> str:
    """The text of a report's latest version."""
    report = db.session.scalar(select(reports.Report).where(reports.Report.id == report_id))
    return reports.versions_of(report)[-1].text if report else ""


def council_day_of(moment) -> date:
    """The calendar day of an instant where the bound council is."""
    return council_day(moment, current_council_id())
