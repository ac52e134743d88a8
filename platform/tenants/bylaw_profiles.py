"""Adopting a new version of the council's by-laws profile."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core.audit import record
from konsey.core.bylaws import ByLawParametersSchema, profile_in_force
from konsey.core.db import db
from konsey.tenants.models import ByLawProfile


def versions() -> list[ByLawProfile]:
    return db.session.scalars(select(ByLawProfile).order_by(ByLawProfile.effective_from)).all()


def parameters_on(day: date) -> dict:
    """The parameters in force on ``day``; before the first version (records from before the council joined
    Konsey), the first version's."""
    all_versions = versions()
    profile = profile_in_force(all_versions, day) or (all_versions[0] if all_versions else None)
    return profile.parameters if profile else ByLawParametersSchema().load({})


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
    merged = {**(base.parameters if base else {}), **changes}
    try:
        parameters = ByLawParametersSchema().load(merged)
    except ValidationError as error:
        raise ValidationError({"parameters": error.messages}) from error
    profile = ByLawProfile(effective_from=effective_from, parameters=parameters)
    db.session.add(profile)
    db.session.flush()
    record("bylaws.adopted", profile, {"effective_from": effective_from.isoformat(), "changed": sorted(changes)})
    return profile
