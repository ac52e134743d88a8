"""Bespoke rules — an example third-party plugin.

A council that wants stricter rules than the statute's: two thirds of the full membership to meet, two
thirds of the votes cast to decide, ties that fail. It touches only ``konsey.pluginkit``, as any package
installed with pip would, and it is enabled for one council at a time. It also exercises every other hook
so that the tests can show each one working where enabled and silent where not.
"""

from __future__ import annotations

import math

import click
from flask import Blueprint, jsonify
from marshmallow import Schema, fields, validate

from konsey.pluginkit import (
    Indicator,
    NavigationItem,
    PackageFile,
    Permission,
    ScheduledJob,
    command,
    db,
    hookimpl,
    performs,
    plugin_config,
    query,
)

NAME = "bespoke_rules"
RUNS: list[str] = []  # what the scheduled job did, for the tests to see


class Settings(Schema):
    # Labelled for the council's staff (a plugin without a catalogue of its own speaks the council's language).
    quorum_share = fields.Float(load_default=2 / 3, validate=validate.Range(0.5, 1.0),
                                metadata={"label": "Toplantı yeter sayısı (üyelerin payı)"})
    decision_share = fields.Float(load_default=2 / 3, validate=validate.Range(0.5, 1.0),
                                  metadata={"label": "Karar yeter sayısı (katılanların payı)"})
    banned_names = fields.List(fields.String(), load_default=list,  # who may not take seats or stand
                               metadata={"label": "Görev alamayacak kişiler"})


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_quorum_rule(body, full_membership, bylaws, reconvened):
    return math.ceil(full_membership * plugin_config(NAME)["quorum_share"] - 1e-9)


@hookimpl
def konsey_votes_needed(body, tally, bylaws):
    cast = tally.yes + tally.no
    return max(1, math.ceil(cast * plugin_config(NAME)["decision_share"] - 1e-9))


@hookimpl
def konsey_tie_rule(body, bylaws):
    return "fails"


@hookimpl
def konsey_bylaw_fields():
    return {"bespoke_minutes_signed_by_all": fields.Boolean(load_default=False, metadata={
        "label": "Every member present signs the minutes", "description": "A rule of this council's own."})}


@hookimpl
def konsey_membership_eligibility(body, member, on):
    if member.name in plugin_config(NAME)["banned_names"]:
        return ["bespoke: this person may not take a seat"]
    return None


@hookimpl
def konsey_candidate_eligibility(election, member):
    if member.name in plugin_config(NAME)["banned_names"]:
        return ["bespoke: this person may not stand"]
    return None


@hookimpl
def konsey_seat_allocation_check(election, elected):
    if len({m.gender for m in elected}) == 1 and len(elected) > 1:
        return ["bespoke: a board of one gender only is refused"]
    return None


SEATS_SEEN: list[str] = []


@hookimpl
def konsey_seat_assigned(body, seat):
    SEATS_SEEN.append(str(seat.id))


@hookimpl
def konsey_motion_package_files(motion):
    return [PackageFile("bespoke.txt", f"motion {motion.number}".encode(), "Bespoke annex")]


@hookimpl
def konsey_notification_templates():
    return {"bespoke.hello": ("Hello", "Hello from {council}")}


@hookimpl
def konsey_navigation():
    return [NavigationItem("Bespoke rules", "bespoke_rules.summary", Permission.COUNCIL_VIEW)]


pages = Blueprint(NAME, __name__, url_prefix=f"/<council_slug>/p/{NAME}")


@query(Permission.COUNCIL_VIEW)
def bespoke_settings() -> dict:
    """The council's bespoke settings."""
    return plugin_config(NAME)


@command(Permission.COUNCIL_VIEW)
def touched() -> dict:
    """A change a disabled plugin refuses (the tests' probe of the read-only gate)."""
    return {"touched": True}


@pages.get("/")
@performs(bespoke_settings)
def summary():
    return jsonify(bespoke_settings())


@pages.post("/")
@performs(touched)
def touch():
    return jsonify(touched())


@hookimpl
def konsey_blueprints():
    return [pages]


@hookimpl
def konsey_cli_commands():
    @click.command("show")
    @click.argument("council_slug")
    def show(council_slug):
        """Print the council's bespoke settings."""
        from konsey.pluginkit import bound_council_by_slug

        with bound_council_by_slug(council_slug, NAME):
            click.echo(f"quorum_share={plugin_config(NAME)['quorum_share']:.2f}")

    return [show]


def _job(council_id=None, **_kwargs):
    RUNS.append(str(council_id))
    db.session.flush()


@hookimpl
def konsey_scheduled_jobs():
    return [ScheduledJob("bespoke_rules.tick", _job, 3600)]


@hookimpl
def konsey_federation_indicators():
    return [Indicator("bespoke_quorum_share", "Quorum share", lambda: plugin_config(NAME)["quorum_share"])]


class RegisteredLetter:
    """A stand-in registered-mail channel (what a KEP provider's adapter would look like)."""

    name = "bespoke_registered_letter"
    sent: list[str] = []

    def deliver(self, route, motion, package, receipt_url):
        from konsey.pluginkit import AttemptOutcome, Result

        self.sent.append(package.filename)
        return Result(AttemptOutcome.SENT, detail=f"registered letter to {route.address}")


@hookimpl
def konsey_delivery_channels():
    return [RegisteredLetter()]
