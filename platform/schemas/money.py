"""Schemas of money: used by the API, the pages and the CLI alike."""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, InvalidOperation

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from konsey.core.money import ExpenseCategory, InKindKind
from konsey.schemas.base import StrictSchema


class Money(fields.Decimal):
    """An amount in lira with at most two decimals (kuruş): 10.005 is refused, never rounded."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            exact = Decimal(str(value).strip())
            more_decimals = exact.is_finite() and exact != exact.quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        except (InvalidOperation, ValueError):
            more_decimals = False  # not a number, or too large to have kuruş: the field's own checks say so
        if more_decimals:
            raise ValidationError(_("At most two decimals (kuruş)."))
        return super()._deserialize(value, attr, data, **kwargs)


# An amount travels as a decimal string ("1234.50": no float rounds it); the document says so (konsey.api.base)
# and gives the bounds in words, which a string's schema cannot hold as numbers. The wrapped Range checks them.
_amount = dict(places=2, as_string=True,
               validate=validate.And(validate.Range(min=Decimal("0.01"), max=Decimal("999999999999.99"))),
               metadata={"description": "Turkish lira as a decimal string with at most two decimals (kuruş), "
                                        "from 0.01 to 999999999999.99; a JSON number is accepted on input."})
_year = dict(validate=validate.Range(min=2004, max=2100))  # Law 5393 dates from 2005


class AllocationSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(required=True, **_year)
    amount = Money(required=True, **_amount)
    municipal_decision = fields.String(required=True, validate=validate.Length(min=3, max=120))


class InKindSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    year = fields.Integer(required=True, **_year)
    kind = fields.Enum(InKindKind, by_value=True, required=True)
    description = fields.String(required=True, validate=validate.Length(min=3, max=300))
    estimated_value = Money(load_default=None, allow_none=True, **_amount)


class ExpenseSchema(StrictSchema):
    id = fields.UUID(dump_only=True)
    spent_on = fields.Date(required=True)
    amount = Money(required=True, **_amount)
    category = fields.Enum(ExpenseCategory, by_value=True, required=True)
    description = fields.String(required=True, validate=validate.Length(min=3, max=300))


class YearReportSchema(Schema):
    year = fields.Integer()
    allocated = fields.Decimal(as_string=True)
    spent = fields.Decimal(as_string=True)
    remaining = fields.Decimal(as_string=True)
    spent_by_category = fields.Dict(keys=fields.String(), values=fields.Decimal(as_string=True))
    in_kind = fields.List(fields.Nested(InKindSchema))

