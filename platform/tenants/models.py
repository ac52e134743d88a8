"""The council (tenant) and its statutory skeleton: bodies and the by-law profile."""

from __future__ import annotations

import enum
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from konsey.tenants.db import HasId, as_utc, db, enum_of, utcnow
from konsey.tenants.scoping import current_council_id


class CouncilStatus(enum.StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ARCHIVED = "archived"


class Council(HasId, db.Model):
    """One city's Kent Konseyi: the tenant. A platform table, not council-owned."""

    __tablename__ = "councils"

    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province_code: Mapped[int]
    municipality_id: Mapped[str] = mapped_column(String(32))
    municipality_name: Mapped[str] = mapped_column(String(200))
    municipality_type: Mapped[str] = mapped_column(String(32))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    motion_delivery_address: Mapped[str] = mapped_column(String(500))
    locale: Mapped[str] = mapped_column(String(8), default="tr")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Istanbul")
    status: Mapped[CouncilStatus] = mapped_column(
        enum_of(CouncilStatus, 16),
        default=CouncilStatus.ONBOARDING,
    )
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Neighbourhoods (mahalle) of the municipality: sets how many muhtars may be members.
    neighbourhood_count: Mapped[int | None]
    # The head of the council's audit chain (konsey.core.audit): detects entries cut off its end.
    # The council's choice to show its name in the federation's public comparisons (off until it opts in).
    federation_public: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Bumped on every plugin enable/reconfigure/disable: the key of each process's cached hook relay.
    plugins_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Bumped whenever a version of the by-laws is written: the key of each process's copy of them (bylaws.py).
    bylaws_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # Everyone with a role in the council signs in with a second factor (konsey.core.second_factors).
    require_two_factor: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Its staff may take a code sent by SMS (through the council's own SMS account) as their second factor.
    allow_sms_second_factor: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    audit_head_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    audit_head_hash: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_read_only(self) -> bool:
        return self.status in (CouncilStatus.SUSPENDED, CouncilStatus.ARCHIVED)

    def __repr__(self) -> str:
        return f"<Council {self.slug}>"


def _zone(council_id) -> ZoneInfo:
    council = db.session.get(Council, council_id) if council_id is not None else None
    return ZoneInfo(council.timezone if council is not None else "Europe/Istanbul")


def council_zone() -> ZoneInfo:
    """The bound council's time zone (the platform's when none is bound)."""
    return _zone(current_council_id())


def council_today():
    """Today's date where the bound council is (a decision recorded at 01:00 in İzmir is today's, not
    yesterday's as on the server's UTC clock); the platform's zone when no council is bound."""
    return utcnow().astimezone(_zone(current_council_id())).date()


def council_midnight(day, council_id=None) -> datetime:
    """The instant (UTC) at which ``day`` begins where the council is: İstanbul's 2 December begins at 21:00 UTC
    on 1 December, so a meeting at 22:00 UTC on 1 December is of the 2nd."""
    return datetime.combine(day, time.min, tzinfo=_zone(council_id or current_council_id())).astimezone(UTC)


def council_day(instant: datetime, council_id=None):
    """The calendar day of an instant where the council is (the given one, else the bound one): an answer
    recorded at 01:30 in İstanbul is of that day, not of the day before as its UTC date says."""
    return as_utc(instant).astimezone(_zone(council_id or current_council_id())).date()
