"""What the youth assembly's page shows: its members, and who could join within the age band."""

from __future__ import annotations

from datetime import date

from konsey.pluginkit import (
    Body,
    Permission,
    body_of_type,
    command,
    council_today,
    db,
    members_and_candidates,
    plugin_config,
    query,
    seats_on,
)
from konsey.plugins.youth_assembly.band import BAND, NAME


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def overview(today: date | None = None) -> dict:
    today = today or council_today()
    settings = plugin_config(NAME) or {}  # a disabled plugin's page is read-only: the band's defaults
    low, high = BAND.bounds(settings)
    page = members_and_candidates(assembly(), lambda m: BAND.in_band(m.birth_date, today, settings), today)
    return {**page, "settings": {"age_min": low, "age_max": high}}


@command(Permission.BODIES_MANAGE)
def end_aged_out_seats() -> int:
    """End the youth-assembly seats of members who passed the age band today (daily, and by hand)."""
    return BAND.end_aged_out_seats(assembly(), plugin_config(NAME))


def seated_today() -> int:
    """How many sit in the youth assembly today (the federation's indicator)."""
    body = db.session.scalar(db.select(Body).where(Body.type_code == NAME))
    return len(seats_on(body, council_today())) if body is not None else 0
