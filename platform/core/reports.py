"""Working-group reports: drafted in versions, approved by the group, sent to the executive board, which puts
them on a general assembly agenda (seed 000: reports go through the council's authorised bodies)."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Integer, String, Text, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.errors import Conflict, Invalid
from konsey.core.labels import label
from konsey.core.meetings import ACTIVE_STATUSES, AgendaItem, Meeting
from konsey.core.seats import require_working
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENT_TO_BOARD = "sent_to_board"
    ON_AGENDA = "on_agenda"


class Report(CouncilOwned, db.Model):
    __tablename__ = "reports"

    body_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[ReportStatus] = mapped_column(enum_of(ReportStatus, 16), default=ReportStatus.DRAFT)
    agenda_item_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        same_council_fk("body_id", "bodies"),
        same_council_fk("agenda_item_id", "agenda_items"),
    )


class ReportVersion(CouncilOwned, db.Model):
    __tablename__ = "report_versions"

    report_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "report_id", "version"),
        same_council_fk("report_id", "reports", ondelete="CASCADE"),
    )


def draft(body: Body, title: str, text: str) -> Report:
    if body.kind not in (BodyKind.WORKING_GROUP, BodyKind.ASSEMBLY):
        raise Invalid({"body_id": [_("Reports are written by working groups and assemblies.")]})
    require_working(body)
    report = Report(body_id=body.id, title=title)
    db.session.add(report)
    db.session.flush()
    db.session.add(ReportVersion(report_id=report.id, version=1, text=text))
    db.session.flush()
    record("report.drafted", report, {"body": str(body.id)})
    return report


def revise(report: Report, text: str) -> ReportVersion:
    if report.status is not ReportStatus.DRAFT:
        raise Conflict({"status": [_("Only a draft can be revised.")]})
    latest = db.session.scalar(select(func.max(ReportVersion.version)).where(ReportVersion.report_id == report.id))
    version = ReportVersion(report_id=report.id, version=(latest or 0) + 1, text=text)
    db.session.add(version)
    db.session.flush()
    record("report.revised", report, {"version": version.version})
    return version


def _move(report: Report, expected: ReportStatus, target: ReportStatus) -> None:
    if report.status is not expected:
        raise Conflict({"status": [_("A report that is %(status)s cannot become %(target)s.",
                                            status=label(report.status), target=label(target))]})
    report.status = target
    record(f"report.{target.value}", report)


def approve(report: Report) -> None:
    _move(report, ReportStatus.DRAFT, ReportStatus.APPROVED)


def send_to_board(report: Report) -> None:
    _move(report, ReportStatus.APPROVED, ReportStatus.SENT_TO_BOARD)


def put_on_agenda(report: Report, meeting: Meeting) -> AgendaItem:
    """The board puts the report on a coming general assembly's agenda."""
    body = db.session.get(Body, meeting.body_id)
    if body.kind is not BodyKind.GENERAL_ASSEMBLY or meeting.status not in ACTIVE_STATUSES:
        raise Invalid({"meeting_id": [_("Choose a general assembly meeting that is not closed.")]})
    last = db.session.scalar(select(func.max(AgendaItem.position)).where(AgendaItem.meeting_id == meeting.id))
    item = AgendaItem(meeting_id=meeting.id, position=(last or 0) + 1, title=report.title)
    db.session.add(item)
    meeting.sequence += 1  # the agenda is the calendar event's description: calendars replace their copy
    db.session.flush()
    _move(report, ReportStatus.SENT_TO_BOARD, ReportStatus.ON_AGENDA)
    report.agenda_item_id = item.id
    return item


def versions_of(report: Report) -> list[ReportVersion]:
    return db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)
                              .order_by(ReportVersion.version)).all()
