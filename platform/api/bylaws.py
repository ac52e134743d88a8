"""The council's by-laws profile (yönerge parameters), versioned by effective date."""

from __future__ import annotations

from datetime import date

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from konsey.core.bylaws import profile_in_force
from konsey.core.db import db
from konsey.core.permissions import Permission, requires
from konsey.core.schemas import StrictSchema
from konsey.tenants import bylaw_profiles

blp = Blueprint("bylaws", __name__, url_prefix="/api/v1/councils/<council_slug>/bylaws",
                description="By-laws profile")


class ProfileSchema(Schema):
    id = fields.UUID()
    effective_from = fields.Date()
    parameters = fields.Dict()
    created_at = fields.DateTime()


class NewVersionSchema(StrictSchema):
    effective_from = fields.Date(required=True)
    # Only the parameters that change; the rest are taken from the version in force on that date.
    parameters = fields.Dict(required=True)


class OnDateArgs(StrictSchema):
    on = fields.Date(load_default=None)


@blp.route("")
class Versions(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, ProfileSchema(many=True))
    def get(self):
        """Every version, oldest first."""
        return bylaw_profiles.versions()

    @requires(Permission.BYLAWS_MANAGE)
    @blp.arguments(NewVersionSchema)
    @blp.response(201, ProfileSchema)
    def post(self, data):
        """Adopt a new version (after the general assembly approved it), effective today or later."""
        profile = bylaw_profiles.adopt_version(data["parameters"], data["effective_from"])
        db.session.commit()
        return profile


@blp.route("/in-force")
class InForce(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.arguments(OnDateArgs, location="query")
    @blp.response(200, ProfileSchema)
    def get(self, args):
        """The version in force today, or on ``?on=YYYY-MM-DD``."""
        profile = profile_in_force(bylaw_profiles.versions(), args["on"] or date.today())
        if profile is None:
            abort(404)
        return profile
