"""Money: the year's allocations, in-kind support and expenses with a chart of five years. Adapters over
:mod:`konsey.usecases.money`, with the API's schemas."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.pluginkit.pages import attempt, filled
from konsey.usecases import money
from konsey.usecases.base import performs

bp = Blueprint("money_pages", __name__, url_prefix="/<council_slug>/money")

FIELDS = {"allocations": ("year", "amount", "municipal_decision"),
          "in-kind": ("year", "kind", "description", "estimated_value"),
          "expenses": ("spent_on", "amount", "category", "description")}


@bp.get("/")
@performs(money.money_page)
def money_page():
    return render_template("governance/money.html", **money.money_page(request.args.get("year", type=int)))


@bp.post("/allocations")
@performs(money.add_allocation)
def allocation_add():
    return _add("allocations")


@bp.post("/in-kind")
@performs(money.add_in_kind)
def in_kind_add():
    return _add("in-kind")


@bp.post("/expenses")
@performs(money.add_expense)
def expense_add():
    return _add("expenses")


def _add(kind):
    attempt(lambda: money.ADD[kind](filled(request.form, *FIELDS[kind])), _("Saved."))
    return redirect(url_for("money_pages.money_page", year=request.form.get("year") or None))
