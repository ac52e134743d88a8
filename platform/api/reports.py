"""Working-group reports and their way to the general assembly."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.reports import ReportSchema
from konsey.usecases import reports
from konsey.usecases.base import performs

blp = Blueprint("reports", __name__, url_prefix="/api/v1/councils/<council_slug>/reports", description="Reports")


@blp.route("")
class Reports(MethodView):
    @performs(reports.list_reports)
    @blp.response(200, ReportSchema(many=True))
    def get(self):
        return reports.list_reports()

    @performs(reports.draft_report)
    @takes(reports.draft_report)
    @blp.response(201, ReportSchema)
    def post(self, data):
        return reports.draft_report(data)


@blp.route("/<uuid:report_id>/versions")
class Versions(MethodView):
    @performs(reports.revise_report)
    @takes(reports.revise_report)
    @blp.response(201, ReportSchema)
    def post(self, data, report_id):
        return reports.revise_report(report_id, data)


@blp.route("/<uuid:report_id>/approve")
class Approve(MethodView):
    @performs(reports.approve_report)
    @blp.response(200, ReportSchema)
    def post(self, report_id):
        return reports.approve_report(report_id)


@blp.route("/<uuid:report_id>/send")
class Send(MethodView):
    @performs(reports.send_report_to_board)
    @blp.response(200, ReportSchema)
    def post(self, report_id):
        return reports.send_report_to_board(report_id)


@blp.route("/<uuid:report_id>/agenda")
class Agenda(MethodView):
    @performs(reports.put_report_on_agenda)
    @takes(reports.put_report_on_agenda)
    @blp.response(200, ReportSchema)
    def post(self, data, report_id):
        """The board puts the report on a general assembly's agenda."""
        return reports.put_report_on_agenda(report_id, data)
