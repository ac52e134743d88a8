"""The council's by-laws profile: versions by effective date, and adopting a new one."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import bylaws, plugins
from konsey.core.bylaws import ByLawProfile, profile_in_force
from konsey.core.elections import Election
from konsey.core.errors import Invalid, NotFound
from konsey.core.meetings import Meeting
from konsey.core.permissions import Permission
from konsey.schemas.bylaws import new_version_parameters
from konsey.tenants.db import db
from konsey.tenants.models import council_midnight, council_today
from konsey.usecases.base import command, query


@query(Permission.COUNCIL_VIEW)
def list_versions() -> list[ByLawProfile]:
    """Every version, oldest first."""
    return bylaws.versions()


@query(Permission.COUNCIL_VIEW)
def version_in_force(on: date | None = None) -> ByLawProfile:
    """The by-laws in force on a day (today by default)."""
    profile = profile_in_force(bylaws.versions(), on or council_today())
    if profile is None:
        raise NotFound(_("Not found."))
    return profile


@query(Permission.COUNCIL_VIEW)
def parameters_in_force(on: date | None = None) -> dict:
    return bylaws.parameters_on(on or council_today())


@query(Permission.COUNCIL_VIEW)
def assemblies_by_code() -> dict[str, str]:
    """The assemblies' body types the installed plugins bring, by code, as people name them: the plugin's title
    in the reader's language, else the body type's own name (the choices of the board's ex-officio list)."""
    titles = plugins.installed()
    return {kind.code: plugins.title_of(kind.code) if kind.code in titles else kind.name
            for kind in plugins.installed_body_types()}


@command(Permission.BYLAWS_MANAGE)
def adopt_version(changes: dict, effective_from: date | None) -> ByLawProfile:
    """Adopt a new version (after the general assembly approved it), effective today or later: the version in
    force then with ``changes`` applied, validated as a whole."""
    if effective_from is None:
        raise Invalid({"effective_from": [_("Give the date the new version takes effect.")]})
    # The version of the same day can be replaced while nothing was judged by it: no meeting and no election
    # from that day on (a council setting its own by-laws on the day it joined).
    since = council_midnight(effective_from)  # the council's day, not UTC's: 01:00 in İstanbul is that day's
    unused = db.session.scalar(select(Meeting.id).where(Meeting.scheduled_at >= since).limit(1)) is None and \
        db.session.scalar(select(Election.id).where(Election.term_start >= effective_from).limit(1)) is None
    parameters = new_version_parameters(changes, effective_from, replaceable=unused)
    return bylaws.adopt_version(parameters, effective_from, sorted(changes), replaceable=unused)
