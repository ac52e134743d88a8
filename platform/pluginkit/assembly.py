"""The assembly kit: what a council's assemblies share, so that a new assembly is one folder.

* :func:`president_on_board`: the ``konsey_seat_assigned`` implementation that gives the assembly's new president
  the ex-officio seat on the executive board, where the by-laws list the assembly
  (``executive_board_ex_officio_assemblies``: the one switch; its default lists the body types that declare
  ``BodyType(..., president_on_board=True)``).
* :class:`AgeBand`: an assembly open to members of an age band (the youth assembly's 15–29, the elders' from 60):
  its settings, the eligibility check, and the seats of those who pass the band ended by a daily job and a
  command.
* :func:`only_seated_candidates`: the ``konsey_candidate_eligibility`` implementation by which only the
  assembly's members stand in its elections.
* :func:`members_and_candidates`: what an assembly's page lists; :func:`add_member_route`, the page's form that
  seats a member (:func:`seat_from_form`).
* :func:`bound_council_by_slug`: a plugin command's council, bound, acting as the platform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import click
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from konsey.core.bodies import Body, BodyKind
from konsey.core.bylaws import parameters_on
from konsey.core.hookspecs import hookimpl
from konsey.core.hooktypes import ScheduledJob
from konsey.core.membership import Member, MemberKind, MemberStatus
from konsey.core.plugins import council_hooks, plugin_config
from konsey.core.rules.membership import age_on
from konsey.core.seats import SeatRole, assign_seat, end_seat, seats_on
from konsey.pluginkit.pages import attempt
from konsey.tenants.db import db
from konsey.tenants.models import council_today
from konsey.usecases.base import performs
from konsey.usecases.bodies import join_assembly
from konsey.usecases.councils import as_the_platform_in, named

BOARD_SEATS = "executive_board_ex_officio_assemblies"


def president_on_board(type_code: str):
    """The hook implementation to assign as the plugin's ``konsey_seat_assigned``: the new president (chair)
    of the assembly of ``type_code`` takes the ex-officio board seat for the same term, where the by-laws in
    force that day list the assembly."""

    @hookimpl
    def konsey_seat_assigned(body, seat):
        if body.type_code != type_code or seat.role is not SeatRole.CHAIR:
            return
        if type_code not in (parameters_on(seat.starts_on).get(BOARD_SEATS) or []):
            return
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        if board is None or any(s.member_id == seat.member_id for s in seats_on(board, seat.starts_on)):
            return
        assign_seat(board, seat.member, SeatRole.EX_OFFICIO, seat.starts_on, seat.ends_on)

    return konsey_seat_assigned


def only_seated_candidates(type_code: str, message: str | None = None):
    """The hook implementation to assign as the plugin's ``konsey_candidate_eligibility``: only the assembly's
    members on the first day of the term stand in its elections."""

    @hookimpl
    def konsey_candidate_eligibility(election, member):
        target = db.session.get(Body, election.target_body_id)
        if target is None or target.type_code != type_code:
            return None
        if member.id not in {seat.member_id for seat in seats_on(target, election.term_start)}:
            return [message or _("Only members of the assembly stand in its elections.")]
        return None

    return konsey_candidate_eligibility


def members_and_candidates(body: Body, eligible: Callable[[Member], bool], today: date | None = None) -> dict:
    """The assembly's seats on ``today`` and the council's active individual members who could join (by
    ``eligible``), in Turkish alphabetical order: what an assembly's page lists."""
    today = today or council_today()
    seats = seats_on(body, today)
    seated = {seat.member_id for seat in seats}
    candidates = [member for member in db.session.scalars(select(Member).where(
        Member.status == MemberStatus.ACTIVE, Member.kind == MemberKind.INDIVIDUAL).order_by(Member.sort_name))
        if member.id not in seated and eligible(member)]
    return {"body": body, "seats": seats, "candidates": candidates}


def seat_from_form(body, member_id_text: str | None, joined: str | None = None) -> object | None:
    """A page's "add this member to our assembly" form, through the :func:`join_assembly` use case: seat the
    member as principal from today, and flash what went wrong (field by field), or ``joined`` (with
    ``%(name)s``) when it went well. Returns the member, or None."""
    done, member = attempt(lambda: join_assembly(body.id, {"member_id": member_id_text} if member_id_text else {}))
    if done and joined:
        flash(joined % {"name": member.name}, "success")
    return member if done else None


def add_member_route(pages: Blueprint, assembly: Callable[[], Body], joined, back: str) -> None:
    """``POST <pages>/members`` (endpoint ``add_member``): the assembly's page seats the member its form names
    (``member_id``), says ``joined`` (a lazily translated text with ``%(name)s``) and goes back to ``back``."""

    @pages.post("/members", endpoint="add_member")
    @performs(join_assembly)
    def add_member():
        seat_from_form(assembly(), request.form.get("member_id"), joined)
        return redirect(url_for(back))


