"""Working-group reports."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core.reports import ReportStatus, versions_of
from konsey.schemas.base import Derived, StrictSchema


class VersionSchema(Schema):
    version = fields.Integer()
    text = fields.String()
    created_at = fields.DateTime()


class ReportSchema(Schema):
    id = fields.UUID()
    body_id = fields.UUID()
    title = fields.String()
    status = fields.Enum(ReportStatus, by_value=True)
    agenda_item_id = fields.UUID(allow_none=True)
    versions = Derived("VersionSchema", versions_of, many=True)


class NewReportSchema(StrictSchema):
    body_id = fields.UUID(required=True)
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    text = fields.String(required=True, validate=validate.Length(min=3, max=200_000))


class RevisionSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=3, max=200_000))


class AgendaSchema(StrictSchema):
    meeting_id = fields.UUID(required=True)
