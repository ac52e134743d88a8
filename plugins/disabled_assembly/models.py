"""The disabled people's assembly's own records: each member's explicit consent (membership of this assembly says
something about health: a special category of personal data, KVKK art. 6), the carers who support members, and
the accessibility requests the assembly gathers for the council's meetings."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Date, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from konsey.pluginkit import Category, CouncilOwned, Sealed, db, enum_of, same_council_fk, utcnow


class ExplicitConsent(CouncilOwned, db.Model):
    """The member's explicit consent to being known as a member of the assembly (given on a form, dated)."""

    __tablename__ = "disabled_assembly_consents"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    given_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


class Supporter(CouncilOwned, db.Model):
    """A carer or assistant who accompanies a member of the assembly: a supporter, with no vote and no seat."""

    __tablename__ = "disabled_assembly_supporters"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the member supported
    # Sealed: that someone accompanies a member says something about the member's health.
    name_sealed: Mapped[str] = mapped_column("name", Text)
    name = Sealed(Category.HEALTH, _l("carers of the assembly's members"), _l("the assembly's meetings (a carer's seat)"),
                  _l("KVKK art. 6/3: the member's explicit consent"), label=_l("Carer's name"), record=_l("Member"),
                  subject=("members", "member_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (same_council_fk("member_id", "members", ondelete="CASCADE"),)


class AccessKind(enum.StrEnum):
    SIGN_LANGUAGE = "sign_language"
    CAPTIONS = "captions"
    STEP_FREE_ACCESS = "step_free_access"
    BRAILLE_OR_LARGE_PRINT = "braille_or_large_print"
    ASSISTANT_SEAT = "assistant_seat"
    OTHER = "other"


class AccessibilityRequest(CouncilOwned, db.Model):
    """What a meeting needs so everyone can take part (no name: the need, not the person)."""

    __tablename__ = "disabled_assembly_access_requests"

    kind: Mapped[AccessKind] = mapped_column(enum_of(AccessKind, 32))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    note_sealed: Mapped[str | None] = mapped_column("note", Text)
    note = Sealed(Category.HEALTH, _l("members of the assembly"), _l("making the council's meetings accessible"),
                  _l("KVKK art. 6/3: the member's explicit consent"), label=_l("Accessibility note"),
                  record=_l("Accessibility request"))
    requested_on: Mapped[date] = mapped_column(Date)
    met: Mapped[bool] = mapped_column(Boolean, default=False)

    __council_table_args__ = (
        db.Index("ix_disabled_assembly_access_requests_council_day", "council_id", "requested_on"),
        same_council_fk("meeting_id", "meetings", ondelete="SET NULL"),
    )
