"""Onboarding a new council in one step, whatever the entry point (CLI, API, operator pages)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from marshmallow import ValidationError, fields, validate, validates, validates_schema
from sqlalchemy import select

from konsey.core.accounts import CouncilRoleName, Invitation, User, create_invitation
from konsey.core.audit import record
from konsey.core.bylaws import default_bylaw_parameters
from konsey.core.db import db
from konsey.core.i18n import LANGUAGES
from konsey.core.platform_audit import record_platform_event
from konsey.core.schemas import StrictSchema
from konsey.tenants import reference
from konsey.tenants.models import Body, BodyKind, ByLawProfile, Council
from konsey.tenants.scoping import bound_council

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Top-level paths of the web app: a council slug can never take one of them.
RESERVED_SLUGS = frozenset(
    {"api", "static", "login", "logout", "account", "operator", "password", "invitations", "federation",
     "health", "lang", "admin", "public", "docs", "_dev"}
)


class OnboardingSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=3, max=200))
    slug = fields.String(required=True, validate=validate.Length(min=2, max=63))
    province_code = fields.Integer(required=True)
    municipality_id = fields.String(required=True, validate=validate.Length(min=1, max=32))
    contact_email = fields.Email(required=True)
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))
    motion_delivery_address = fields.String(required=True, validate=validate.Length(min=3, max=500))
    locale = fields.String(load_default="tr", validate=validate.OneOf(LANGUAGES))
    timezone = fields.String(load_default="Europe/Istanbul", validate=validate.Length(max=64))
    admin_email = fields.Email(required=True)
    neighbourhood_count = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=2000))

    @validates("slug")
    def _slug(self, value: str, **_kwargs) -> None:
        if not SLUG_PATTERN.match(value):
            raise ValidationError(_("Use lowercase letters, digits and single hyphens."))
        if value in RESERVED_SLUGS:
            raise ValidationError(_("This address is reserved."))

    @validates("province_code")
    def _province(self, value: int, **_kwargs) -> None:
        if reference.province(value) is None:
            raise ValidationError(_("Unknown province."))

    @validates("timezone")
    def _timezone(self, value: str, **_kwargs) -> None:
        from zoneinfo import available_timezones

        if value not in available_timezones():
            raise ValidationError(_("Unknown time zone."))

    @validates_schema
    def _municipality_in_province(self, data: dict, **_kwargs) -> None:
        municipality = reference.municipality(data.get("municipality_id", ""))
        if municipality is None:
            raise ValidationError(_("Unknown municipality."), field_name="municipality_id")
        if data.get("province_code") is not None and municipality.province_code != data["province_code"]:
            raise ValidationError(_("This municipality is not in the chosen province."), field_name="municipality_id")


class SlugTaken(ValidationError):
    def __init__(self):
        super().__init__({"slug": [_("A council with this address already exists.")]})


@dataclass
class Onboarded:
    council: Council
    invitation: Invitation
    invitation_secret: str


def onboard_council(data: dict, *, operator: User | None = None) -> Onboarded:
    """Create a council with its statutory bodies, default by-laws and the first administrator's invitation.

    ``data`` must already be loaded through :class:`OnboardingSchema`. The caller commits.
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
        profile = ByLawProfile(effective_from=date.today(), parameters=default_bylaw_parameters())
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
