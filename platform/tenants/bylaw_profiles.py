"""Adopting a new version of the council's by-laws profile."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core.audit import record
from konsey.core.bylaws import ByLawParametersSchema, profile_in_force
from konsey.core.db import db
from konsey.core.plugins import council_hooks
from konsey.tenants.models import ByLawProfile


def versions() -> list[ByLawProfile]:
    return db.session.scalars(select(ByLawProfile).order_by(ByLawProfile.effective_from)).all()


def council_schema() -> type[ByLawParametersSchema]:
    """The by-law schema of the current council: the core's fields and those its enabled plugins add."""
    hooks = council_hooks()
    schema = hooks.cache.get("bylaw_schema")
    if schema is None:
        extra = {}
        for answer in hooks.hook.konsey_bylaw_fields():
            extra.update(answer or {})
        # A copy: marshmallow takes the declared fields out of the class namespace it is given.
        schema = type("CouncilByLawParameters", (ByLawParametersSchema,), dict(extra)) if extra else ByLawParametersSchema
        defaults = schema().load({})
        hooks.cache["bylaw_schema"] = schema
        hooks.cache["bylaw_plugin_defaults"] = {name: defaults[name] for name in extra if name in defaults}
    return schema


def _plugin_defaults() -> dict:
    council_schema()
    return council_hooks().cache["bylaw_plugin_defaults"]


def parameters_on(day: date) -> dict:
    """The parameters in force on ``day``; before the first version (records from before the council joined
    Konsey), the first version's. Fields of plugins enabled since then take their defaults."""
    all_versions = versions()
    profile = profile_in_force(all_versions, day) or (all_versions[0] if all_versions else None)
    parameters = profile.parameters if profile else ByLawParametersSchema().load({})
    plugin_defaults = _plugin_defaults()
    return {**plugin_defaults, **parameters} if plugin_defaults else parameters


def adopt_version(changes: dict, effective_from: date, *, today: date | None = None) -> ByLawProfile:
    """A new version in the current council: the version in force on that date with ``changes`` applied.

    It may not take effect in the past (past meetings keep the verdicts they had) nor share a date with
    another version. ``changes`` is validated with the full schema after merging.
    """
    today = today or date.today()
    if effective_from < today:
        raise ValidationError({"effective_from": [_("A new version cannot take effect in the past.")]})
    existing = versions()
    if any(v.effective_from == effective_from for v in existing):
        raise ValidationError({"effective_from": [_("Another version takes effect on this date.")]})
    base = profile_in_force(existing, effective_from)
    schema = council_schema()
    known = set(schema().fields)
    # Parameters of a plugin disabled since stay as they were (its rules come back with it).
    kept = {k: v for k, v in (base.parameters if base else {}).items() if k not in known}
    merged = {k: v for k, v in (base.parameters if base else {}).items() if k in known} | changes
    try:
        parameters = {**kept, **schema().load(merged)}
    except ValidationError as error:
        raise ValidationError({"parameters": error.messages}) from error
    profile = ByLawProfile(effective_from=effective_from, parameters=parameters)
    db.session.add(profile)
    db.session.flush()
    record("bylaws.adopted", profile, {"effective_from": effective_from.isoformat(), "changed": sorted(changes)})
    return profile
