"""Yaşlılar Meclisi — the elders' assembly.

The council's members from an age (60 by default; councils use 60 or 65) sit in the elders' assembly. It elects
its president and board with the council's own rules, and records the concerns older residents bring to it
(health services, transport, housing, accessibility, loneliness) so that its proposals can be prepared from them.

The proof that an assembly is one folder: built on the assembly kit of ``konsey.pluginkit`` (the age band, the
candidates, the page's members and candidates), with its own table and migration here; nothing outside this
folder names it but one line of ``pyproject.toml``'s package list.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import lazy_gettext as _l

from konsey.pluginkit import BodyType, Indicator, NavigationItem, Permission, hookimpl, only_seated_candidates
from konsey.plugins.elders_assembly import usecases
from konsey.plugins.elders_assembly.models import BAND, NAME
from konsey.plugins.elders_assembly.views import api, pages

TITLE = _l("Elders' assembly")  # the name people see on the assemblies page


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Yaşlılar Meclisi")]  # the Regulation gives its president no board seat


konsey_config_schema, konsey_membership_eligibility = BAND.hooks(NAME, NAME)
konsey_candidate_eligibility = only_seated_candidates(NAME, _l("Only members of the elders' assembly stand in "
                                                                "its elections."))


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Elders' assembly"), f"{NAME}.index", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_blueprints():
    return [pages, api]


@hookimpl
def konsey_federation_indicators():
    return [Indicator("elders_assembly_open_concerns", _l("Concerns the elders' assembly is working on"),
                      usecases.open_concern_count)]


@hookimpl
def konsey_migrations_dir():
    return str(Path(__file__).parent / "migrations")
