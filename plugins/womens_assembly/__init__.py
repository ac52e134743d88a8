"""Kadın Meclisi — the women's assembly.

Open to women living in the city, individually or as the representatives of institutions. It watches gender
equality across every body of the council (the monitor: the share of women per body and office against the
by-laws' parity share) and may attach a gender-impact note to a motion's package.
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
    PackageFile,
    Permission,
    hookimpl,
    plugin_config,
    president_on_board,
)
from konsey.plugins.womens_assembly.models import note_for
from konsey.plugins.womens_assembly.monitor import women_share_in_decision_bodies
from konsey.plugins.womens_assembly.views import api, pages

NAME = "womens_assembly"
TITLE = _l("Women's assembly")  # the name people see on the assemblies page


class Settings(Schema):
    city_residents_only = fields.Boolean(load_default=True, metadata={"label": _l("Only women who live in the city")})


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Kadın Meclisi", president_on_board=True)]


@hookimpl
def konsey_membership_eligibility(body, member, on):
    if body.type_code != NAME or member.kind is MemberKind.INSTITUTIONAL:
        return None  # institutions take part through the woman they name
    reasons = []
    if member.gender is None or member.gender.value != "female":
        reasons.append(_("The women's assembly is open to women."))
    if plugin_config(NAME).get("city_residents_only", True) and not member.neighbourhood:
        reasons.append(_("Record the neighbourhood she lives in: the assembly is open to women living in the city."))
    return reasons or None


# The president's ex-officio seat on the executive board (the Regulation names the women's assembly among the
# three), unless the by-laws leave the assembly out: she had none before the assembly kit, and the board was
# reported short of her until she was seated by hand.
konsey_seat_assigned = president_on_board(NAME)


@hookimpl
def konsey_blueprints():
    return [pages, api]


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Gender equality"), "womens_assembly.monitor", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_motion_package_files(motion):
    note = note_for(motion.id)
    if note is None:
        return None
    text = f"{_('Gender-impact note')}\n\n{note.text}\n"
    return [PackageFile("cinsiyet-etki-notu.txt", text.encode("utf-8"), _("Gender-impact note"))]


@hookimpl
def konsey_federation_indicators():
    return [Indicator("women_share_decision_bodies", _l("Share of women in decision bodies"),
                      women_share_in_decision_bodies)]


@hookimpl
def konsey_migrations_dir():
    return str(Path(__file__).parent / "migrations")
