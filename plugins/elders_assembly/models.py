"""The elders' assembly's age band and its own records: the concerns older residents bring to it."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from konsey.pluginkit import AgeBand, CouncilOwned, db, enum_of, utcnow

NAME = "elders_assembly"
BAND = AgeBand(_l("The elders' assembly"), 60, None, lowest=50, highest=120)


class ConcernTheme(enum.StrEnum):
    HEALTH = "health"
    TRANSPORT = "transport"
    HOUSING = "housing"
    ACCESSIBILITY = "accessibility"
    SOCIAL_LIFE = "social_life"  # loneliness, meeting places, culture
    OTHER = "other"


THEME_LABELS = {
    ConcernTheme.HEALTH: _l("Health services"),
    ConcernTheme.TRANSPORT: _l("Transport"),
    ConcernTheme.HOUSING: _l("Housing"),
    ConcernTheme.ACCESSIBILITY: _l("Accessibility"),
    ConcernTheme.SOCIAL_LIFE: _l("Social life"),
    ConcernTheme.OTHER: _l("Other"),
}


class ConcernStatus(enum.StrEnum):
    OPEN = "open"
    ADDRESSED = "addressed"  # taken into a proposal of the assembly, or answered


class ElderConcern(CouncilOwned, db.Model):
    """A concern raised at the assembly, in its own words but naming nobody (the summary is kept for the
    assembly's work; a person's story stays with the person)."""

    __tablename__ = "elders_assembly_concerns"

    theme: Mapped[ConcernTheme] = mapped_column(enum_of(ConcernTheme, 20))
    summary: Mapped[str] = mapped_column(String(500))
    raised_on: Mapped[date] = mapped_column(Date)
    status: Mapped[ConcernStatus] = mapped_column(enum_of(ConcernStatus, 16), default=ConcernStatus.OPEN)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_elders_assembly_concerns_council_status", "council_id", "status"),)
