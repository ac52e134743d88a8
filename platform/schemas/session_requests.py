"""Schemas of session_requests: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core import session_requests
from konsey.core.session_requests import RequestStatus
from konsey.schemas.base import Derived, StrictSchema


class StandingSchema(Schema):
    signatures = fields.Integer()
    needed = fields.Integer()


class RequestSchema(Schema):
    id = fields.UUID()
    reason = fields.String()
    status = fields.Enum(RequestStatus, by_value=True)
    created_at = fields.DateTime()
    due_since = fields.DateTime(allow_none=True)
    meeting_id = fields.UUID(allow_none=True)
    standing = Derived("StandingSchema", session_requests.standing, metadata={
        "description": "Signatures so far against the threshold in force."})


class NewRequestSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class SignatureSchema(StrictSchema):
    member_id = fields.UUID(required=True)


class MeetingLinkSchema(StrictSchema):
    meeting_id = fields.UUID(required=True)

