"""Membership applications: what an applicant sends and what the council's bodies see."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core.applications import ApplicationStatus
from konsey.core.membership import MemberKind
from konsey.schemas.base import StrictSchema


class SubmitSchema(StrictSchema):
    applicant = fields.Dict(required=True)  # validated as a member by the service, errors under "applicant"
    notice_version = fields.String(required=True)
    consents = fields.List(fields.String(), required=True)


class ReceiptSchema(Schema):
    number = fields.Integer()
    status = fields.Enum(ApplicationStatus, by_value=True)
    submitted_at = fields.DateTime()


class ApplicationSchema(ReceiptSchema):
    id = fields.UUID()
    kind = fields.Enum(MemberKind, by_value=True)
    applicant = fields.Dict()
    notice_version = fields.String()
    consents = fields.List(fields.Dict())
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    decision_reference = fields.String(allow_none=True)
    member_id = fields.UUID(allow_none=True)


class ListArgs(StrictSchema):
    status = fields.Enum(ApplicationStatus, by_value=True, load_default=None)


class DecisionSchema(StrictSchema):
    reason = fields.String(load_default=None, validate=validate.Length(max=1000))
    decision_reference = fields.String(load_default=None, validate=validate.Length(max=100))
