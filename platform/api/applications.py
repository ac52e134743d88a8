"""Membership applications: anyone may apply to an active council; the council's bodies decide."""

from __future__ import annotations

import uuid

from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.api.base import one_or_404
from konsey.app.guard import Locked, current_principal
from konsey.core import applications
from konsey.core.applications import ApplicationStatus, MembershipApplication
from konsey.core.db import db
from konsey.core.membership import MemberKind
from konsey.core.permissions import Permission, public, requires
from konsey.core.schemas import StrictSchema
from konsey.tenants.models import CouncilStatus

blp = Blueprint("applications", __name__, url_prefix="/api/v1/councils/<council_slug>/applications",
                description="Membership applications")


class SubmitSchema(StrictSchema):
    applicant = fields.Dict(required=True)  # validated as a member by the service, errors under "applicant"
    notice_version = fields.String(required=True)
    consents = fields.List(fields.String(), required=True)


class ReceiptSchema(Schema):
    number = fields.Integer()
    status = fields.Enum(ApplicationStatus, by_value=True)
    submitted_at = fields.DateTime()


class ApplicationSchema(ReceiptSchema):
    id = fields.UUID()
    kind = fields.Enum(MemberKind, by_value=True)
    applicant = fields.Dict()
    notice_version = fields.String()
    consents = fields.List(fields.Dict())
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    decision_reference = fields.String(allow_none=True)
    member_id = fields.UUID(allow_none=True)


class ListArgs(StrictSchema):
    status = fields.Enum(ApplicationStatus, by_value=True, load_default=None)


class DecisionSchema(StrictSchema):
    reason = fields.String(load_default=None, validate=validate.Length(max=1000))
    decision_reference = fields.String(load_default=None, validate=validate.Length(max=100))


def application_or_404(application_id: uuid.UUID) -> MembershipApplication:
    # Scoping adds council_id: another council's id is simply not found.
    return one_or_404(MembershipApplication, id=application_id)


@blp.route("")
class Applications(MethodView):
    @public
    @blp.arguments(SubmitSchema)
    @blp.response(201, ReceiptSchema)
    def post(self, data):
        """Apply for membership (individual or institutional), accepting the information notice."""
        if g.council.status is not CouncilStatus.ACTIVE:
            raise Locked()
        application = applications.submit(data["applicant"], data["notice_version"], data["consents"])
        db.session.commit()
        return application

    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.arguments(ListArgs, location="query")
    @blp.response(200, ApplicationSchema(many=True))
    def get(self, args):
        query = select(MembershipApplication).order_by(MembershipApplication.number)
        if args["status"] is not None:
            query = query.where(MembershipApplication.status == args["status"])
        return db.session.scalars(query).all()


@blp.route("/<uuid:application_id>")
class ApplicationDetail(MethodView):
    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.response(200, ApplicationSchema)
    def get(self, application_id):
        return application_or_404(application_id)


def _act(application_id, action, **kwargs):
    application = application_or_404(application_id)
    action(application, **kwargs)
    db.session.commit()
    return application


@blp.route("/<uuid:application_id>/review")
class Review(MethodView):
    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.response(200, ApplicationSchema)
    def post(self, application_id):
        return _act(application_id, applications.start_review)


@blp.route("/<uuid:application_id>/approve")
class Approve(MethodView):
    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.arguments(DecisionSchema)
    @blp.response(200, ApplicationSchema)
    def post(self, data, application_id):
        return _act(application_id, applications.decide, approve=True, decided_by=current_principal().id, **data)


@blp.route("/<uuid:application_id>/reject")
class Reject(MethodView):
    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.arguments(DecisionSchema)
    @blp.response(200, ApplicationSchema)
    def post(self, data, application_id):
        return _act(application_id, applications.decide, approve=False, decided_by=current_principal().id, **data)


@blp.route("/<uuid:application_id>/withdraw")
class Withdraw(MethodView):
    @requires(Permission.APPLICATIONS_DECIDE)
    @blp.response(200, ApplicationSchema)
    def post(self, application_id):
        """Withdraw on the applicant's behalf (they asked the secretariat)."""
        return _act(application_id, applications.withdraw)
