"""Membership applications: anyone may apply to an active council; the council's bodies decide."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.applications import (
    ApplicationSchema,
    ListArgs,
    ReceiptSchema,
)
from konsey.usecases import applications
from konsey.usecases.base import performs

blp = Blueprint("applications", __name__, url_prefix="/api/v1/councils/<council_slug>/applications",
                description="Membership applications")


@blp.route("")
class Applications(MethodView):
    @performs(applications.submit_application)
    @takes(applications.submit_application)
    @blp.response(201, ReceiptSchema)
    def post(self, data):
        """Apply for membership (individual or institutional), accepting the information notice."""
        return applications.submit_application(data)

    @performs(applications.list_applications)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, ApplicationSchema(many=True))
    def get(self, args):
        return applications.list_applications(args["status"])


@blp.route("/<uuid:application_id>")
class ApplicationDetail(MethodView):
    @performs(applications.show_application)
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        return applications.show_application(application_id)


@blp.route("/<uuid:application_id>/review")
class Review(MethodView):
    @performs(applications.start_review)
    @blp.response(200, ApplicationSchema)
    def post(self, application_id):
        return applications.start_review(application_id)


@blp.route("/<uuid:application_id>/approve")
class Approve(MethodView):
    @performs(applications.approve_application)
    @takes(applications.approve_application)
    @blp.response(200, ApplicationSchema)
    def post(self, data, application_id):
        return applications.approve_application(application_id, data)


@blp.route("/<uuid:application_id>/reject")
class Reject(MethodView):
    @performs(applications.reject_application)
    @takes(applications.reject_application)
    @blp.response(200, ApplicationSchema)
    def post(self, data, application_id):
        return applications.reject_application(application_id, data)


@blp.route("/<uuid:application_id>/withdraw")
class Withdraw(MethodView):
    @performs(applications.withdraw_application)
    @blp.response(200, ApplicationSchema)
    def post(self, application_id):
        """Withdraw on the applicant's behalf (they asked the secretariat)."""
        return applications.withdraw_application(application_id)
