"""Budget allocations, in-kind support and expenses, with a report per year."""

from __future__ import annotations

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from konsey.core import money
from konsey.core.money import BudgetAllocation, Expense, InKindSupport
from konsey.core.permissions import Permission, requires
from konsey.schemas.money import AllocationSchema, ExpenseSchema, InKindSchema, YearReportSchema  # noqa: F401
from konsey.tenants.db import db

blp = Blueprint("money", __name__, url_prefix="/api/v1/councils/<council_slug>/money", description="Money")

# The bounds are given to the OpenAPI document as numbers (apispec would write a string-serialised Decimal's
# bounds as strings); the wrapped Range still does the checking.










def _collection(model, schema, path: str):
    class Collection(MethodView):
        @requires(Permission.COUNCIL_VIEW)
        @blp.response(200, schema(many=True))
        def get(self):
            return db.session.scalars(select(model).order_by(model.created_at.desc())).all()

        @requires(Permission.MONEY_MANAGE)
        @blp.arguments(schema)
        @blp.response(201, schema)
        def post(self, data):
            entry = money.add(model(**data))
            db.session.commit()
            return entry

    Collection.__name__ = f"{model.__name__}Collection"
    blp.route(path)(Collection)


_collection(BudgetAllocation, AllocationSchema, "/allocations")
_collection(InKindSupport, InKindSchema, "/in-kind")
_collection(Expense, ExpenseSchema, "/expenses")


@blp.route("/years/<int:year>")
class YearReport(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, YearReportSchema)
    def get(self, year):
        """The year's totals: allocated by the municipality, spent by category, remaining, in-kind support."""
        if not 2004 <= year <= 2100:  # no council kept accounts before Law 5393
            abort(404)
        return money.year_report(year)
