"""Working-group reports and their way to the general assembly."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.api.bodies import body_or_404
from konsey.core import reports
from konsey.core.db import db
from konsey.core.meetings import Meeting
from konsey.core.permissions import Permission, requires
from konsey.core.reports import Report, ReportStatus, ReportVersion
from konsey.core.schemas import StrictSchema

blp = Blueprint("reports", __name__, url_prefix="/api/v1/councils/<council_slug>/reports", description="Reports")


class VersionSchema(Schema):
    version = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


class ReportSchema(Schema):
    id = fields.UUID()
    body_id = fields.UUID()
    title = fields.String()
    status = fields.Enum(ReportStatus, by_value=True)
    agenda_item_id = fields.UUID(allow_none=True)
    versions = fields.Method("_versions")

    def _versions(self, report):
        rows = db.session.scalars(select(ReportVersion).where(ReportVersion.report_id == report.id)
                                  .order_by(ReportVersion.version)).all()
        return VersionSchema(many=True).dump(rows)


class NewReportSchema(StrictSchema):
    body_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    text = fields.String(required=True, validate=validate.Length(min=3, max=200_000))


class RevisionSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=3, max=200_000))


class AgendaSchema(StrictSchema):
    meeting_id = fields.UUID(required=True)


def report_or_404(report_id: uuid.UUID) -> Report:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(Report, id=report_id)


@blp.route("")
class Reports(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, ReportSchema(many=True))
    def get(self):
        return db.session.scalars(select(Report).order_by(Report.created_at.desc())).all()

    @requires(Permission.REPORTS_WRITE)
    @blp.arguments(NewReportSchema)
    @blp.response(201, ReportSchema)
    def post(self, data):
        report = reports.draft(body_or_404(data["body_id"]), data["title"], data["text"])
        db.session.commit()
        return report


@blp.route("/<uuid:report_id>/versions")
class Versions(MethodView):
    @requires(Permission.REPORTS_WRITE)
    @blp.arguments(RevisionSchema)
    @blp.response(201, ReportSchema)
    def post(self, data, report_id):
        report = report_or_404(report_id)
        reports.revise(report, data["text"])
        db.session.commit()
        return report


def _step(step, permission):
    class Step(MethodView):
        @requires(permission)
        @blp.response(200, ReportSchema)
        def post(self, report_id):
            report = report_or_404(report_id)
            step(report)
            db.session.commit()
            return report

    return Step


blp.route("/<uuid:report_id>/approve", endpoint="Approve")(_step(reports.approve, Permission.REPORTS_WRITE))
blp.route("/<uuid:report_id>/send", endpoint="Send")(_step(reports.send_to_board, Permission.REPORTS_WRITE))


@blp.route("/<uuid:report_id>/agenda")
class Agenda(MethodView):
    @requires(Permission.MEETINGS_RUN)
    @blp.arguments(AgendaSchema)
    @blp.response(200, ReportSchema)
    def post(self, data, report_id):
        """The board puts the report on a general assembly's agenda."""
        report = report_or_404(report_id)
        meeting = db.session.scalar(select(Meeting).where(Meeting.id == data["meeting_id"]))
        if meeting is None:
            raise ValidationError({"meeting_id": [_("No such meeting in this council.")]})
        reports.put_on_agenda(report, meeting)
        db.session.commit()
        return report
