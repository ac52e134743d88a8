"""Schemas of session_requests: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core import session_requests
from konsey.core.session_requests import RequestStatus
from konsey.schemas.base import StrictSchema


class RequestSchema(Schema):
    id = fields.UUID()
    reason = fields.String()
    status = fields.Enum(RequestStatus, by_value=True)
    created_at = fields.DateTime()
    due_since = fields.DateTime(allow_none=True)
    meeting_id = fields.UUID(allow_none=True)
    standing = fields.Function(session_requests.standing, metadata={"type": "object"})


class NewRequestSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.Length(max=1000))


class SignatureSchema(StrictSchema):
    member_id = fields.UUID(required=True)


class MeetingLinkSchema(StrictSchema):
    meeting_id = fields.UUID(required=True)

