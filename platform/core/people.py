"""Who has access to a council, with which role: listing, inviting and revoking."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, select

from konsey.core.accounts import CouncilRole, CouncilRoleName, Invitation, User, create_invitation
from konsey.core.audit import record
from konsey.core.errors import Conflict
from konsey.core.invitations import send_invitation
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.tenants.scoping import bound_council


def people_of(council: Council) -> list[CouncilRole]:
    return db.session.scalars(
        select(CouncilRole).join(User).where(CouncilRole.council_id == council.id).order_by(User.display_name)
    ).all()


def open_invitations(council: Council) -> list[Invitation]:
    return [
        i for i in db.session.scalars(
            select(Invitation).where(Invitation.council_id == council.id).order_by(Invitation.created_at.desc())
        )
        if i.is_open
    ]


def invite(council: Council, email: str, role: CouncilRoleName, invited_by: User) -> tuple[Invitation, str]:
    """Invite someone to the council with a role; returns the invitation and its one-time link."""
    invitation, secret = create_invitation(council.id, email, role, invited_by=invited_by)
    db.session.flush()
    with bound_council(council.id):
        record("invitation.sent", invitation, {"role": role.value})
    return invitation, send_invitation(council, invitation, secret)


def grant_in(council: Council, grant_id: uuid.UUID) -> CouncilRole | None:
    return db.session.scalar(
        select(CouncilRole).where(CouncilRole.id == grant_id, CouncilRole.council_id == council.id)
    )


def revoke(grant: CouncilRole) -> None:
    """Remove a role; the last administrator cannot be removed (the council would be left unmanaged)."""
    if grant.role is CouncilRoleName.ADMINISTRATOR:
        administrators = db.session.scalar(
            select(func.count(CouncilRole.id)).where(
                CouncilRole.council_id == grant.council_id, CouncilRole.role == CouncilRoleName.ADMINISTRATOR
            )
        )
        if administrators <= 1:
            raise Conflict({"role": [_("The council's last administrator cannot be removed.")]})
    with bound_council(grant.council_id):
        record("role.revoked", grant, {"user": str(grant.user_id), "role": grant.role.value})
    db.session.delete(grant)
