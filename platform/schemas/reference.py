"""Schemas of reference: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from marshmallow import Schema, fields


class ProvinceSchema(Schema):
    code = fields.Integer()
    name = fields.String()
    region = fields.String()
    metropolitan = fields.Boolean()
    population = fields.Integer(allow_none=True)


class MunicipalitySchema(Schema):
    id = fields.String()
    name = fields.String()
    type = fields.String()
    province_code = fields.Integer()
    district_id = fields.Integer(allow_none=True)

