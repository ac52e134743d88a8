"""Membership applications: what an applicant sends and what the council's bodies see."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core.applications import ApplicationStatus
from konsey.core.membership import MemberKind
from konsey.schemas.base import AsGiven, StrictSchema
from konsey.schemas.members import PublicApplicantSchema


class SubmitSchema(StrictSchema):
    # Checked by the use case as a member would be, its refusals under "applicant" beside the consents'.
    applicant = AsGiven(PublicApplicantSchema, required=True)
    notice_version = fields.String(required=True)
    consents = fields.List(fields.String(), required=True)


class ApplicantRecordSchema(PublicApplicantSchema):
    """An application's applicant as kept: the fields the applicant gave (none, once forgotten)."""

    erased = fields.Boolean(metadata={"description": "True once the applicant's data is erased."})

    def __init__(self, **options):
        options.setdefault("partial", True)
        super().__init__(**options)


class GivenConsentSchema(Schema):
    purpose = fields.String()
    given_at = fields.DateTime()


class ReceiptSchema(Schema):
    number = fields.Integer()
    status = fields.Enum(ApplicationStatus, by_value=True)
    submitted_at = fields.DateTime()


class ApplicationSchema(ReceiptSchema):
    id = fields.UUID()
    kind = fields.Enum(MemberKind, by_value=True)
    applicant = AsGiven(ApplicantRecordSchema, metadata={
        "description": "What the applicant said of themselves (emptied once an erased applicant is forgotten)."})
    notice_version = fields.String()
    consents = fields.List(AsGiven(GivenConsentSchema))
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    decision_reference = fields.String(allow_none=True)
    member_id = fields.UUID(allow_none=True)


class ListArgs(StrictSchema):
    status = fields.Enum(ApplicationStatus, by_value=True, load_default=None)


class DecisionSchema(StrictSchema):
    reason = fields.String(load_default=None, validate=validate.Length(max=1000))
    decision_reference = fields.String(load_default=None, validate=validate.Length(max=100))
