"""Money: budget allocations from the municipality, in-kind support, expenses, and the report of a year."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import money
from konsey.core.errors import NotFound
from konsey.core.money import BudgetAllocation, Expense, ExpenseCategory, InKindKind, InKindSupport
from konsey.core.permissions import Permission
from konsey.schemas.money import AllocationSchema, ExpenseSchema, InKindSchema
from konsey.tenants.db import db
from konsey.tenants.models import council_today
from konsey.usecases.base import command, loaded, query

ENTRIES = {"allocations": BudgetAllocation, "in-kind": InKindSupport, "expenses": Expense}


@query(Permission.COUNCIL_VIEW)
def list_entries(kind: str) -> list:
    """The budget's entries of one kind (allocations, in-kind support or expenses), in a year."""
    model = ENTRIES[kind]
    return db.session.scalars(select(model).order_by(model.created_at.desc())).all()


@command(Permission.MONEY_MANAGE, takes=AllocationSchema)
def add_allocation(data: dict) -> BudgetAllocation:
    """Record a budget allocation from the municipality, with its council decision."""
    return money.add(BudgetAllocation(**loaded(data)))


@command(Permission.MONEY_MANAGE, takes=InKindSchema)
def add_in_kind(data: dict) -> InKindSupport:
    """Record support given in kind (a hall, transport, printing…), with its estimated value."""
    return money.add(InKindSupport(**loaded(data)))


@command(Permission.MONEY_MANAGE, takes=ExpenseSchema)
def add_expense(data: dict) -> Expense:
    """Record an expense, with its category."""
    return money.add(Expense(**loaded(data)))


ADD = {"allocations": add_allocation, "in-kind": add_in_kind, "expenses": add_expense}


@query(Permission.COUNCIL_VIEW)
def year_report(year: int) -> dict:
    """The year's totals: allocated by the municipality, spent by category, remaining, in-kind support."""
    if not 2004 <= year <= 2100:  # no council kept accounts before Law 5393
        raise NotFound(_("Not found."))
    return money.year_report(year)


@query(Permission.COUNCIL_VIEW)
def money_page(year: int | None = None) -> dict:
    """A year with the four before it (for the chart), its allocations and expenses."""
    year = year if year and 2008 <= year <= 2100 else council_today().year
    history = [money.year_report(y) for y in range(year - 4, year + 1)]
    top = max([float(r["allocated"]) for r in history] + [float(r["spent"]) for r in history] + [1.0])
    return {"year": year, "report": history[-1], "history": history, "top": top,
            "allocations": db.session.scalars(select(BudgetAllocation).where(BudgetAllocation.year == year)).all(),
            "expenses": db.session.scalars(select(Expense).where(Expense.spent_on >= date(year, 1, 1),
                                                                 Expense.spent_on <= date(year, 12, 31))
                                           .order_by(Expense.spent_on)).all(),
            "kinds": list(InKindKind), "categories": list(ExpenseCategory)}
