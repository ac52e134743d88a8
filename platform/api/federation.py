"""The federation's view: every council's indicators (aggregates only), comparisons, trends, exports; and each
council's own position against anonymised peers, and its opt-in to public comparisons."""

from __future__ import annotations

from flask import Response, g
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from konsey.core import federation
from konsey.core.permissions import Permission, public, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("federation", __name__, url_prefix="/api/v1", description="National federation indicators")


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


def _labels() -> dict:
    return {code: federation.label_of(code) for code in federation.INDICATORS}


@blp.route("/federation/indicators")
class Indicators(MethodView):
    @requires(Permission.FEDERATION_VIEW)
    @blp.arguments(FilterArgs, location="query")
    @blp.response(200, TableSchema)
    def get(self, filters):
        """Every active council's indicators, filtered by province, region, municipality type or population
        band; figures from fewer than five people are null (suppressed)."""
        rows = federation.table(filters)
        return {"indicators": _labels(), "rows": rows, "national_median": federation.medians(rows)}


@blp.route("/federation/indicators.csv")
class IndicatorsCsv(MethodView):
    @requires(Permission.FEDERATION_VIEW)
    @blp.arguments(FilterArgs, location="query")
    @blp.response(200)
    def get(self, filters):
        return Response(federation.csv_of(federation.table(filters)), mimetype="text/csv",
                        headers={"Content-Disposition": 'attachment; filename="konsey-federasyon.csv"'})


@blp.route("/federation/councils/<slug>/position")
class Position(MethodView):
    @requires(Permission.FEDERATION_VIEW)
    @blp.response(200)
    def get(self, slug):
        result = federation.position(slug)
        if not result:
            from flask import abort

            abort(404)
        return result


@blp.route("/federation/trend")
class Trend(MethodView):
    @requires(Permission.FEDERATION_VIEW)
    @blp.arguments(TrendArgs, location="query")
    @blp.response(200)
    def get(self, args):
        """An indicator over time from the daily snapshots: the median of all councils, or one council."""
        return {"indicator": args["indicator"], "points": federation.trend(args["indicator"], args["council"])}


@blp.route("/federation/public")
class PublicIndicators(MethodView):
    @public
    @blp.response(200, TableSchema)
    def get(self):
        """The indicators of the councils that chose to appear in public comparisons."""
        rows = federation.table(public_only=True)
        return {"indicators": _labels(), "rows": rows, "national_median": federation.medians(rows)}


@blp.route("/councils/<council_slug>/federation")
class OwnPosition(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200)
    def get(self):
        """This council against the national and peer medians; the peers are not named."""
        return federation.position(g.council.slug)

    @requires(Permission.FEDERATION_OPT_IN)
    @blp.arguments(VisibilitySchema)
    @blp.response(200)
    def put(self, data):
        """Opt in (or out) of appearing by name in the federation's public comparisons."""
        from konsey.core.audit import record
        from konsey.tenants.models import Council

        council = db.session.get(Council, g.council.id)
        council.federation_public = data["public"]
        record("federation.visibility", None, {"public": data["public"]})
        db.session.commit()
        return {"public": council.federation_public}
