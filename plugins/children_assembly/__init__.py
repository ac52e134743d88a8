"""Çocuk Meclisi — the children's assembly.

Children within an age band (9–14 by default) or, where the council prefers, school grades (4–7) take part
in the children's assembly. A child's record holds the least data that lets the assembly work (KVKK: first
name and surname, birth date or grade, the guardian's contact) and becomes active only once a guardian's
consent is recorded (who, relation, when, how). Children are never shown by name on public pages nor in the
federation's data; their guardian, not the child, receives e-mail. Children age out on their birthday, with a
notice to the guardian. Adult coordinators are ordinary council members seated in the assembly's body.
"""

from __future__ import annotations

from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from konsey.pluginkit import (
    BodyType,
    Indicator,
    NavigationItem,
    Permission,
    RetentionKind,
    ScheduledJob,
    bound_council_by_slug,
    hookimpl,
)
from konsey.plugins.children_assembly.models import active_children, age_out_job, expire_minors, minors_due
from konsey.plugins.children_assembly.views import api, pages

NAME = "children_assembly"
TITLE = _l("Children's assembly")  # the name people see on the assemblies page


class Settings(Schema):
    age_min = fields.Integer(load_default=9, validate=validate.Range(6, 17), metadata={"label": _l("Youngest age")})
    age_max = fields.Integer(load_default=14, validate=validate.Range(6, 17), metadata={"label": _l("Oldest age")})
    use_school_grades = fields.Boolean(load_default=False, metadata={"label": _l("Admit by school grade")})
    grade_min = fields.Integer(load_default=4, validate=validate.Range(1, 12), metadata={"label": _l("Lowest grade")})
    grade_max = fields.Integer(load_default=7, validate=validate.Range(1, 12), metadata={"label": _l("Highest grade")})
    notify_guardians = fields.Boolean(load_default=True, metadata={"label": _l("E-mail notices to guardians")})

    @validates_schema
    def _bands(self, data, **_kwargs):
        if data["age_min"] > data["age_max"]:
            raise ValidationError(_("The youngest age cannot be above the oldest."), "age_max")
        if data["grade_min"] > data["grade_max"]:
            raise ValidationError(_("The lowest grade cannot be above the highest."), "grade_max")


@hookimpl
def konsey_config_schema():
    return Settings


@hookimpl
def konsey_body_types():
    return [BodyType(NAME, "Çocuk Meclisi")]


@hookimpl
def konsey_blueprints():

    return [pages, api]


@hookimpl
def konsey_navigation():
    return [NavigationItem(_l("Children's assembly"), "children_assembly.index", Permission.MEMBERS_VIEW)]


@hookimpl
def konsey_scheduled_jobs():

    return [ScheduledJob("children_assembly.age_out", age_out_job, 24 * 3600)]


@hookimpl
def konsey_cli_commands():
    import click

    @click.command("age-out")
    @click.argument("council_slug")
    def age_out_command(council_slug):
        """Mark the children who passed the age band today and notify their guardians."""

        with bound_council_by_slug(council_slug, NAME):
            click.echo(age_out_job())

    return [age_out_command]


@hookimpl
def konsey_federation_indicators():

    # A count only: never a child's name or anything about one child.
    return [Indicator("children_assembly_members", _l("Children in the children's assembly"), active_children)]


@hookimpl
def konsey_notification_templates():
    return {"children_assembly.aged_out": (
        _("Children's assembly: thank you"),
        _("{child} has reached the end of the children's assembly's age band today. Thank you for the time "
          "{child} gave to the city. — {council}"))}


@hookimpl
def konsey_retention_kinds():
    return [RetentionKind("children_assembly.minors", _l("Children's assembly: minors who came of age or left"),
                          "retention_minors_days", minors_due, expire_minors)]


@hookimpl
def konsey_migrations_dir():
    return str(Path(__file__).parent / "migrations")
