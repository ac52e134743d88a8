"""Councils: onboarding (operators), listing, lifecycle and the full export."""

from __future__ import annotations

from flask import g, jsonify
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.app.guard import current_principal
from konsey.core.accounts import council_ids_of
from konsey.core.audit import AuditEntry
from konsey.core.councils import change_status, onboard_council
from konsey.core.export import export_council
from konsey.core.invitations import send_invitation
from konsey.core.permissions import Permission, requires
from konsey.schemas.base import StrictSchema
from konsey.schemas.councils import OnboardingSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council, CouncilStatus

blp = Blueprint("councils", __name__, url_prefix="/api/v1/councils", description="Councils")


class CouncilSchema(Schema):
    id = fields.UUID()
    slug = fields.String()
    name = fields.String()
    province_code = fields.Integer()
    municipality_id = fields.String()
    municipality_name = fields.String()
    municipality_type = fields.String()
    contact_email = fields.String()
    contact_phone = fields.String(allow_none=True)
    motion_delivery_address = fields.String()
    locale = fields.String()
    timezone = fields.String()
    status = fields.Enum(CouncilStatus, by_value=True)
    created_at = fields.DateTime()


class OnboardedSchema(Schema):
    council = fields.Nested(CouncilSchema)
    invitation_url = fields.String()


class StatusChangeSchema(StrictSchema):
    status = fields.Enum(CouncilStatus, by_value=True, required=True)
    export_acknowledged = fields.Boolean(load_default=False)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


@blp.route("")
class Councils(MethodView):
    @requires(Permission.COUNCILS_LIST_OWN)
    @blp.response(200, CouncilSchema(many=True))
    def get(self):
        """Councils the caller belongs to; every council for operators."""
        principal = current_principal()
        query = select(Council).order_by(Council.name)
        if not principal.is_operator:
            query = query.where(Council.id.in_(council_ids_of(principal)))
        return db.session.scalars(query).all()

    @requires(Permission.COUNCILS_ONBOARD)
    @blp.arguments(OnboardingSchema)
    @blp.response(201, OnboardedSchema)
    def post(self, data):
        """Onboard a council: statutory bodies, default by-laws and the first administrator's invitation."""
        onboarded = onboard_council(data, operator=current_principal())
        url = send_invitation(onboarded.council, onboarded.invitation, onboarded.invitation_secret)
        db.session.commit()
        return {"council": onboarded.council, "invitation_url": url}


@blp.route("/<council_slug>")
class CouncilDetail(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, CouncilSchema)
    def get(self):
        return g.council


@blp.route("/<council_slug>/status")
class CouncilStatusView(MethodView):
    @requires(Permission.COUNCILS_LIFECYCLE)
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, CouncilSchema)
    def post(self, data):
        change_status(g.council, data["status"], export_acknowledged=data["export_acknowledged"], reason=data["reason"])
        db.session.commit()
        return g.council


class AuditEntrySchema(Schema):
    seq = fields.Integer()
    at = fields.DateTime()
    actor_id = fields.UUID(allow_none=True)
    action = fields.String()
    subject_type = fields.String(allow_none=True)
    subject_id = fields.String(allow_none=True)
    details = fields.Dict()
    hash = fields.String()


class AuditArgs(StrictSchema):
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))  # a database integer
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


@blp.route("/<council_slug>/audit")
class Audit(MethodView):
    @requires(Permission.AUDIT_VIEW)
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, args):
        """The council's audit log, oldest first, from sequence number ``after`` on."""
        return db.session.scalars(
            select(AuditEntry).where(AuditEntry.seq > args["after"]).order_by(AuditEntry.seq).limit(args["limit"])
        ).all()


class CalendarArgs(StrictSchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2004, max=2100))


@blp.route("/<council_slug>/calendar")
class Calendar(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.arguments(CalendarArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """The statutory calendar: general assembly sessions owed this year, terms ending, with warnings."""
        from datetime import date

        from konsey.core.calendar import calendar

        return calendar(args["year"] or date.today().year)


@blp.route("/<council_slug>/export")
class Export(MethodView):
    @requires(Permission.COUNCIL_EXPORT)
    @blp.response(200)
    def get(self):
        """Everything the council owns, as one JSON document (KVKK data portability; before archiving)."""
        response = jsonify(export_council(g.council))
        response.headers["Content-Disposition"] = f'attachment; filename="{g.council.slug}-export.json"'
        return response
