"""Schemas of notifications: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields

from konsey.schemas.base import StrictSchema


class NotificationSchema(Schema):
    id = fields.UUID()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    emailed_at = fields.DateTime(allow_none=True)


class PreferencesSchema(StrictSchema):
    preferences = fields.Dict(keys=fields.String(), values=fields.String(), required=True)

