"""Budget allocations, in-kind support and expenses, with a report per year."""

from __future__ import annotations

from decimal import Decimal

from flask import abort
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from konsey.core import money
from konsey.core.money import BudgetAllocation, Expense, ExpenseCategory, InKindKind, InKindSupport
from konsey.core.permissions import Permission, requires
from konsey.schemas.base import StrictSchema
from konsey.tenants.db import db

blp = Blueprint("money", __name__, url_prefix="/api/v1/councils/<council_slug>/money", description="Money")

# The bounds are given to the OpenAPI document as numbers (apispec would write a string-serialised Decimal's
# bounds as strings); the wrapped Range still does the checking.
_amount = dict(places=2, as_string=True,
               validate=validate.And(validate.Range(min=Decimal("0.01"), max=Decimal("999999999999.99"))),
               metadata={"minimum": 0.01, "maximum": 999999999999.99})
_year = dict(validate=validate.Range(min=2004, max=2100))  # Law 5393 dates from 2005


class AllocationSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(required=True, **_year)
    amount = fields.Decimal(required=True, **_amount)
    municipal_decision = fields.String(required=True, validate=validate.Length(min=3, max=120))


class InKindSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(required=True, **_year)
    kind = fields.Enum(InKindKind, by_value=True, required=True)
    description = fields.String(required=True, validate=validate.Length(min=3, max=300))
    estimated_value = fields.Decimal(load_default=None, allow_none=True, **_amount)


class ExpenseSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    spent_on = fields.Date(required=True)
    amount = fields.Decimal(required=True, **_amount)
    category = fields.Enum(ExpenseCategory, by_value=True, required=True)
    description = fields.String(required=True, validate=validate.Length(min=3, max=300))


class YearReportSchema(Schema):
    year = fields.Integer()
    allocated = fields.Decimal(as_string=True)
    spent = fields.Decimal(as_string=True)
    remaining = fields.Decimal(as_string=True)
    spent_by_category = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True))
    in_kind = fields.List(fields.Nested(InKindSchema))


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
