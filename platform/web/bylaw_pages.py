"""The by-laws profile: the parameters in force, the versions, and a form for a new version (its fields from
the council's schema, plugins' fields included). Adapters over :mod:`konsey.usecases.bylaws`."""

from __future__ import annotations

from datetime import date

from babel.numbers import NumberFormatError, format_decimal, parse_decimal
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import fields as mf
from marshmallow.validate import OneOf

from konsey.core.bylaws import PARAMETER_NOTES
from konsey.core.errors import DomainError, NotFound
from konsey.core.labels import parameter_label
from konsey.schemas.bylaws import council_schema
from konsey.schemas.messages import refusal_lines
from konsey.tenants.models import council_today
from konsey.usecases import bylaws
from konsey.usecases.base import performs

bp = Blueprint("bylaw_pages", __name__, url_prefix="/<council_slug>")


@bp.get("/bylaws/", endpoint="bylaws")
@performs(bylaws.list_versions)
def bylaws_page():
    return _page()


def _page(typed=None, errors: dict | None = None, status: int = 200):
    """The page; after a refusal, with what was typed and each parameter's messages beside it."""
    today = council_today()
    schema = council_schema()()
    in_force = bylaws.parameters_in_force(today)
    parameters = [_shown(name, field, in_force.get(name)) for name, field in schema.fields.items()]
    if typed is not None:
        for shown in parameters:
            shown["value"] = _typed_value(shown, typed)
    return render_template("governance/bylaws.html", versions=bylaws.list_versions(), parameters=parameters,
                           today=today, errors=errors or {}, typed=typed), status


def _typed_value(shown: dict, typed):
    name = shown["name"]
    if shown["kind"] == "yes_no":
        return typed.get(name) == "y"
    if shown["kind"] == "several":
        return typed.getlist(name)
    return typed.get(name, shown["value"])


def _choices(name: str, field, value) -> list | None:
    """The values a parameter may take, where they are few: a select, or checkboxes for a list."""
    inner = field.inner if isinstance(field, mf.List) else field
    for rule in inner.validators:
        if isinstance(rule, OneOf):
            return list(rule.choices)
    if name == "executive_board_ex_officio_assemblies":  # the assemblies' body types, as the plugins name them
        return sorted(set(bylaws.assemblies_by_code()) | set(value or []))
    return None


def _choice_names(name: str) -> dict:
    """How a parameter's choices read, where a plugin names them (the assemblies); else their labels."""
    if name == "executive_board_ex_officio_assemblies":  # the plugin's title, in the reader's language
        return bylaws.assemblies_by_code()
    return {}


def _shown(name: str, field, value) -> dict:
    """How the page shows one parameter: its label and meaning in the reader's language, its kind of control,
    and its value as a person reads it (a share as a percentage, a list of codes as ticked boxes)."""
    meaning = PARAMETER_NOTES[name][0] if name in PARAMETER_NOTES else field.metadata.get("description")
    choices = _choices(name, field, value)
    if isinstance(field, mf.Boolean):
        kind = "yes_no"
    elif isinstance(field, mf.List):
        kind = "several" if choices else "list"
    elif choices:
        kind = "one"
    elif field.metadata.get("share"):
        kind, value = "share", format_decimal(round(value * 100, 2), locale=get_locale())
    else:
        kind = "number" if isinstance(field, mf.Integer | mf.Float) else "text"
    if kind == "list":
        value = ", ".join(str(v) for v in value or [])
    return {"name": name, "label": parameter_label(name, field), "meaning": meaning and str(meaning),
            "kind": kind, "value": value, "choices": choices, "choice_names": _choice_names(name)}


@bp.post("/bylaws/")
@performs(bylaws.adopt_version)
def bylaws_adopt():
    schema = council_schema()()
    in_force = bylaws.parameters_in_force(council_today())
    changes = {}
    for name, field in schema.fields.items():
        if isinstance(field, mf.Boolean):
            value = request.form.get(name) == "y"
        elif isinstance(field, mf.List) and request.form.get(f"{name}.shown"):  # ticked boxes; none is empty
            value = request.form.getlist(name)
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
                value = _number(raw, share=bool(field.metadata.get("share")))
            else:
                value = raw
        if not _same(value, in_force.get(name)):
            changes[name] = value

    try:
        effective = date.fromisoformat(request.form.get("effective_from", ""))
    except ValueError:
        effective = None
    if not changes:
        flash(_("Nothing was changed."), "error")
        return redirect(url_for("bylaw_pages.bylaws"))
    try:
        bylaws.adopt_version(changes, effective)
    except NotFound:
        raise
    except DomainError as refused:
        # Each parameter's messages under its own name, as people read it (never its key).
        errors = dict(refused.errors.get("parameters") or {}) if isinstance(refused.errors, dict) else {}
        others = {k: v for k, v in (refused.errors or {}).items() if k != "parameters"}
        for name, messages in errors.items():
            field = schema.fields.get(name)
            for message in _messages(messages):
                flash(f"{parameter_label(name, field)}: {message}", "error")
        for message in refusal_lines(others):
            flash(message, "error")
        return _page(typed=request.form, errors={k: _messages(v) for k, v in errors.items()}, status=refused.status)
    flash(_("The new version of the by-laws is recorded."), "success")
    return redirect(url_for("bylaw_pages.bylaws"))


def _number(raw: str, *, share: bool):
    """A number as the reader writes it (Turkish "33,33", English "33.33"; a share as a percentage): the
    fraction, or the text as typed (the schema then names it as no number). Strict: "7.5" in Turkish is refused
    rather than read as 75."""
    try:
        number = float(parse_decimal(raw.replace("%", "").strip(), locale=get_locale(), strict=True))
    except NumberFormatError:
        return raw
    return round(number / 100, 6) if share else number


def _same(value, held) -> bool:
    """Whether a field sent back holds what is in force: a share shown to two decimals of a percent is the same
    when it rounds the same (a third is shown as 33,33); ticked boxes are the same in any order."""
    if isinstance(value, float) and isinstance(held, int | float):
        return abs(value - held) < 0.00005
    if isinstance(value, list) and isinstance(held, list) and all(isinstance(v, str) for v in value + held):
        return set(value) == set(held) and len(value) == len(held)
    return value == held


def _messages(value) -> list[str]:
    """A parameter's messages, flat (a list's are per position)."""
    if isinstance(value, dict):
        return [m for inner in value.values() for m in _messages(inner)]
    return [str(m) for m in value] if isinstance(value, list) else [str(value)]
