"""What the youth assembly's page shows: its members, and who could join within the age band."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from konsey.pluginkit import (
    Body,
    Member,
    MemberKind,
    MemberStatus,
    Permission,
    body_of_type,
    command,
    council_today,
    db,
    plugin_config,
    query,
    seats_on,
)

NAME = "youth_assembly"


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def overview(today: date | None = None) -> dict:
    from konsey.plugins.youth_assembly import in_band  # the package imports this module's views: a real cycle

    body = assembly()
    today = today or council_today()
    seats = seats_on(body, today)
    seated = {s.member_id for s in seats}
    settings = plugin_config(NAME) or {"age_min": 15, "age_max": 29}  # a disabled plugin's page is read-only
    candidates = [m for m in db.session.scalars(select(Member).where(
        Member.status == MemberStatus.ACTIVE, Member.kind == MemberKind.INDIVIDUAL).order_by(Member.sort_name))
        if m.id not in seated and in_band(m.birth_date, today, settings)]
    return {"body": body, "seats": seats, "candidates": candidates, "settings": settings}


@command(Permission.BODIES_MANAGE)
def end_aged_out_seats() -> int:
    """End the youth-assembly seats of members who passed the age band today (daily, and by hand)."""
    from konsey.plugins.youth_assembly import age_out  # the package imports this module's views: a real cycle

    return age_out()
