"""Members of the council: add, change, erase (the rest of the members domain still lives in its views)."""

from __future__ import annotations

import uuid

from konsey.core import membership
from konsey.core.membership import Member
from konsey.core.permissions import Permission
from konsey.schemas.members import MemberInputSchema
from konsey.usecases.base import command, one, query


@query(Permission.MEMBERS_VIEW)
def show_member(member_id: uuid.UUID) -> Member:
    return one(Member, member_id)


@command(Permission.MEMBERS_MANAGE)
def update_member(member_id: uuid.UUID, data: dict) -> Member:
    """Apply a partial change; the member as it would then be is validated as a whole first."""
    member = one(Member, member_id)
    schema = MemberInputSchema()
    current = {k: v for k, v in schema.dump(member).items() if v is not None}
    schema.load({**current, **schema.dump(data)})  # a ValidationError names the field (422)
    return membership.update_member(member, data)


@command(Permission.MEMBERS_MANAGE)
def erase_member(member_id: uuid.UUID) -> None:
    """Erase a member's record (KVKK erasure request)."""
    membership.remove_member(one(Member, member_id))
