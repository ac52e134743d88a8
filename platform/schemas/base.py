"""Base schema for every API input and output."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from konsey.core.text import first_not_text
from konsey.tenants.models import council_today


def _composed(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: _composed(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [_composed(inner) for inner in value]
    return value


def _bad_strings(value, path: str = "") -> dict:
    if isinstance(value, str):
        found = first_not_text(value)
        return {path or "_schema": [_("This text holds a control character (%(code)s), which is not allowed.",
                                      code=found)]} if found else {}
    if isinstance(value, dict):
        found = {}
        for key, inner in value.items():
            # A key is text a person sent too (a by-law's name, a candidate's id): the same rule, named where.
            if isinstance(key, str) and first_not_text(key):
                found.update(_bad_strings(key, path or "_schema"))
                continue
            found.update(_bad_strings(inner, f"{path}.{key}" if path else str(key)))
        return found
    if isinstance(value, list | tuple):
        found = {}
        for inner in value:
            found.update(_bad_strings(inner, path))
        return found
    return {}


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped; strings are text. ``AS_TYPED``: fields taken exactly
    as typed (a password: the hash of what the person types, whatever their keyboard composes)."""

    AS_TYPED: frozenset[str] = frozenset()

    class Meta:
        unknown = RAISE

    @pre_load
    def _only_text(self, data, **_kwargs):
        kept = {name: data[name] for name in self.AS_TYPED if isinstance(data, dict) and name in data}
        checked = {name: value for name, value in data.items() if name not in kept} if kept else data
        problems = _bad_strings(checked)
        if problems:
            raise ValidationError(problems)
        # One spelling for one text: "Ş" typed as S plus a cedilla is stored as the letter Ş (NFC), so a search
        # for the name finds it whichever keyboard typed it.
        return {**_composed(checked), **kept} if kept else _composed(checked)

    @validates_schema(skip_on_field_errors=True)
    def _sane_dates(self, data, **_kwargs):
        # A date a council could mean: from 1900 (a birth date) to ten years ahead. "9999-12-31T23:00-12:00"
        # was stored as the year 10000 and broke every list that showed it.
        problems = {}
        for name, field in self.fields.items():
            value = data.get(field.attribute or name)
            if isinstance(field, fields.DateTime | fields.Date) and value is not None and not _sane(value):
                problems[field.data_key or name] = [_("Give a date between 1900 and %(year)d.",
                                                      year=council_today().year + YEARS_AHEAD)]
        if problems:
            raise ValidationError(problems)


YEARS_AHEAD = 10


def _sane(value) -> bool:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            try:
                value = value.astimezone(UTC)
            except OverflowError:
                return False
        value = value.date()
    return date(1900, 1, 1) <= value <= date(council_today().year + YEARS_AHEAD, 12, 31)


class Day(fields.Date):
    """A date as ISO 8601 (``2026-12-03``) or as Turkish offices write it (``03.12.2026``): what a municipality's
    system sends back is read either way, never stored as free text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", value.strip()):
            day, month, year = value.strip().split(".")
            value = f"{year}-{int(month):02d}-{int(day):02d}"
        return super()._deserialize(value, attr, data, **kwargs)


class PageArgs(StrictSchema):
    """``?page=&per_page=`` of a bounded list (the next page is in the ``Link: rel="next"`` header)."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


# --- what the OpenAPI document says of values that are not a plain field ------------------------------------

# A value that is one of JSON's scalars (or a list of them): what the audit chain's details hold.
SCALAR = {"anyOf": [{"type": "string", "nullable": True}, {"type": "number"}, {"type": "boolean"},
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "number"}]}}]}
NUMBER_OR_NULL = {"type": "number", "nullable": True}


class AsGiven(fields.Nested):
    """A value documented by ``nested`` and taken and given as it is: one its use case checks itself, where its
    refusals join others' (an applicant, the by-laws' changes), or one stored already shaped by that schema."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return [dict(v) for v in value] if self.many else dict(value)

    def _deserialize(self, value, attr, data, partial=None, **kwargs):
        if not isinstance(value, dict):
            raise self.make_error("type", input=value)
        return dict(value)


class Derived(fields.Nested):
    """A value computed from the object (``compute(obj)``), given and documented by ``nested``."""

    def __init__(self, nested, compute, **kwargs):
        super().__init__(nested, **kwargs)
        self.compute = compute

    def get_value(self, obj, attr, accessor=None, default=None):
        return self.compute(obj)
