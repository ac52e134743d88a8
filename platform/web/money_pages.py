"""Money: the year's allocations, in-kind support and expenses with a chart of five years. Adapters over
:mod:`konsey.usecases.money`, with the API's schemas."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.pluginkit.pages import attempt, filled, load
from konsey.schemas.money import AllocationSchema, ExpenseSchema, InKindSchema
from konsey.usecases import money
from konsey.usecases.base import performs

bp = Blueprint("money_pages", __name__, url_prefix="/<council_slug>/money")

FORMS = {"allocations": (AllocationSchema, ("year", "amount", "municipal_decision")),
         "in-kind": (InKindSchema, ("year", "kind", "description", "estimated_value")),
         "expenses": (ExpenseSchema, ("spent_on", "amount", "category", "description"))}


@bp.get("/")
@performs(money.money_page)
def money_page():
    return render_template("governance/money.html", **money.money_page(request.args.get("year", type=int)))


@bp.post("/<kind>")
@performs(money.add_entry)
def money_add(kind):
    if kind not in FORMS:
        abort(404)
    schema, names = FORMS[kind]
    attempt(lambda: money.add_entry(kind, load(schema, filled(request.form, *names))), _("Saved."))
    return redirect(url_for("money_pages.money_page", year=request.form.get("year") or None))
