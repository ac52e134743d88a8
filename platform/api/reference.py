"""Public reference data: Turkey's provinces, districts and municipalities."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.schemas.reference import MunicipalitySchema, ProvinceSchema
from konsey.usecases import reference
from konsey.usecases.base import performs

blp = Blueprint("reference", __name__, url_prefix="/api/v1/reference", description="Reference data")


@blp.route("/provinces")
class Provinces(MethodView):
    @performs(reference.provinces)
    @blp.response(200, ProvinceSchema(many=True))
    def get(self):
        return reference.provinces()


@blp.route("/provinces/<int:code>/municipalities")
class ProvinceMunicipalities(MethodView):
    @performs(reference.municipalities_of)
    @blp.response(200, MunicipalitySchema(many=True))
    def get(self, code: int):
        return reference.municipalities_of(code)
