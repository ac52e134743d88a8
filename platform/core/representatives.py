"""Who acts for an institutional member: a named representative and substitute, each with a mandate letter
that expires. Only someone with a valid mandate on the day can be checked in (and vote) for the institution."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import Date, String, Uuid, func, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core.audit import record
from konsey.core.errors import Conflict, Invalid
from konsey.core.formats import day_text
from konsey.core.membership import Member, MemberCategory, MemberKind, MemberStatus
from konsey.core.rules.membership import university_representatives_allowed
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import council_today


class Capacity(enum.StrEnum):
    REPRESENTATIVE = "representative"
    SUBSTITUTE = "substitute"


class Representative(CouncilOwned, db.Model):
    __tablename__ = "representatives"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    capacity: Mapped[Capacity] = mapped_column(enum_of(Capacity, 16))
    name: Mapped[str] = mapped_column(String(200))
    mandate_letter: Mapped[str] = mapped_column(String(200))  # the letter's date and number, as written
    mandate_expires_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (
        db.Index("ix_representatives_council_member", "council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )

    def valid_on(self, day: date) -> bool:
        return day <= self.mandate_expires_on


def appoint(member: Member, capacity: Capacity, name: str, mandate_letter: str, expires_on: date) -> Representative:
    if member.kind is not MemberKind.INSTITUTIONAL:
        raise Invalid({"member_id": [_("Only institutional members act through representatives.")]})
    if expires_on < council_today():
        raise Invalid({"mandate_expires_on": [_("This mandate letter has already expired.")]})
    if capacity is Capacity.REPRESENTATIVE and member.category is MemberCategory.UNIVERSITY:
        check_university_representatives(member)
    representative = Representative(member_id=member.id, capacity=capacity, name=name,
                                    mandate_letter=mandate_letter, mandate_expires_on=expires_on)
    db.session.add(representative)
    db.session.flush()
    record("representative.appointed", representative, {"member": str(member.id), "capacity": capacity.value,
                                                        "expires_on": expires_on.isoformat()})
    return representative


def end_mandate(representative: Representative) -> None:
    """The institution withdraws the mandate: it stops being valid from today (the record stays)."""
    from datetime import timedelta

    yesterday = council_today() - timedelta(days=1)
    if representative.mandate_expires_on <= yesterday:
        raise Conflict({"representative_id": [_("This mandate has already ended.")]})
    representative.mandate_expires_on = yesterday
    record("representative.mandate_ended", representative, {"member": str(representative.member_id)})


def serving_representatives(member: Member, day: date | None = None) -> int:
    """How many representatives (not substitutes) act for the institution with a mandate valid on ``day``."""
    day = day or council_today()
    return sum(1 for rep in db.session.scalars(select(Representative).where(
        Representative.member_id == member.id, Representative.capacity == Capacity.REPRESENTATIVE))
        if rep.valid_on(day))


def check_university_representatives(member: Member) -> None:
    universities = db.session.scalar(select(func.count(Member.id)).where(
        Member.category == MemberCategory.UNIVERSITY, Member.status == MemberStatus.ACTIVE)) or 0
    allowed = university_representatives_allowed(universities)
    if serving_representatives(member) >= allowed:
        raise Invalid({"capacity": [_("A university sends at most %(allowed)d representative(s) while the "
                                              "council has %(universities)d university member(s).",
                                              allowed=allowed, universities=universities)]})


def mandated(member: Member, representative_id: uuid.UUID | None, day: date) -> Representative | None:
    """The representative acting for an institutional member on ``day``; refuses a missing or expired mandate."""
    if member.kind is not MemberKind.INSTITUTIONAL:
        return None
    if representative_id is None:
        raise Invalid({"representative_id": [_("Say who represents the institution.")]})
    representative = db.session.scalar(select(Representative).where(
        Representative.id == representative_id, Representative.member_id == member.id))
    if representative is None:
        raise Invalid({"representative_id": [_("This person does not represent the institution.")]})
    if not representative.valid_on(day):
        raise Invalid({"representative_id": [_("The mandate letter expired on %(date)s.",
                                                       date=day_text(representative.mandate_expires_on))]})
    return representative
