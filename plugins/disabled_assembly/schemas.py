"""What the disabled people's assembly's use cases take and give (each loads its input after the rows it names)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from konsey.pluginkit import StrictSchema
from konsey.plugins.disabled_assembly.models import AccessKind


class ExplicitConsentSchema(StrictSchema):
    member_id = fields.UUID(required=True, metadata={"description": "The person who consents (not an organisation)."})
    given_on = fields.Date(required=True, metadata={"description": "The day the signed consent is dated."})


class SupporterSchema(StrictSchema):
    member_id = fields.UUID(required=True, metadata={"description": "The member of the assembly accompanied."})
    name = fields.String(required=True, validate=validate.Length(min=3, max=200),
                         metadata={"label": _l("Supporter's name")})


class AccessRequestSchema(StrictSchema):
    kind = fields.Enum(AccessKind, by_value=True, required=True)
    meeting_id = fields.UUID(load_default=None, allow_none=True,
                             metadata={"description": "The council's meeting it is for (none: every meeting)."})
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                         metadata={"description": "What is needed, naming nobody."})


class ExplicitConsentOut(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    given_on = fields.Date()


class SupporterOut(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    name = fields.String()


class AccessRequestOut(Schema):
    id = fields.UUID()
    kind = fields.Enum(AccessKind, by_value=True)
    meeting_id = fields.UUID(allow_none=True)
    note = fields.String(allow_none=True)
    requested_on = fields.Date()
    met = fields.Boolean()


class AssemblySeatOut(Schema):
    member_id = fields.UUID()
    name = fields.Function(lambda seat: seat.member.name, metadata={"type": "string"})
    role = fields.Function(lambda seat: seat.role.value, metadata={"type": "string"})
    starts_on = fields.Date()


class DisabledAssemblyOverview(Schema):
    seats = fields.List(fields.Nested(AssemblySeatOut))
    supporters = fields.List(fields.Nested(SupporterOut))
    requests = fields.List(fields.Nested(AccessRequestOut))
    consented = fields.List(fields.UUID(), metadata={"description": "The people whose explicit consent is on record."})
