"""Councils: onboarding (operators), listing, lifecycle and the full export."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.schemas.councils import (
    AuditArgs,
    AuditEntrySchema,
    CalendarArgs,
    CouncilSchema,
    OnboardedSchema,
    OnboardingSchema,
    StatusChangeSchema,
)
from konsey.usecases import councils
from konsey.usecases.base import performs

blp = Blueprint("councils", __name__, url_prefix="/api/v1/councils", description="Councils")


@blp.route("")
class Councils(MethodView):
    @performs(councils.my_councils)
    @blp.response(200, CouncilSchema(many=True))
    def get(self):
        """Councils the caller belongs to; every council for operators."""
        return councils.my_councils()

    @performs(councils.onboard_council)
    @blp.arguments(OnboardingSchema)
    @blp.response(201, OnboardedSchema)
    def post(self, data):
        """Onboard a council: statutory bodies, default by-laws and the first administrator's invitation."""
        return councils.onboard_council(data)


@blp.route("/<council_slug>")
class CouncilDetail(MethodView):
    @performs(councils.show_council)
    @blp.response(200, CouncilSchema)
    def get(self):
        return councils.show_council()


@blp.route("/<council_slug>/status")
class CouncilStatusView(MethodView):
    @performs(councils.change_status)
    @blp.arguments(StatusChangeSchema)
    @blp.response(200, CouncilSchema)
    def post(self, data):
        return councils.change_status(None, data)


@blp.route("/<council_slug>/audit")
class Audit(MethodView):
    @performs(councils.audit_log)
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, args):
        """The council's audit log, oldest first, from sequence number ``after`` on."""
        return councils.audit_log(args["after"], args["limit"])


@blp.route("/<council_slug>/calendar")
class Calendar(MethodView):
    @performs(councils.statutory_calendar)
    @blp.arguments(CalendarArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """The statutory calendar: general assembly sessions owed this year, terms ending, with warnings."""
        return councils.statutory_calendar(args["year"])


@blp.route("/<council_slug>/export")
class Export(MethodView):
    @performs(councils.full_export)
    @blp.response(200)
    def get(self):
        """Everything the council owns, as one JSON document (KVKK data portability; before archiving)."""
        council = councils.show_council()
        response = jsonify(councils.full_export())
        response.headers["Content-Disposition"] = f'attachment; filename="{council.slug}-export.json"'
        return response
