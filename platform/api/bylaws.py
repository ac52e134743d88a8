"""The council's by-laws profile (yönerge parameters), versioned by effective date."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.schemas.bylaws import NewVersionSchema, OnDateArgs, ProfileSchema
from konsey.usecases import bylaws
from konsey.usecases.base import performs

blp = Blueprint("bylaws", __name__, url_prefix="/api/v1/councils/<council_slug>/bylaws",
                description="By-laws profile")


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
