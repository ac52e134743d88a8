"""Public reference data: Turkey's provinces, districts and municipalities."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from konsey.core import reference
from konsey.core.permissions import public

blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference", description="Reference data")


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


@blp.route("/provinces")
class Provinces(MethodView):
    @public
    @blp.response(200, ProvinceSchema(many=True))
    def get(self):
        return reference.provinces()


@blp.route("/provinces/<int:code>/municipalities")
class ProvinceMunicipalities(MethodView):
    @public
    @blp.response(200, MunicipalitySchema(many=True))
    def get(self, code: int):
        if reference.province(code) is None:
            abort(404)
        return reference.municipalities(code)
