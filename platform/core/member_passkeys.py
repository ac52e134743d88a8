"""Passkeys members add on their phone, to confirm it is them when they open a meeting link where the by-laws ask
for it (``strong_sign_in_for``) without waiting for a code by SMS.

A member has no account: the passkey belongs to their membership record, in their council, and is added only from
a phone page already confirmed by a code (konsey.core.passes). Only its public key is kept; it goes with the record.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String, Uuid, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import second_factors
from konsey.core.membership import Member
from konsey.tenants.db import CouncilOwned, db, same_council_fk, utcnow


class MemberPasskey(CouncilOwned, db.Model):
    __tablename__ = "member_passkeys"

    member_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    __council_table_args__ = (
        db.UniqueConstraint("council_id", "credential_id"),
        db.Index("ix_member_passkeys_council_member", "council_id", "member_id"),
        same_council_fk("member_id", "members", ondelete="CASCADE"),
    )


def of_member(member_id: uuid.UUID) -> list[MemberPasskey]:
    return list(db.session.scalars(select(MemberPasskey).where(MemberPasskey.member_id == member_id)
                                   .order_by(MemberPasskey.created_at)))


def remove_all(member: Member) -> int:
    """The member's passkeys go (a phone lost or passed on); how many."""
    return db.session.execute(delete(MemberPasskey).where(MemberPasskey.member_id == member.id)).rowcount or 0


def registration_options(member: Member, rp_id: str) -> tuple[str, bytes]:
    return second_factors.passkey_registration(member.id, f"member-{member.member_no}", member.name,
                                               of_member(member.id), rp_id)


def register(member: Member, credential: dict, challenge: bytes, rp_id: str, origin: str,
             name: str) -> MemberPasskey:
    credential_id, public_key, count = second_factors.verified_registration(credential, challenge, rp_id, origin)
    passkey = MemberPasskey(member_id=member.id, credential_id=credential_id, public_key=public_key,
                            sign_count=count, name=name)
    db.session.add(passkey)
    db.session.flush()
    return passkey


def authentication_options(member: Member, rp_id: str) -> tuple[str, bytes]:
    return second_factors.passkey_authentication(of_member(member.id), rp_id)


def signed_by_member(member: Member, credential: dict, challenge: bytes, rp_id: str, origin: str) -> bool:
    """Whether the phone's answer is signed by one of the member's passkeys for this challenge."""
    credential_id = second_factors.credential_id_of(credential)
    passkey = credential_id and db.session.scalar(select(MemberPasskey).where(
        MemberPasskey.member_id == member.id, MemberPasskey.credential_id == credential_id))
    return bool(passkey) and second_factors.signed_by(passkey, credential, challenge, rp_id, origin)
