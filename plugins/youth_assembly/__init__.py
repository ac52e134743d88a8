"""Gençlik Meclisi — the youth assembly.

Young members of the council within an age band (15–29 by default; councils use 15–24 or 16–35 too) sit in
the youth assembly, which elects its president and board with the council's own election and parity rules.
Members age out on the day they pass the band. Where the by-laws say so, the assembly's president holds an
ex-officio seat on the executive board for the same term.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from konsey.pluginkit import (
    Body,
    BodyKind,
    BodyType,
    Indicator,
    MemberKind,
    NavigationItem,
    Permission,
    ScheduledJob,
    SeatRole,
    age_on,
    assign_seat,
    bound_council_by_slug,
    council_today,
    db,
    end_seat,
    hookimpl,
    parameters_on,
    plugin_config,
    seats_on,
)
from konsey.plugins.youth_assembly.views import pages

NAME = "youth_assembly"
TITLE = _l("Youth assembly")  # the name people see on the assemblies page


class Settings(Schema):
    age_min = fields.Integer(load_default=15, validate=validate.Range(10, 40), metadata={"label": _l("Youngest age")})
    age_max = fields.Integer(load_default=29, validate=validate.Range(12, 40), metadata={"label": _l("Oldest age")})

    @validates_schema
    def _band(self, data, **_kwargs):
        if data["age_min"] > data["age_max"]:
            raise ValidationError(_("The youngest age cannot be above the oldest."), "age_max")


def in_band(birth_date: date | None, day: date, settings: dict) -> bool:
    return birth_date is not None and settings["age_min"] <= age_on(birth_date, day) <= settings["age_max"]


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Gençlik Meclisi")]


@hookimpl
def konsey_bylaw_fields():
    # A by-law parameter the plugin brings: whether the youth assembly's president sits on the board.
    return {"youth_president_on_executive_board": fields.Boolean(load_default=True, metadata={
        "label": _l("The youth assembly's president sits on the executive board"),
        "description": _l("Whether the president of the youth assembly is an ex officio member of the executive "
                          "board.")})}


def _is_youth(body) -> bool:
    return body.type_code == NAME


@hookimpl
def konsey_membership_eligibility(body, member, on):
    if not _is_youth(body):
        return None
    if member.kind is MemberKind.INSTITUTIONAL:
        return [_("The youth assembly is for young people, not institutions.")]
    settings = plugin_config(NAME)
    if member.birth_date is None:
        return [_("Record the member's birth date: the youth assembly has an age band.")]
    if not in_band(member.birth_date, on, settings):
        return [_("The youth assembly is for ages %(min)d to %(max)d; this member is %(age)d.",
                  min=settings["age_min"], max=settings["age_max"], age=age_on(member.birth_date, on))]
    return None


@hookimpl
def konsey_candidate_eligibility(election, member):
    target = db.session.get(Body, election.target_body_id)
    if not _is_youth(target):
        return None
    seated = {seat.member_id for seat in seats_on(target, election.term_start)}
    if member.id not in seated:
        return [_("Only members of the youth assembly stand in its elections.")]
    return None


@hookimpl
def konsey_seat_assigned(body, seat):
    """The youth assembly's new president takes the ex-officio board seat, where the by-laws say so."""
    if not _is_youth(body) or seat.role is not SeatRole.CHAIR:
        return
    bylaws = parameters_on(seat.starts_on)
    if not bylaws.get("youth_president_on_executive_board", True):
        return
    board = db.session.scalar(db.select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
    if any(s.member_id == seat.member_id for s in seats_on(board, seat.starts_on)):
        return
    assign_seat(board, seat.member, SeatRole.EX_OFFICIO, seat.starts_on, seat.ends_on)


def age_out(today: date | None = None) -> int:
    """End the youth-assembly seats of members past the band; returns how many aged out."""
    today = today or council_today()
    body = db.session.scalar(db.select(Body).where(Body.type_code == NAME))
    if body is None:
        return 0
    settings = plugin_config(NAME)
    ended = 0
    for seat in seats_on(body, today):
        birth = seat.member.birth_date
        if birth is not None and age_on(birth, today) > settings["age_max"]:
            end_seat(seat, today, "aged_out")
            ended += 1
    return ended


def _age_out_job(**_kwargs) -> int:
    from konsey.plugins.youth_assembly.usecases import end_aged_out_seats  # the use cases import this package

    return end_aged_out_seats()


@hookimpl
def konsey_scheduled_jobs():
    return [ScheduledJob("youth_assembly.age_out", _age_out_job, 24 * 3600)]


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Youth assembly"), "youth_assembly.index", Permission.COUNCIL_VIEW)]


@hookimpl
def konsey_blueprints():

    return [pages]


@hookimpl
def konsey_cli_commands():
    import click

    @click.command("age-out")
    @click.argument("council_slug")
    def age_out_command(council_slug):
        """End the youth-assembly seats of members who passed the age band today."""

        with bound_council_by_slug(council_slug, NAME):
            click.echo(_age_out_job())

    return [age_out_command]


@hookimpl
def konsey_federation_indicators():
    def young_members() -> int:
        body = db.session.scalar(db.select(Body).where(Body.type_code == NAME))
        return len(seats_on(body, council_today())) if body else 0

    return [Indicator("youth_assembly_members", _l("Members of the youth assembly"), young_members)]
