"""People with access to the council: their roles, invitations to new ones, removing a role."""

from __future__ import annotations

import uuid

from flask_babel import gettext as _

from konsey.core import people
from konsey.core.accounts import CouncilRole, CouncilRoleName, Invitation, User
from konsey.core.errors import NotFound
from konsey.core.permissions import Permission
from konsey.schemas.people import InvitationInputSchema
from konsey.tenants.db import db
from konsey.tenants.models import Council
from konsey.tenants.scoping import current_council_id
from konsey.usecases.base import command, current_actor, loaded, query


def _council() -> Council:
    return db.session.get(Council, current_council_id())


def acting_user() -> User | None:
    """The account of the person acting now (None for the system)."""
    user_id = current_actor().user_id
    return db.session.get(User, user_id) if user_id else None


@query(Permission.ROLES_MANAGE)
def list_people() -> list[CouncilRole]:
    """The people with a role in the council, and their roles."""
    return people.people_of(_council())


@query(Permission.ROLES_MANAGE)
def open_invitations() -> list[Invitation]:
    return people.open_invitations(_council())


@query(Permission.COUNCIL_VIEW)
def people_overview() -> list[CouncilRole]:
    """Who holds which role (the dashboard's list of the council's people)."""
    return people.people_of(_council())


@command(Permission.ROLES_MANAGE, takes=InvitationInputSchema)
def invite(data: dict) -> Invitation:
    """Invite someone to a role in the council by e-mail; the link is on ``invitation_url`` (shown once)."""
    data = loaded(data)
    invitation, url = people.invite(_council(), data["email"], CouncilRoleName(data["role"]), acting_user())
    invitation.invitation_url = url
    return invitation


@command(Permission.ROLES_MANAGE)
def revoke_role(grant_id: uuid.UUID) -> None:
    """Remove a person's role in the council (never the last administrator's)."""
    grant = people.grant_in(_council(), grant_id)
    if grant is None:
        raise NotFound(_("Not found."))
    people.revoke(grant)
