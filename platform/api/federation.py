"""The federation's view: every council's indicators (aggregates only), comparisons, trends, exports; and each
council's own position against anonymised peers, and its opt-in to public comparisons."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import BINARY
from konsey.pluginkit import file_download
from konsey.schemas.federation import (
    FilterArgs,
    PositionSchema,
    TableSchema,
    TrendArgs,
    TrendSchema,
    VisibilitySchema,
)
from konsey.usecases import federation
from konsey.usecases.base import performs

blp = Blueprint("federation", __name__, url_prefix="/api/v1", description="National federation indicators")


@blp.route("/federation/indicators")
class Indicators(MethodView):
    @performs(federation.indicators)
    @blp.arguments(FilterArgs, location="query")
    @blp.response(200, TableSchema)
    def get(self, filters):
        """Every active council's indicators, filtered by province, region, municipality type or population
        band; figures from fewer than five people are null (suppressed)."""
        return federation.indicators(filters)


@blp.route("/federation/indicators.csv")
class IndicatorsCsv(MethodView):
    @performs(federation.indicators_csv)
    @blp.arguments(FilterArgs, location="query")
    @blp.response(200, BINARY, content_type="text/csv")
    def get(self, filters):
        return file_download(federation.indicators_csv(filters), "text/csv", "konsey-federasyon.csv")


@blp.route("/federation/councils/<slug>/position")
class Position(MethodView):
    @performs(federation.position_of)
    @blp.response(200, PositionSchema)
    def get(self, slug):
        return federation.position_of(slug)


@blp.route("/federation/trend")
class Trend(MethodView):
    @performs(federation.trend)
    @blp.arguments(TrendArgs, location="query")
    @blp.response(200, TrendSchema)
    def get(self, args):
        """An indicator over time from the daily snapshots: the median of all councils, or one council."""
        return federation.trend(args["indicator"], args["council"])


@blp.route("/federation/public")
class PublicIndicators(MethodView):
    @performs(federation.public_comparison)
    @blp.response(200, TableSchema)
    def get(self):
        """The indicators of the councils that chose to appear in public comparisons."""
        return federation.public_comparison()


@blp.route("/councils/<council_slug>/federation")
class OwnPosition(MethodView):
    @performs(federation.own_position)
    @blp.response(200, PositionSchema)
    def get(self):
        """This council against the national and peer medians; the peers are not named."""
        return federation.own_position()

    @performs(federation.set_visibility)
    @blp.arguments(VisibilitySchema)
    @blp.response(200, VisibilitySchema)
    def put(self, data):
        """Opt in (or out) of appearing by name in the federation's public comparisons."""
        return federation.set_visibility(data["public"])
