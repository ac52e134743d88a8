"""Base schema for every API input and output."""

from __future__ import annotations

from marshmallow import RAISE, Schema


class StrictSchema(Schema):
    """Unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE
