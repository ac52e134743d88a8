"""People with access to the current council, and invitations."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.people import GrantSchema, InvitationSchema
from konsey.usecases import people
from konsey.usecases.base import performs

blp = Blueprint("people", __name__, url_prefix="/api/v1/councils/<council_slug>", description="People and roles")


@blp.route("/people")
class People(MethodView):
    @performs(people.list_people)
    @blp.response(200, GrantSchema(many=True))
    def get(self):
        return people.list_people()


@blp.route("/people/<uuid:grant_id>")
class Person(MethodView):
    @performs(people.revoke_role)
    @blp.response(204)
    def delete(self, grant_id):
        people.revoke_role(grant_id)


@blp.route("/invitations")
class Invitations(MethodView):
    @performs(people.invite)
    @takes(people.invite)
    @blp.response(201, InvitationSchema)
    def post(self, data):
        return people.invite(data)
