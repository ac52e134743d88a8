"""Who acts for an institutional member: a named representative and substitute, each with a mandate letter
that expires. Only someone with a valid mandate on the day can be checked in (and vote) for the institution."""

from __future__ import annotations

import uuid
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.core.audit import record
from konsey.core.errors import Conflict, Invalid
from konsey.core.formats import day_text

# An institution's representatives are part of its membership record: the model is membership's, which checks
# them when a university joins; the steps with them are here.
from konsey.core.membership import (
    Capacity,
    Member,
    MemberCategory,
    MemberKind,
    MemberStatus,
    Representative,
    serving_representatives,
)
from konsey.core.rules.membership import university_representatives_allowed
from konsey.tenants.db import db
from konsey.tenants.models import council_today


def appoint(member: Member, capacity: Capacity, name: str, mandate_letter: str, expires_on: date, *,
            mobile: str | None = None) -> Representative:
    if member.kind is not MemberKind.INSTITUTIONAL:
        raise Invalid({"member_id": [_("Only institutional members act through representatives.")]})
    if expires_on < council_today():
        raise Invalid({"mandate_expires_on": [_("This mandate letter has already expired.")]})
    if capacity is Capacity.REPRESENTATIVE and member.category is MemberCategory.UNIVERSITY:
        check_university_representatives(member)
    representative = Representative(member_id=member.id, capacity=capacity, name=name,
                                    mandate_letter=mandate_letter, mandate_expires_on=expires_on, mobile=mobile)
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
