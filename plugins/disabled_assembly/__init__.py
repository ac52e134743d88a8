"""Engelli Meclisi — the disabled people's assembly.

People with disabilities and their organisations take part; carers and assistants accompany members as
supporters (no seat, no vote). Membership of this assembly says something about a person's health — a special
category of personal data (KVKK art. 6) — so a person joins only with their explicit, dated consent on record.
The assembly elects its facilitators with the council's own rules; where the by-laws say so its president holds
an ex-officio seat on the executive board for the same term (the board's composition rule counts it). It gathers
the accessibility requests for the council's meetings (sign language, captions, step-free access, …), which the
federation compares as a count (suppressed under five like every count).

Written against the public hooks and ``konsey.pluginkit`` only, as a third party would.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields

from konsey.pluginkit import (
    BodyType,
    Indicator,
    MemberKind,
    NavigationItem,
    Permission,
    db,
    hookimpl,
    plugin_config,
    president_on_board,
)
from konsey.plugins.disabled_assembly.usecases import ORGANISATIONS
from konsey.plugins.disabled_assembly.views import api, pages

NAME = "disabled_assembly"
TITLE = _l("Disabled people's assembly")  # the name people see on the assemblies page



class Settings(Schema):
    organisations_take_part = fields.Boolean(
        load_default=True, metadata={"label": _l("Organisations of persons with disabilities take part")})


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Engelli Meclisi", president_on_board=True)]


def _is_ours(body) -> bool:
    return body.type_code == NAME


@hookimpl
def konsey_membership_eligibility(body, member, on):
    if not _is_ours(body):
        return None
    from konsey.plugins.disabled_assembly.models import ExplicitConsent  # the models need the app's metadata

    if member.kind is MemberKind.INSTITUTIONAL:
        if not plugin_config(NAME).get("organisations_take_part", True):
            return [_("In this council the disabled people's assembly is for people, not organisations.")]
        if member.category not in ORGANISATIONS:
            return [_("Organisations of persons with disabilities take part (associations, foundations, "
                      "federations).")]
        return None
    consent = db.session.scalar(db.select(ExplicitConsent.id).where(ExplicitConsent.member_id == member.id))
    if consent is None:
        return [_("Record the member's explicit consent first: membership of this assembly reveals health "
                  "data (KVKK art. 6).")]
    return None


# The president's ex-officio seat on the executive board (the Regulation), unless the by-laws leave the assembly out.
konsey_seat_assigned = president_on_board(NAME)


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Disabled people's assembly"), f"{NAME}.index", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_blueprints():
    return [pages, api]


@hookimpl
def konsey_federation_indicators():
    def accessibility_requests() -> int:
        from konsey.plugins.disabled_assembly.usecases import (
            requests_in_last_year,  # imports the views' package
        )

        return requests_in_last_year()

    return [Indicator("disabled_assembly_accessibility_requests",
                      _l("Accessibility requests for meetings (last 12 months)"), accessibility_requests)]


@hookimpl
def konsey_migrations_dir():
    return str(Path(__file__).parent / "migrations")
