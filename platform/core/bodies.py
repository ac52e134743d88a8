"""The council's bodies: general assembly, executive board, assemblies and working groups."""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Invalid
from konsey.tenants.db import CouncilOwned, db, enum_of, utcnow


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


def create_body(kind: BodyKind, name: str, proposal: str | None = None) -> Body:
    """The executive board proposes an assembly or a working group; it works once the assembly approves it."""
    if kind in (BodyKind.GENERAL_ASSEMBLY, BodyKind.EXECUTIVE_BOARD):
        raise Invalid({"kind": [_("A council has exactly one general assembly and one executive board.")]})
    body = Body(kind=kind, name=name, status=BodyStatus.PROPOSED, proposal=proposal)
    db.session.add(body)
    db.session.flush()
    record("body.proposed", body, {"kind": kind.value})
    return body
