"""A council joining the platform (onboarding in one step: bodies, by-laws, first administrator) and moving
through its lifecycle (onboarding → active ⇄ suspended → archived)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import reference
from konsey.core.accounts import CouncilRoleName, Invitation, User, create_invitation
from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import ByLawProfile, default_bylaw_parameters
from konsey.core.errors import Conflict
from konsey.tenants.db import db, utcnow
from konsey.tenants.lifecycle import check_transition
from konsey.tenants.models import Council, CouncilStatus, council_today
from konsey.tenants.platform_audit import record_platform_event
from konsey.tenants.scoping import bound_council

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Top-level paths of the web app: a council slug can never take one of them.
RESERVED_SLUGS = frozenset(
    {"api", "static", "login", "logout", "account", "operator", "password", "invitations", "federation",
     "health", "lang", "admin", "public", "docs", "_dev"}
)


class SlugTaken(Conflict):
    def __init__(self):
        super().__init__({"slug": [_("A council with this address already exists.")]})


@dataclass
class Onboarded:
    council: Council
    invitation: Invitation
    invitation_secret: str


def onboard_council(data: dict, *, operator: User | None = None) -> Onboarded:
    """Create a council with its statutory bodies, default by-laws and the first administrator's invitation.

    ``data`` must already be loaded through :class:`konsey.schemas.councils.OnboardingSchema`. The caller commits.
    """
    if db.session.scalar(select(Council.id).where(Council.slug == data["slug"])) is not None:
        raise SlugTaken()
    municipality = reference.municipality(data["municipality_id"])
    council = Council(
        slug=data["slug"],
        name=data["name"],
        province_code=data["province_code"],
        municipality_id=municipality.id,
        municipality_name=municipality.name,
        municipality_type=municipality.type,
        contact_email=data["contact_email"],
        contact_phone=data.get("contact_phone"),
        motion_delivery_address=data["motion_delivery_address"],
        locale=data.get("locale", "tr"),
        timezone=data.get("timezone", "Europe/Istanbul"),
        neighbourhood_count=data.get("neighbourhood_count"),
    )
    db.session.add(council)
    db.session.flush()
    with bound_council(council.id):
        profile = ByLawProfile(effective_from=council_today(), parameters=default_bylaw_parameters())
        db.session.add_all(
            [
                Body(kind=BodyKind.GENERAL_ASSEMBLY, name="Genel Kurul"),
                Body(kind=BodyKind.EXECUTIVE_BOARD, name="Yürütme Kurulu"),
                profile,
            ]
        )
        db.session.flush()
        record("council.onboarded", council, {"slug": council.slug},
               actor_id=operator.id if operator else None)
        record("bylaws.adopted", profile, {"effective_from": profile.effective_from.isoformat(), "defaults": True},
               actor_id=operator.id if operator else None)
    invitation, secret = create_invitation(
        council.id, data["admin_email"], CouncilRoleName.ADMINISTRATOR, invited_by=operator
    )
    record_platform_event(
        "council.onboarded", council_id=council.id, actor_id=operator.id if operator else None,
        details={"slug": council.slug, "admin_email": invitation.email},
    )
    return Onboarded(council, invitation, secret)


def change_status(council: Council, target: CouncilStatus, *, export_acknowledged: bool = False, reason: str = "") -> None:
    check_transition(council.status, target, export_acknowledged=export_acknowledged)
    previous = council.status
    council.status = target
    council.status_changed_at = utcnow()
    with bound_council(council.id):
        # The operator's words go to the platform log below; the council's chain keeps no free text.
        record("council.status", council, {"from": previous.value, "to": target.value, "reason_given": bool(reason)})
    record_platform_event(
        "council.status",
        council_id=council.id,
        reason=reason or None,
        details={"from": previous.value, "to": target.value},
    )
