"""Schemas of people: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields

from konsey.core.accounts import CouncilRoleName
from konsey.schemas.base import StrictSchema


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

