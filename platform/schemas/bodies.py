"""Schemas of bodies: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.core.bodies import BodyKind, BodyStatus
from konsey.core.seats import SeatRole, group_seat
from konsey.schemas.base import StrictSchema


class BodySchema(Schema):
    id = fields.UUID()
    kind = fields.Enum(BodyKind, by_value=True)
    name = fields.String()
    status = fields.Enum(BodyStatus, by_value=True)
    proposal = fields.String(allow_none=True)
    approved_decision = fields.String(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    general_assembly_seat_id = fields.Method("_general_assembly_seat", allow_none=True, metadata={
        "format": "uuid",
        "description": "An approved assembly's or working group's seat in the general assembly (a member held by "
                       "the group, attended by its representative); null for other bodies."})

    def _general_assembly_seat(self, body):
        body = body["body"] if isinstance(body, dict) else body
        if body.kind not in (BodyKind.ASSEMBLY, BodyKind.WORKING_GROUP):
            return None
        seat = group_seat(body)
        return str(seat.id) if seat is not None else None


class NewBodySchema(StrictSchema):
    kind = fields.Enum(BodyKind, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    proposal = fields.String(load_default=None, validate=validate.Length(max=300))


class ApprovalSchema(StrictSchema):
    vote_id = fields.UUID(required=True)


class DissolutionSchema(StrictSchema):
    on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))


class ParticipantSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    email = fields.Email(load_default=None, allow_none=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    organisation = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    consent = fields.Boolean(load_only=True, required=True)
    joined_on = fields.Date(load_default=None)
    left_on = fields.Date(dump_only=True, allow_none=True)
    consented_at = fields.DateTime(dump_only=True)


class LeaveSchema(StrictSchema):
    on = fields.Date(required=True)


class SeatSchema(Schema):
    id = fields.UUID()
    member_id = fields.UUID()
    member_name = fields.Function(lambda seat: seat.member.name)
    role = fields.Enum(SeatRole, by_value=True)
    starts_on = fields.Date()
    ends_on = fields.Date(allow_none=True)


class ParitySchema(Schema):
    """Women and men among a decision body's voting seats, against the by-laws' share."""

    seats = fields.Integer()
    women = fields.Integer()
    men = fields.Integer()
    share_required = fields.Float()
    met = fields.Boolean()


class BodyDetailSchema(BodySchema):
    on = fields.Date()
    full_membership = fields.Integer()
    parity = fields.Nested("ParitySchema")
    seats = fields.List(fields.Nested(SeatSchema))
    # The executive board's composition (Regulation art. 12): below_minimum, president_missing:<assembly code>.
    lawfully_composed = fields.Boolean()
    composition_problems = fields.List(fields.String())


class OnArgs(StrictSchema):
    on = fields.Date(load_default=None)


class NewSeatSchema(StrictSchema):
    member_id = fields.UUID(required=True)
    role = fields.Enum(SeatRole, by_value=True, required=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(load_default=None)


class EndSeatSchema(StrictSchema):
    on = fields.Date(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=2, max=200))


class JoinSchema(StrictSchema):
    """A member of the council joins an assembly (or group) as a principal from today."""

    member_id = fields.UUID(load_default=None, metadata={"description": "The member who joins."})


class AbsenceArgs(StrictSchema):
    since = fields.Date(load_default=None)
    until = fields.Date(load_default=None)


class AbsenceSchema(Schema):
    member_id = fields.UUID()
    excused = fields.Integer()
    unexcused = fields.Integer()
    substituted = fields.Integer()
    over_limit = fields.Boolean()

