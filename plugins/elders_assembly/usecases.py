"""What the elders' assembly does: its page (members, who could join, the concerns), and recording a concern
and marking it addressed."""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.pluginkit import (
    Body,
    Conflict,
    Permission,
    body_of_type,
    command,
    db,
    loaded,
    one,
    plugin_config,
    query,
    record,
)
from konsey.plugins.elders_assembly.models import BAND, NAME, ConcernStatus, ElderConcern
from konsey.plugins.elders_assembly.schemas import NewConcernSchema


def assembly() -> Body:
    return body_of_type(NAME)


@query(Permission.COUNCIL_VIEW)
def overview(today: date | None = None) -> dict:
    """The assembly's members, the council's members who could join it (by the age band), and its concerns,
    the open ones first."""
    # A disabled plugin's page is read-only: without its settings, the band's defaults.
    return {**BAND.page(assembly(), plugin_config(NAME) or {}, today), "concerns": list_concerns()}


@query(Permission.COUNCIL_VIEW)
def list_concerns() -> list[ElderConcern]:
    """The concerns raised at the assembly, open ones first, the latest first."""
    return db.session.scalars(select(ElderConcern).order_by(
        ElderConcern.status == ConcernStatus.ADDRESSED, ElderConcern.raised_on.desc(),
        ElderConcern.created_at.desc()).limit(500)).all()


@command(Permission.REPORTS_WRITE, takes=NewConcernSchema)
def record_concern(data: dict) -> ElderConcern:
    """Record a concern raised at the assembly (its theme, a summary naming nobody, the day it was raised)."""
    assembly()  # a council without the assembly has nowhere to raise it
    data = loaded(data)
    concern = ElderConcern(theme=data["theme"], summary=data["summary"].strip(),
                           raised_on=data["raised_on"])
    db.session.add(concern)
    db.session.flush()
    record("elders_assembly.concern_recorded", concern, {"theme": concern.theme.value})  # no free text
    return concern


@command(Permission.REPORTS_WRITE)
def mark_addressed(concern_id: uuid.UUID) -> ElderConcern:
    """The concern was taken into one of the assembly's proposals, or answered."""
    concern = one(ElderConcern, concern_id)
    if concern.status is ConcernStatus.ADDRESSED:
        raise Conflict({"status": [_("This concern is already addressed.")]})
    concern.status = ConcernStatus.ADDRESSED
    record("elders_assembly.concern_addressed", concern)
    return concern


def open_concern_count() -> int:
    """The federation's indicator: how many concerns the assembly is working on."""
    return db.session.scalar(select(func.count(ElderConcern.id)).where(
        ElderConcern.status == ConcernStatus.OPEN)) or 0
