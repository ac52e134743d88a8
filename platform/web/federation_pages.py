"""The federation's pages: the analyst's dashboard (ranked table, distribution and trend charts, exports),
the public national page of opted-in councils, and a council's own position against anonymised peers."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.federation import INDICATORS, RANKABLE
from konsey.tenants.models import council_today
from konsey.usecases import federation
from konsey.usecases.base import performs

bp = Blueprint("federation_pages", __name__)
FILTERS = ("province", "region", "municipality_type", "population_band")


def _bars(rows: list[dict], code: str) -> list[dict]:
    """Rows with a value for ``code``, ranked, with the bar's share of the largest value."""
    ranked = sorted((r for r in rows if isinstance(r.get(code), (int, float))), key=lambda r: r[code], reverse=True)
    top = max([r[code] for r in ranked] + [0]) or 1
    return [{"name": r["name"], "value": r[code], "width": r[code] / top} for r in ranked]


def _histogram(values: list[float], bins: int = 8) -> list[dict]:
    if not values:
        return []
    low, high = min(values), max(values)
    step = (high - low) / bins or 1
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / step), bins - 1)] += 1
    most = max(counts) or 1
    return [{"from": round(low + i * step, 2), "count": n, "height": n / most} for i, n in enumerate(counts)]


@bp.get("/federation/")
@performs(federation.dashboard)
def dashboard():
    filters = {key: request.args.get(key) or None for key in FILTERS}
    year = request.args.get("year", type=int)
    code = request.args.get("indicator") if request.args.get("indicator") in INDICATORS else "members"
    found = federation.dashboard(filters, year, code)
    every, rows, trend = found["every"], found["rows"], found["trend"]
    top = max([v for _d, v in trend if v is not None] + [1])
    return render_template(
        "federation/dashboard.html", rows=rows, filters=filters, code=code, bars=_bars(rows, code),
        histogram=_histogram([r[code] for r in rows if isinstance(r.get(code), (int, float))]),
        national=found["national"], selection=found["selection"], trend=trend, trend_top=top,
        labels=federation.labels(), year=year,
        years=list(range(council_today().year, council_today().year - 6, -1)),
        options={key: sorted({str(r[key]) for r in every if r.get(key)}) for key in FILTERS})


@bp.get("/federation/public")
@performs(federation.public_comparison)
def public_page():
    found = federation.public_comparison()
    return render_template("federation/public.html", rows=found["rows"], medians=found["national_median"],
                           labels=federation.labels(RANKABLE))


@bp.get("/<council_slug>/federation")
@performs(federation.own_position)
def own_position():
    return render_template("federation/position.html", result=federation.own_position(),
                           labels=federation.labels(RANKABLE))


@bp.post("/<council_slug>/federation")
@performs(federation.set_visibility)
def visibility():
    federation.set_visibility(request.form.get("public") == "y")
    flash(_("Saved."), "success")
    return redirect(url_for("federation_pages.own_position"))
