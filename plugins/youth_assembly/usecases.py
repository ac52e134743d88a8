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
    plugin_config,
    query,
    seats_on,
)
from konsey.plugins.youth_assembly.band import BAND, NAME


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def overview(today: date | None = None) -> dict:
    # A disabled plugin's page is read-only: without its settings, the band's defaults.
    return BAND.page(assembly(), plugin_config(NAME) or {}, today)


@command(Permission.BODIES_MANAGE)
def end_aged_out_seats() -> int:
    """End the youth-assembly seats of members who passed the age band today (daily, and by hand)."""
    return BAND.end_aged_out_seats(assembly(), plugin_config(NAME))


def seated_today() -> int:
    """How many sit in the youth assembly today (the federation's indicator)."""
    body = db.session.scalar(db.select(Body).where(Body.type_code == NAME))
    return len(seats_on(body, council_today())) if body is not None else 0
