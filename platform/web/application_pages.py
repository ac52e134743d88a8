"""Membership applications: the citizen's application form, the list by status and the review flow. Adapters over
:mod:`konsey.usecases.applications`."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.applications import KVKK_NOTICE_VERSION, PURPOSES
from konsey.core.errors import DomainError
from konsey.core.membership import PUBLIC_APPLICATION_CATEGORIES, Gender
from konsey.pluginkit.pages import attempt, filled
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.models import CouncilStatus
from konsey.usecases import applications
from konsey.usecases.base import performs

bp = Blueprint("application_pages", __name__, url_prefix="/<council_slug>")


@bp.get("/applications/")
@performs(applications.applications_page)
def application_list():
    return render_template("governance/applications.html",
                           **applications.applications_page(request.args.get("status")))


def _application_step(application_id, use_case, said: str, *args):
    """Run one step of an application and say which step was taken (``said``, with the application's number)."""
    number = applications.show_application(application_id).number
    attempt(lambda: use_case(application_id, *args), said % {"number": number})
    return redirect(url_for("application_pages.application_list"))


@bp.post("/applications/<uuid:application_id>/review")
@performs(applications.start_review)
def application_review(application_id):
    return _application_step(application_id, applications.start_review,
                             _("Application no. %(number)d is now under review."))


@bp.post("/applications/<uuid:application_id>/approve")
@performs(applications.approve_application)
def application_approve(application_id):
    return _application_step(application_id, applications.approve_application,
                             _("Application no. %(number)d is approved: the applicant is a member now."),
                             filled(request.form, "reason", "decision_reference"))


@bp.post("/applications/<uuid:application_id>/reject")
@performs(applications.reject_application)
def application_reject(application_id):
    return _application_step(application_id, applications.reject_application,
                             _("Application no. %(number)d is rejected."), filled(request.form, "reason"))


@bp.post("/applications/<uuid:application_id>/withdraw")
@performs(applications.withdraw_application)
def application_withdraw(application_id):
    return _application_step(application_id, applications.withdraw_application,
                             _("Application no. %(number)d is withdrawn."))


@bp.route("/apply", methods=["GET", "POST"])
@performs(applications.submit_application)
def apply():
    """The membership application form for citizens, with the KVKK information notice and consents."""
    if g.council.status is not CouncilStatus.ACTIVE:
        abort(404)
    errors, values = {}, {}
    if request.method == "POST":
        form = request.form
        values = {key: form.get(key, "").strip() for key in
                  ("category", "name", "email", "phone", "birth_date", "gender", "neighbourhood",
                   "representative_name", "derbis_no")}
        applicant = {k: v for k, v in values.items() if v}
        values.update(notice_version=form.get("notice_version", ""), consents=form.getlist("consents"))
        try:
            application = applications.submit_application({
                "applicant": applicant, "notice_version": form.get("notice_version", ""),
                "consents": form.getlist("consents")})
        except DomainError as error:
            messages = translate_validation_messages(error.errors)
            errors = {**messages.pop("applicant", {}), **messages}
        else:
            return render_template("council/applied.html", number=application.number)
    return render_template(
        "council/apply.html", errors=errors, values=values, notice_version=KVKK_NOTICE_VERSION,
        purposes=PURPOSES, categories=list(PUBLIC_APPLICATION_CATEGORIES), genders=list(Gender),
    ), 422 if errors else 200
