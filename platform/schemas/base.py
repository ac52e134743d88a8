"""Base schema for every API input and output."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from marshmallow import RAISE, Schema, ValidationError, pre_load

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
