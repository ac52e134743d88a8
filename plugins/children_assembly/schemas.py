"""What the children's assembly's use cases take (each loads its own, after the rows it names)."""

from __future__ import annotations

from marshmallow import fields, validate

from konsey.pluginkit import StrictSchema
from konsey.plugins.children_assembly.models import ConsentMethod, Officer


class GuardianSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    relation = fields.String(required=True, validate=validate.Length(min=2, max=60))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


class NewChildSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    birth_date = fields.Date(load_default=None)
    school_grade = fields.Integer(load_default=None)
    guardian = fields.Nested(GuardianSchema, required=True)


class ConsentSchema(StrictSchema):
    guardian_name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    relation = fields.String(required=True, validate=validate.Length(min=2, max=60))
    given_on = fields.Date(required=True)
    method = fields.Enum(ConsentMethod, by_value=True, required=True)


class ProposalSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    text = fields.String(required=True, validate=validate.Length(min=10, max=20000))
    representative = fields.String(required=True, validate=validate.Length(min=3, max=200))


class OfficerVoteSchema(StrictSchema):
    office = fields.Enum(Officer, by_value=True, required=True)
    votes = fields.Dict(keys=fields.String(), values=fields.Integer(validate=validate.Range(min=0)), required=True)
