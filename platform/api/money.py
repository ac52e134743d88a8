"""Budget allocations, in-kind support and expenses, with a report per year."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.api.base import takes
from konsey.schemas.money import AllocationSchema, ExpenseSchema, InKindSchema, YearReportSchema
from konsey.usecases import money
from konsey.usecases.base import performs

blp = Blueprint("money", __name__, url_prefix="/api/v1/councils/<council_slug>/money", description="Money")


def _collection(kind: str, model_name: str, schema, path: str):
    add = money.ADD[kind]

    class Collection(MethodView):
        @performs(money.list_entries)
        @blp.response(200, schema(many=True))
        def get(self):
            return money.list_entries(kind)

        @performs(add)
        @takes(add)
        @blp.response(201, schema)
        def post(self, data):
            return add(data)

    Collection.__name__ = f"{model_name}Collection"
    blp.route(path)(Collection)


_collection("allocations", "BudgetAllocation", AllocationSchema, "/allocations")
_collection("in-kind", "InKindSupport", InKindSchema, "/in-kind")
_collection("expenses", "Expense", ExpenseSchema, "/expenses")


@blp.route("/years/<int:year>")
class YearReport(MethodView):
    @performs(money.year_report)
    @blp.response(200, YearReportSchema)
    def get(self, year):
        """The year's totals: allocated by the municipality, spent by category, remaining, in-kind support."""
        return money.year_report(year)
