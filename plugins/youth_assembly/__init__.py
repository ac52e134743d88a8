"""Gençlik Meclisi — the youth assembly.

Young members of the council within an age band (15–29 by default; councils use 15–24 or 16–35 too) sit in
the youth assembly, which elects its president and board with the council's own election and parity rules.
Members age out on the day they pass the band. The assembly's president holds an ex-officio seat on the executive
board for the same term, unless the by-laws leave the assembly out of ``executive_board_ex_officio_assemblies``.
Built on the assembly kit of ``konsey.pluginkit`` (the age band, the board seat, the age-out job and command).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from konsey.pluginkit import (
    AgeBand,
    BodyType,
    Indicator,
    NavigationItem,
    Permission,
    hookimpl,
    only_seated_candidates,
    president_on_board,
)
from konsey.plugins.youth_assembly import usecases
from konsey.plugins.youth_assembly.band import BAND, NAME
from konsey.plugins.youth_assembly.views import pages

TITLE = _l("Youth assembly")  # the name people see on the assemblies page


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Gençlik Meclisi", president_on_board=True)]


konsey_config_schema, konsey_membership_eligibility = BAND.hooks(NAME, NAME)
konsey_candidate_eligibility = only_seated_candidates(NAME, _l("Only members of the youth assembly stand in its "
                                                                "elections."))
konsey_seat_assigned = president_on_board(NAME)


@hookimpl
def konsey_scheduled_jobs():
    return [AgeBand.daily_job("youth_assembly.age_out", usecases.end_aged_out_seats)]


@hookimpl
def konsey_cli_commands():
    return [AgeBand.command(NAME, usecases.end_aged_out_seats,
                            "End the youth-assembly seats of members who passed the age band today.")]


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Youth assembly"), "youth_assembly.index", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_blueprints():
    return [pages]


@hookimpl
def konsey_federation_indicators():
    def young_members() -> int:
        return usecases.seated_today()

    return [Indicator("youth_assembly_members", _l("Members of the youth assembly"), young_members)]
