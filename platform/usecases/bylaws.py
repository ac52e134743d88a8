"""The council's by-laws profile: versions by effective date, and adopting a new one."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from konsey.core import bylaws
from konsey.core.bylaws import ByLawProfile, profile_in_force
from konsey.core.errors import Invalid, NotFound
from konsey.core.permissions import Permission
from konsey.schemas.bylaws import new_version_parameters
from konsey.usecases.base import command, query


@query(Permission.COUNCIL_VIEW)
def list_versions() -> list[ByLawProfile]:
    """Every version, oldest first."""
    return bylaws.versions()


@query(Permission.COUNCIL_VIEW)
def version_in_force(on: date | None = None) -> ByLawProfile:
    profile = profile_in_force(bylaws.versions(), on or date.today())
    if profile is None:
        raise NotFound(_("Not found."))
    return profile


@query(Permission.COUNCIL_VIEW)
def parameters_in_force(on: date | None = None) -> dict:
    return bylaws.parameters_on(on or date.today())


@command(Permission.BYLAWS_MANAGE)
def adopt_version(changes: dict, effective_from: date | None) -> ByLawProfile:
    """Adopt a new version (after the general assembly approved it), effective today or later: the version in
    force then with ``changes`` applied, validated as a whole."""
    if effective_from is None:
        raise Invalid({"effective_from": [_("Give the date the new version takes effect.")]})
    parameters = new_version_parameters(changes, effective_from)
    return bylaws.adopt_version(parameters, effective_from, sorted(changes))
