"""People with access to the current council, and invitations."""

from __future__ import annotations

from flask import abort, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from konsey.app.guard import current_principal
from konsey.core import people
from konsey.core.accounts import CouncilRoleName
from konsey.core.permissions import Permission, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("people", __name__, url_prefix="/api/v1/councils/<council_slug>", description="People and roles")


class GrantSchema(Schema):
    id = fields.UUID()
    role = fields.Enum(CouncilRoleName, by_value=True)
    granted_at = fields.DateTime()
    display_name = fields.Function(lambda grant: grant.user.display_name)
    email = fields.Function(lambda grant: grant.user.email)


class InvitationInputSchema(StrictSchema):
    email = fields.Email(required=True)
    role = fields.Enum(CouncilRoleName, by_value=True, required=True)


class InvitationSchema(Schema):
    id = fields.UUID()
    email = fields.String()
    role = fields.Enum(CouncilRoleName, by_value=True)
    expires_at = fields.DateTime()
    invitation_url = fields.String()


@blp.route("/people")
class People(MethodView):
    @requires(Permission.ROLES_MANAGE)
    @blp.response(200, GrantSchema(many=True))
    def get(self):
        return people.people_of(g.council)


@blp.route("/people/<uuid:grant_id>")
class Person(MethodView):
    @requires(Permission.ROLES_MANAGE)
    @blp.response(204)
    def delete(self, grant_id):
        grant = people.grant_in(g.council, grant_id)
        if grant is None:
            abort(404)
        people.revoke(grant)
        db.session.commit()


@blp.route("/invitations")
class Invitations(MethodView):
    @requires(Permission.ROLES_MANAGE)
    @blp.arguments(InvitationInputSchema)
    @blp.response(201, InvitationSchema)
    def post(self, data):
        invitation, url = people.invite(g.council, data["email"], data["role"], current_principal())
        db.session.commit()
        invitation.invitation_url = url
        return invitation
