"""The council's by-laws profile (yönerge parameters), versioned by effective date."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from konsey.schemas.base import StrictSchema
from konsey.usecases import bylaws
from konsey.usecases.base import performs

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
    @performs(bylaws.list_versions)
    @blp.response(200, ProfileSchema(many=True))
    def get(self):
        """Every version, oldest first."""
        return bylaws.list_versions()

    @performs(bylaws.adopt_version)
    @blp.arguments(NewVersionSchema)
    @blp.response(201, ProfileSchema)
    def post(self, data):
        """Adopt a new version (after the general assembly approved it), effective today or later."""
        return bylaws.adopt_version(data["parameters"], data["effective_from"])


@blp.route("/in-force")
class InForce(MethodView):
    @performs(bylaws.version_in_force)
    @blp.arguments(OnDateArgs, location="query")
    @blp.response(200, ProfileSchema)
    def get(self, args):
        """The version in force today, or on ``?on=YYYY-MM-DD``."""
        return bylaws.version_in_force(args["on"])