class AgeBand:
    """An assembly open to the council's members of an age band, set per council within ``lowest``–``highest``
    (``oldest`` None: no upper bound, and so nobody ages out)."""

    def __init__(self, assembly_name, youngest: int, oldest: int | None = None, *, lowest: int = 10,
                 highest: int = 120):
        self.assembly_name = assembly_name  # as people read it, in a sentence ("the youth assembly")
        self.youngest, self.oldest, self.lowest, self.highest = youngest, oldest, lowest, highest

    def settings_schema(self, **extra_fields) -> type[Schema]:
        """The plugin's configuration schema: the band (``age_min``, ``age_max``) and ``extra_fields``."""
        band = self

        class Settings(Schema):
            age_min = fields.Integer(load_default=band.youngest, validate=validate.Range(band.lowest, band.highest),
                                     metadata={"label": _l("Youngest age")})

            @validates_schema
            def _band(self, data, **_kwargs):
                if data.get("age_max") is not None and data["age_min"] > data["age_max"]:
                    raise ValidationError(_("The youngest age cannot be above the oldest."), "age_max")

        if self.oldest is not None:  # a band without an upper bound has no oldest age to set (nobody ages out)
            extra_fields = {"age_max": fields.Integer(load_default=self.oldest,
                                                      validate=validate.Range(self.lowest, self.highest),
                                                      metadata={"label": _l("Oldest age")}), **extra_fields}
        return type("Settings", (Settings,), dict(extra_fields)) if extra_fields else Settings

    def bounds(self, settings: dict | None) -> tuple[int, int | None]:
        settings = settings or {}
        return settings.get("age_min", self.youngest), settings.get("age_max", self.oldest) if self.oldest else None

    def in_band(self, birth_date: date | None, day: date, settings: dict | None) -> bool:
        low, high = self.bounds(settings)
        if birth_date is None:
            return False
        age = age_on(birth_date, day)
        return low <= age and (high is None or age <= high)

    def problems(self, member, on: date, settings: dict | None) -> list[str] | None:
        """Why ``member`` cannot join on ``on`` (None: they can): a person, whose birth date is recorded, in the
        band."""
        if member.kind is MemberKind.INSTITUTIONAL:
            return [_("%(assembly)s is for people, not institutions.", assembly=self.assembly_name)]
        if member.birth_date is None:
            return [_("Record the member's birth date: %(assembly)s has an age band.", assembly=self.assembly_name)]
        if self.in_band(member.birth_date, on, settings):
            return None
        low, high = self.bounds(settings)
        age = age_on(member.birth_date, on)
        if high is None:
            return [_("%(assembly)s is for ages %(min)d and over; this member is %(age)d.",
                      assembly=self.assembly_name, min=low, age=age)]
        return [_("%(assembly)s is for ages %(min)d to %(max)d; this member is %(age)d.",
                  assembly=self.assembly_name, min=low, max=high, age=age)]

    def end_aged_out_seats(self, body: Body | None, settings: dict | None, today: date | None = None) -> int:
        """End the seats of the members who passed the band by ``today``; how many."""
        today = today or council_today()
        _low, high = self.bounds(settings)
        if body is None or high is None:
            return 0
        ended = 0
        for seat in seats_on(body, today):
            birth = seat.member.birth_date
            if birth is not None and age_on(birth, today) > high:
                end_seat(seat, today, "aged_out")
                ended += 1
        return ended

    def hooks(self, type_code: str, plugin_name: str):
        """The plugin's ``konsey_config_schema`` (the band's settings) and ``konsey_membership_eligibility`` (the
        band's answer for the assembly of ``type_code``), to assign in the plugin's module."""

        @hookimpl
        def konsey_config_schema():
            return self.settings_schema()

        @hookimpl
        def konsey_membership_eligibility(body, member, on):
            return self.problems(member, on, plugin_config(plugin_name)) if body.type_code == type_code else None

        return konsey_config_schema, konsey_membership_eligibility

    def page(self, body: Body, settings: dict | None, today: date | None = None) -> dict:
        """What the assembly's page lists (its members, and who could join by the band) and the band itself
        (``age_min``, ``age_max``: None without an upper bound)."""
        today = today or council_today()
        low, high = self.bounds(settings)
        listed = members_and_candidates(body, lambda m: self.in_band(m.birth_date, today, settings), today)
        return {**listed, "age_min": low, "age_max": high}

    @staticmethod
    def daily_job(name: str, use_case: Callable[[], object]) -> ScheduledJob:
        """The daily job (per council that enabled the plugin) that runs the plugin's age-out use case."""
        return ScheduledJob(name, lambda **_kwargs: use_case(), 24 * 3600)

    @staticmethod
    def command(plugin_name: str, use_case: Callable[[], object], help_text: str) -> click.Command:
        """``konsey <plugin> age-out <council>``: the same use case, by hand."""

        @click.command("age-out", help=help_text)
        @click.argument("council_slug")
        def age_out(council_slug):
            with bound_council_by_slug(council_slug, plugin_name):
                result = use_case()
                click.echo(len(result) if isinstance(result, list) else result)

        return age_out


@contextmanager
def bound_council_by_slug(slug: str, plugin_name: str | None = None) -> Iterator:
    """For a plugin's command: bind the council named by ``slug`` and act as the platform (the operator at the
    command line); refuse if the council has not enabled the plugin."""
    council = named(slug)
    if council is None:
        raise click.ClickException(f"no council called {slug}")
    with as_the_platform_in(council):
        if plugin_name and not council_hooks(council.id).enabled(plugin_name):
            raise click.ClickException(f"{slug} has not enabled {plugin_name}")
        yield council.id
