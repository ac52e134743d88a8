"""Schemas of federation: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.schemas.base import NUMBER_OR_NULL, AsGiven, StrictSchema


class FilterArgs(StrictSchema):
    province = fields.String(load_default=None)
    region = fields.String(load_default=None)
    municipality_type = fields.String(load_default=None)
    population_band = fields.String(load_default=None)
    year = fields.Integer(load_default=None, validate=validate.Range(2000, 2100))  # the period


class TrendArgs(StrictSchema):
    indicator = fields.String(required=True)
    council = fields.String(load_default=None)


class VisibilitySchema(StrictSchema):
    public = fields.Boolean(required=True)


class FederationRowSchema(Schema):
    """A council's identity and its indicators (each a number, or null where it is too small to tell); the
    installed plugins add indicators of their own."""

    OPEN_VALUES = NUMBER_OR_NULL
    slug = fields.String()
    name = fields.String()
    province = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    municipality_type = fields.String(allow_none=True)
    population_band = fields.String()
    members_by_category = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True), metadata={
        "description": "Members per category (null under five)."})
    members_by_gender = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True), metadata={
        "description": "Individual members per gender (null under five)."})


class MediansSchema(Schema):
    """Each indicator's median (null where too few councils have a figure)."""

    OPEN_VALUES = NUMBER_OR_NULL


class QuartilesSchema(Schema):
    q1 = fields.Float()
    median = fields.Float()
    q3 = fields.Float()
    councils = fields.Integer()


class TableSchema(Schema):
    indicators = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Each indicator's code and name."})
    rows = fields.List(AsGiven(FederationRowSchema))
    national_median = AsGiven(MediansSchema)


class PositionSchema(Schema):
    """A council against the national median and its peers' (same municipality type), the peers as quartiles
    of at least five, never named."""

    council = AsGiven(FederationRowSchema)
    national_median = AsGiven(MediansSchema)
    peer_median = AsGiven(MediansSchema)
    peer_count = fields.Integer()
    peer_distribution = fields.Dict(keys=fields.String(), values=fields.Nested(QuartilesSchema, allow_none=True))


class TrendSchema(Schema):
    indicator = fields.String()
    points = fields.Function(lambda trend: [[day, value] for day, value in trend["points"]], metadata={
        "type": "array", "description": "[day, value] pairs, oldest first (value null where nothing was counted).",
        "items": {"type": "array", "minItems": 2, "maxItems": 2,
                  "items": {"anyOf": [{"type": "string", "format": "date"}, {"type": "number", "nullable": True}]}}})

