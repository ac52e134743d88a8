"""Working-group reports: the pages over :mod:`konsey.usecases.reports`, with the API's schemas."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.bodies import BodyKind
from konsey.pluginkit.pages import attempt, filled
from konsey.usecases import meetings, reports
from konsey.usecases.base import performs

bp = Blueprint("report_pages", __name__, url_prefix="/<council_slug>/reports")


@bp.get("/")
@performs(reports.list_reports)
def report_list():
    bodies = meetings.bodies_by_id()
    writers = [b for b in bodies.values() if b.kind in (BodyKind.WORKING_GROUP, BodyKind.ASSEMBLY)]
    return render_template("governance/reports.html", rows=reports.list_reports(), bodies=bodies, writers=writers,
                           form=request.form)


@bp.post("/")
@performs(reports.draft_report)
def report_draft():
    done, result = attempt(lambda: reports.draft_report(filled(request.form, "body_id", "title", "text")))
    if done:
        return redirect(url_for("report_pages.report_detail", report_id=result.id))
    bodies = meetings.bodies_by_id()
    writers = [b for b in bodies.values() if b.kind in (BodyKind.WORKING_GROUP, BodyKind.ASSEMBLY)]
    return render_template("governance/reports.html", rows=reports.list_reports(), bodies=bodies, writers=writers,
                           form=request.form, errors=result.errors), result.status


@bp.get("/<uuid:report_id>")
@performs(reports.show_report)
def report_detail(report_id):
    return render_template("governance/report.html", **reports.report_page(report_id))


def _back(report_id):
    return redirect(url_for("report_pages.report_detail", report_id=report_id))


@bp.post("/<uuid:report_id>/revise")
@performs(reports.revise_report)
def revise(report_id):
    attempt(lambda: reports.revise_report(report_id, filled(request.form, "text")), _("Saved."))
    return _back(report_id)


@bp.post("/<uuid:report_id>/approve")
@performs(reports.approve_report)
def approve(report_id):
    attempt(lambda: reports.approve_report(report_id), _("Saved."))
    return _back(report_id)


@bp.post("/<uuid:report_id>/send")
@performs(reports.send_report_to_board)
def send(report_id):
    attempt(lambda: reports.send_report_to_board(report_id), _("Saved."))
    return _back(report_id)


@bp.post("/<uuid:report_id>/agenda")
@performs(reports.put_report_on_agenda)
def agenda(report_id):
    reports.show_report(report_id)
    attempt(lambda: reports.put_report_on_agenda(report_id, filled(request.form, "meeting_id")),
            _("Saved."))
    return _back(report_id)
