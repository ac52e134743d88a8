"""What the women's assembly's use cases take (each loads its own, after the rows it names)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.pluginkit import StrictSchema


class NoteSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(max=20000))
    author = fields.String(required=True, validate=validate.Length(min=3, max=200))


class BodyParitySchema(Schema):
    body_id = fields.String()
    name = fields.String()
    seats = fields.Integer()
    women = fields.Integer()
    men = fields.Integer()
    share = fields.Float(allow_none=True, metadata={"description": "Women's share of the seats (null: no seat)."})
    needed_each = fields.Integer(metadata={"description": "Seats each gender needs for the parity share."})
    met = fields.Boolean()


class OfficeParitySchema(Schema):
    office = fields.String()
    seats = fields.Integer()
    women = fields.Integer()


class MonitorSchema(Schema):
    """The gender-equality monitor: every decision body and office against the by-laws' parity share."""

    on = fields.String(metadata={"format": "date"})
    parity_share = fields.Float()
    bodies = fields.List(fields.Nested(BodyParitySchema))
    offices = fields.List(fields.Nested(OfficeParitySchema))
    breaches = fields.List(fields.Nested(BodyParitySchema))
