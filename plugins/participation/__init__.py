"""Katılım — the city's voice: residents bring proposals, back them, join working groups and comment on drafts.

A resident opens an account with the council (an e-mail address, a name, a neighbourhood; no identity number),
proposes something for the city under one of the working groups' themes, and others support it. At the number of
supports the by-laws set (``proposal_supports_needed``, or a share of the municipality's population,
``proposal_supports_share``) the proposal goes onto that working group's agenda (the executive board's, which
assigns it, where it has no theme). The proposal's page then follows it through the council's own records: the
group's report, the decision that adopted it, the motion to the municipal council, the municipality's answer and
the implementation's steps. Working groups take residents as participants; drafts (a group's report, the board's
by-laws) are published for comment paragraph by paragraph, and every comment is answered before the text is
adopted. The secretariat moderates with a public reason; the audit chain records each step, never a text.

Built on the public hooks and ``konsey.pluginkit`` only, as a third party would build it.
"""

from __future__ import annotations

from pathlib import Path

from flask import g
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from konsey.pluginkit import Indicator, NavigationItem, Permission, hookimpl
from konsey.plugins.participation import usecases
from konsey.plugins.participation.views import api, pages

NAME = "participation"
TITLE = _l("Residents' participation")


class Settings(Schema):
    neighbourhoods = fields.List(fields.String(validate=validate.Length(min=2, max=120)), load_default=list,
                                 validate=validate.Length(max=2000),
                                 metadata={"label": _l("Neighbourhoods of the municipality"),
                                           "description": _l("Residents choose theirs from this list; empty: they type it.")})


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_bylaw_fields():
    return {
        "proposal_supports_needed": fields.Integer(load_default=50, validate=validate.Range(min=1, max=1_000_000),
                                                   metadata={"label": _l("Supports a resident's proposal needs"),
                                                             "description": _l("Supports that put a resident's "
                                                                               "proposal on a body's agenda.")}),
        "proposal_supports_share": fields.Float(load_default=None, allow_none=True,
                                                validate=validate.Range(min=0.000001, max=0.1),
                                                metadata={"label": _l("…or this share of the population"),
                                                          "description": _l("Where set, the supports needed are "
                                                                            "this share of the municipality's "
                                                                            "population, rounded up.")}),
    }


@hookimpl
def konsey_blueprints():
    return [pages, api]


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Residents' proposals"), f"{NAME}.index", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_public_links():
    return [NavigationItem(_l("Residents' proposals"), f"{NAME}.index"),
            NavigationItem(_l("Working groups open to residents"), f"{NAME}.groups"),
            NavigationItem(_l("Drafts open for comment"), f"{NAME}.drafts")]


def _indicator(code: str):
    """One figure of the council's: the four are worked out once per council and app context (the federation asks
    for each in turn)."""

    def compute():
        memo = g.setdefault("participation_indicators", {})
        council_id = usecases.current_council_id()
        if council_id not in memo:
            memo[council_id] = usecases.indicators()
        return memo[council_id][code]

    return compute


@hookimpl
def konsey_federation_indicators():
    return [
        Indicator("proposals_per_10000", _l("Residents' proposals per 10,000 inhabitants"),
                  _indicator("proposals_per_10000")),
        Indicator("proposals_reaching_a_body_share", _l("Share of proposals that reached a body"),
                  _indicator("proposals_reaching_a_body_share")),
        Indicator("proposal_days_to_decision", _l("Median days from a proposal's threshold to a body's decision"),
                  _indicator("median_days_to_decision")),
        Indicator("proposal_days_to_motion", _l("Median days from a proposal's threshold to a motion"),
                  _indicator("median_days_to_motion")),
    ]


@hookimpl
def konsey_migrations_dir():
    return str(Path(__file__).parent / "migrations")


@hookimpl
def konsey_demo_life(today):
    from konsey.plugins.participation import demo  # noqa: PLC0415 - the demo's records, only when a demo is made

    demo.seed(today)
