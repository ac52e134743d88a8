"""What the women's assembly's use cases take (each loads its own, after the rows it names)."""

from __future__ import annotations

from marshmallow import fields, validate

from konsey.pluginkit import StrictSchema


class NoteSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(max=20000))
    author = fields.String(required=True, validate=validate.Length(min=3, max=200))
