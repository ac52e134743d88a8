"""The federation: every council's indicators (aggregates only, small numbers suppressed) for its analysts,
the public comparison of councils that opted in, and each council's own position against anonymised peers."""

from __future__ import annotations

from flask_babel import gettext as _

from konsey.core import federation
from konsey.core.audit import record
from konsey.core.errors import NotFound
from konsey.core.permissions import Permission
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id
from konsey.usecases.base import command, query


def labels(codes=None) -> dict:
    known = federation.indicator_labels()  # the plugins' asked once, not once per code
    return {code: str(known.get(code, code)) for code in (codes or known)}


@query(Permission.FEDERATION_VIEW, audited=True)  # the read across councils is recorded, and the record kept
def indicators(filters: dict | None = None) -> dict:
    """Every active council's indicators, filtered by province, region, municipality type, population band
    or year; figures from fewer than five people are null (suppressed)."""
    rows = federation.table(filters or {})
    return {"indicators": labels(), "rows": rows, "national_median": federation.medians(rows)}


@query(Permission.FEDERATION_VIEW, audited=True)  # the read across councils is recorded, and the record kept
def indicators_csv(filters: dict | None = None) -> str:
    """The federation's indicators of every opted-in council, as CSV (aggregates only)."""
    return federation.csv_of(federation.table(filters or {}))


@query(Permission.FEDERATION_VIEW, audited=True)  # the read across councils is recorded, and the record kept
def dashboard(filters: dict, year: int | None, code: str) -> dict:
    """The analyst's dashboard: the selection, every council, the national and selection medians, a trend."""
    every = federation.table()
    rows = federation.table({**filters, "year": year})
    return {"every": every, "rows": rows, "trend": federation.trend(code),
            "national": federation.medians(every), "selection": federation.medians(rows)}


@query(Permission.FEDERATION_VIEW, audited=True)  # the read across councils is recorded, and the record kept
def position_of(slug: str) -> dict:
    """Where one council stands among the others on each indicator (aggregates only)."""
    result = federation.position(slug)
    if not result:
        raise NotFound(_("Not found."))
    return result


@query(Permission.FEDERATION_VIEW)
def trend(indicator: str, council: str | None = None) -> dict:
    """An indicator over time from the daily snapshots: the median of all councils, or one council."""
    return {"indicator": indicator, "points": federation.trend(indicator, council)}


@query(None, audited=True)  # the read across councils is recorded, and the record kept
def public_comparison() -> dict:
    """The indicators of the councils that chose to appear in public comparisons."""
    rows = federation.table(public_only=True)
    return {"indicators": labels(), "rows": rows, "national_median": federation.medians(rows)}


@query(Permission.COUNCIL_VIEW, audited=True)  # the read across councils is recorded, and the record kept
def own_position() -> dict:
    """This council against the national and peer medians; the peers are not named."""
    council = db.session.get(Council, current_council_id())
    result = federation.position(council.slug)
    if not result:
        raise NotFound(_("Not found."))
    return result


@command(Permission.FEDERATION_OPT_IN)
def set_visibility(public: bool) -> dict:
    """Opt in (or out) of appearing by name in the federation's public comparisons."""
    council = db.session.get(Council, current_council_id())
    council.federation_public = public
    record("federation.visibility", None, {"public": public})
    return {"public": council.federation_public}
