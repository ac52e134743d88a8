"""Working-group reports: drafted, revised, approved by the group, sent to the board, put on a general
assembly's agenda."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import reports
from konsey.core.bodies import Body, BodyKind
from konsey.core.meetings import ACTIVE_STATUSES, Meeting
from konsey.core.permissions import Permission
from konsey.core.reports import Report
from konsey.schemas.reports import AgendaSchema, NewReportSchema, RevisionSchema
from konsey.tenants.db import db
from konsey.usecases.base import command, loaded, one, query, referenced


@query(Permission.COUNCIL_VIEW)
def list_reports() -> list[Report]:
    """The working groups' reports, newest first."""
    return db.session.scalars(select(Report).order_by(Report.created_at.desc())).all()


@query(Permission.COUNCIL_VIEW)
def show_report(report_id: uuid.UUID) -> Report:
    """The report, or :class:`NotFound` (another council's id is simply not found)."""
    return one(Report, report_id)


@command(Permission.REPORTS_WRITE, takes=NewReportSchema)
def draft_report(data: dict) -> Report:
    """Start a working group's report with its first draft."""
    data = loaded(data)
    body = referenced(Body, data.get("body_id"), "body_id", _("Choose a body."))
    return reports.draft(body, data["title"], data["text"])


@command(Permission.REPORTS_WRITE, takes=RevisionSchema)
def revise_report(report_id: uuid.UUID, data: dict) -> Report:
    """Add a new version of a report (the earlier ones are kept)."""
    report = one(Report, report_id)
    data = loaded(data)
    reports.revise(report, data["text"])
    return report


@command(Permission.REPORTS_WRITE)
def approve_report(report_id: uuid.UUID) -> Report:
    """The working group approves a version of its report."""
    report = one(Report, report_id)
    reports.approve(report)
    return report


@command(Permission.REPORTS_WRITE)
def send_report_to_board(report_id: uuid.UUID) -> Report:
    """Send an approved report to the executive board."""
    report = one(Report, report_id)
    reports.send_to_board(report)
    return report


@command(Permission.MEETINGS_RUN, takes=AgendaSchema)
def put_report_on_agenda(report_id: uuid.UUID, data: dict) -> Report:
    """The board (through the secretariat that runs the meetings) puts the report on a general assembly's
    agenda."""
    report = one(Report, report_id)
    data = loaded(data)
    meeting = referenced(Meeting, data.get("meeting_id"), "meeting_id", _("No such meeting in this council."))
    reports.put_on_agenda(report, meeting)
    return report


@query(Permission.COUNCIL_VIEW)
def report_page(report_id: uuid.UUID) -> dict:
    """A report with its versions, its body, and the general assemblies not yet closed (for the agenda)."""
    report = one(Report, report_id)
    open_assemblies = db.session.scalars(
        select(Meeting).join(Body, Body.id == Meeting.body_id)
        .where(Body.kind == BodyKind.GENERAL_ASSEMBLY, Meeting.status.in_(ACTIVE_STATUSES))
        .order_by(Meeting.scheduled_at)).all()
    return {"report": report, "versions": reports.versions_of(report), "meetings": open_assemblies,
            "body": db.session.get(Body, report.body_id)}
