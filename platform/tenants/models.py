"""The council (tenant) and its statutory skeleton: bodies and the by-law profile."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, String, Uuid
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.db import CouncilOwned, HasId, db, enum_of, utcnow


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
    audit_head_seq: Mapped[int] = mapped_column(default=0, server_default="0")
    audit_head_hash: Mapped[str | None] = mapped_column(String(64))

    @property
    def is_read_only(self) -> bool:
        return self.status in (CouncilStatus.SUSPENDED, CouncilStatus.ARCHIVED)

    def __repr__(self) -> str:
        return f"<Council {self.slug}>"


class BodyKind(enum.StrEnum):
    GENERAL_ASSEMBLY = "general_assembly"
    EXECUTIVE_BOARD = "executive_board"
    ASSEMBLY = "assembly"
    WORKING_GROUP = "working_group"


class BodyStatus(enum.StrEnum):
    PROPOSED = "proposed"  # the executive board proposed it; the general assembly has not approved it yet
    ACTIVE = "active"
    DISSOLVED = "dissolved"


class Body(CouncilOwned, db.Model):
    """A body of the council: general assembly, executive board, an assembly or a working group.

    Assemblies and working groups are proposed by the executive board and take up work once the general
    assembly approves them (``approved_decision``: the general assembly's decision number).
    """

    __tablename__ = "bodies"

    kind: Mapped[BodyKind] = mapped_column(enum_of(BodyKind))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[BodyStatus] = mapped_column(enum_of(BodyStatus, 16), default=BodyStatus.ACTIVE,
                                               server_default=BodyStatus.ACTIVE.value)
    type_code: Mapped[str | None] = mapped_column(String(64))  # a plugin's body type (children_assembly…)
    proposal: Mapped[str | None] = mapped_column(String(300))  # the board's proposal (decision number, note)
    approved_decision: Mapped[str | None] = mapped_column(String(20))
    approved_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.Index("ix_bodies_council_kind", "council_id", "kind"),)


class ByLawProfile(CouncilOwned, db.Model):
    """One version of the council's by-laws (yönerge) parameters, in force from ``effective_from``."""

    __tablename__ = "bylaw_profiles"

    effective_from: Mapped[date] = mapped_column(Date)
    parameters: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "effective_from"),
    )
