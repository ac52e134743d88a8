"""Schemas of federation: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from konsey.schemas.base import StrictSchema


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


class TableSchema(Schema):
    indicators = fields.Dict()
    rows = fields.List(fields.Dict())
    national_median = fields.Dict()

