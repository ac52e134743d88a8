"""The federation's pages: the analyst's dashboard (ranked table, distribution and trend charts, exports),
the public national page of opted-in councils, and a council's own position against anonymised peers."""

from __future__ import annotations

import json
import math

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from konsey.core.federation import RANKABLE
from konsey.pluginkit import file_download
from konsey.pluginkit.pages import filled, load
from konsey.schemas.federation import FilterArgs, TableSchema
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
    """At most ``bins`` ranges of equal width, each with the number of councils in it. Counts (members,
    sessions) get whole-number ranges ("12 – 15", never "56,88"); shares get ranges of their own kind."""
    if not values:
        return []
    low, high = min(values), max(values)
    if low == high:  # every council alike: one range, not eight made up around it
        return [{"low": low, "high": high, "count": len(values), "height": 1.0}]
    whole = all(float(v).is_integer() for v in values)
    if whole:
        step = max(1, math.ceil((high - low + 1) / bins))
        edges = [(low + i * step, low + (i + 1) * step - 1) for i in range(math.ceil((high - low + 1) / step))]
    else:
        step = (high - low) / bins or 1
        edges = [(low + i * step, low + (i + 1) * step) for i in range(bins)]
    counts = [0] * len(edges)
    for value in values:
        counts[min(int((value - low) // step), len(edges) - 1)] += 1
    most = max(counts) or 1
    return [{"low": int(a) if whole else round(a, 4), "high": int(min(b, high)) if whole else round(b, 4),
             "count": n, "height": n / most} for (a, b), n in zip(edges, counts, strict=True)]


@bp.get("/federation/")
@performs(federation.dashboard)
def dashboard():
    filters = {key: request.args.get(key) or None for key in FILTERS}
    year = request.args.get("year", type=int)
    code = request.args.get("indicator") if request.args.get("indicator") in federation.labels() else "members"
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


def _download_filters() -> dict:
    return load(FilterArgs, filled(request.args, *FILTERS, "year"))


@bp.get("/federation/indicators.csv")
@performs(federation.indicators_csv)
def indicators_csv():
    """The dashboard's table as a spreadsheet, for the signed-in analyst (the API's is for tokens)."""
    return file_download(federation.indicators_csv(_download_filters()), "text/csv", "konsey-federasyon.csv")


@bp.get("/federation/indicators.json")
@performs(federation.indicators)
def indicators_json():
    rows = TableSchema().dump(federation.indicators(_download_filters()))
    return file_download(json.dumps(rows, ensure_ascii=False, indent=1), "application/json",
                         "konsey-federasyon.json")


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
