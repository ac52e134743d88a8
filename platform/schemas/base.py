"""Base schema for every API input and output."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, fields, pre_load

# A NUL byte (PostgreSQL cannot store it) or half of a surrogate pair (not text at all) in any string.
_NOT_TEXT = re.compile(r"[\x00\ud800-\udfff]")


def _bad_strings(value, path: str = "") -> dict:
    if isinstance(value, str):
        return {path or "_schema": [_("This text has characters that are not allowed.")]} if _NOT_TEXT.search(value) else {}
    if isinstance(value, dict):
        found = {}
        for key, inner in value.items():
            found.update(_bad_strings(inner, f"{path}.{key}" if path else str(key)))
        return found
    if isinstance(value, list | tuple):
        found = {}
        for inner in value:
            found.update(_bad_strings(inner, path))
        return found
    return {}


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped; strings are text."""

    class Meta:
        unknown = RAISE

    @pre_load
    def _only_text(self, data, **_kwargs):
        problems = _bad_strings(data)
        if problems:
            raise ValidationError(problems)
        return data


class Day(fields.Date):
    """A date as ISO 8601 (``2026-12-03``) or as Turkish offices write it (``03.12.2026``): what a municipality's
    system sends back is read either way, never stored as free text."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}", value.strip()):
            day, month, year = value.strip().split(".")
            value = f"{year}-{int(month):02d}-{int(day):02d}"
        return super()._deserialize(value, attr, data, **kwargs)
