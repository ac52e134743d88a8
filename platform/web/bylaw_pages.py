"""The by-laws profile: the parameters in force, the versions, and a form for a new version (its fields from
the council's schema, plugins' fields included). Adapters over :mod:`konsey.usecases.bylaws`."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import fields as mf
from marshmallow.validate import OneOf

from konsey.schemas.bylaws import council_schema
from konsey.tenants.models import council_today
from konsey.usecases import bylaws
from konsey.usecases.base import performs
from konsey.web.adapters import attempt

bp = Blueprint("bylaw_pages", __name__, url_prefix="/<council_slug>")


@bp.get("/bylaws/", endpoint="bylaws")
@performs(bylaws.list_versions)
def bylaws_page():
    today = council_today()
    schema = council_schema()()
    in_force = bylaws.parameters_in_force(today)

    choices = {name: list(v.choices) for name, field in schema.fields.items()
               for v in field.validators if isinstance(v, OneOf)}
    return render_template("governance/bylaws.html", in_force=in_force, versions=bylaws.list_versions(),
                           fields=schema.fields, today=today, choices=choices)


@bp.post("/bylaws/")
@performs(bylaws.adopt_version)
def bylaws_adopt():
    schema = council_schema()()
    in_force = bylaws.parameters_in_force(council_today())
    changes = {}
    for name, field in schema.fields.items():
        if isinstance(field, mf.Boolean):
            value = request.form.get(name) == "y"
        else:
            raw = request.form.get(name, "").strip()
            if raw == "":
                continue
            if isinstance(field, mf.List):
                value = [part.strip() for part in raw.split(",") if part.strip()]
                if isinstance(field.inner, mf.Integer):
                    value = [int(p) if p.isdigit() else p for p in value]
            elif isinstance(field, mf.Integer):
                value = int(raw) if raw.lstrip("-").isdigit() else raw
            elif isinstance(field, mf.Float):
                try:
                    value = float(raw.replace(",", "."))
                except ValueError:
                    value = raw
            else:
                value = raw
        if value != in_force.get(name):
            changes[name] = value

    try:
        effective = date.fromisoformat(request.form.get("effective_from", ""))
    except ValueError:
        effective = None
    if not changes:
        flash(_("Nothing was changed."), "error")
        return redirect(url_for("bylaw_pages.bylaws"))
    attempt(lambda: bylaws.adopt_version(changes, effective),
                      _("The new version of the by-laws is recorded."))
    return redirect(url_for("bylaw_pages.bylaws"))
