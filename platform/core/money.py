"""The council's money: the municipality's budget allocation, in-kind support and expenses, per year.

No office is paid (Regulation: volunteering is the rule), so there is no salary category.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, Integer, Numeric, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.tenants.db import CouncilOwned, db, enum_of, utcnow


class InKindKind(enum.StrEnum):
    OFFICE = "office"
    STAFF = "staff"
    VEHICLE = "vehicle"
    EQUIPMENT = "equipment"
    OTHER = "other"


class ExpenseCategory(enum.StrEnum):
    EVENTS = "events"
    PRINTING = "printing"
    TRAVEL = "travel"
    SUPPLIES = "supplies"
    SERVICES = "services"
    OTHER = "other"


class BudgetAllocation(CouncilOwned, db.Model):
    __tablename__ = "budget_allocations"

    year: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    municipal_decision: Mapped[str] = mapped_column(String(120))  # e.g. "Belediye Meclisi 12.01.2026, 2026/14"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_budget_allocations_council_year", "council_id", "year"),)


class InKindSupport(CouncilOwned, db.Model):
    __tablename__ = "in_kind_support"

    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[InKindKind] = mapped_column(enum_of(InKindKind, 16))
    description: Mapped[str] = mapped_column(String(300))
    estimated_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_in_kind_support_council_year", "council_id", "year"),)


class Expense(CouncilOwned, db.Model):
    __tablename__ = "expenses"

    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    category: Mapped[ExpenseCategory] = mapped_column(enum_of(ExpenseCategory, 16))
    description: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_expenses_council_spent_on", "council_id", "spent_on"),)


def add(entry) -> object:
    db.session.add(entry)
    db.session.flush()
    record(f"money.{entry.__tablename__}", entry, {"amount": str(getattr(entry, "amount", None) or
                                                             getattr(entry, "estimated_value", None))})
    return entry


def year_report(year: int) -> dict:
    """Totals for one year: allocated, spent by category, what remains, and the in-kind support."""
    allocated = db.session.scalar(select(func.coalesce(func.sum(BudgetAllocation.amount), 0))
                                  .where(BudgetAllocation.year == year))
    by_category = dict(db.session.execute(
        select(Expense.category, func.sum(Expense.amount))
        .where(Expense.spent_on >= date(year, 1, 1), Expense.spent_on <= date(year, 12, 31))
        .group_by(Expense.category)
    ).all())
    spent = sum((Decimal(v) for v in by_category.values()), Decimal("0"))
    in_kind = db.session.scalars(select(InKindSupport).where(InKindSupport.year == year)
                                 .order_by(InKindSupport.kind)).all()
    allocated = Decimal(allocated).quantize(Decimal("0.01"))
    return {
        "year": year,
        "allocated": allocated,
        "spent": spent.quantize(Decimal("0.01")),
        "remaining": (allocated - spent).quantize(Decimal("0.01")),
        "spent_by_category": {k.value: Decimal(v).quantize(Decimal("0.01")) for k, v in by_category.items()},
        "in_kind": in_kind,
    }
