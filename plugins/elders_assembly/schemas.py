"""What the elders' assembly's use cases take (each loads its own, after the rows it names)."""

from __future__ import annotations

from marshmallow import fields, validate

from konsey.pluginkit import StrictSchema, council_today
from konsey.plugins.elders_assembly.models import ConcernTheme


class NewConcernSchema(StrictSchema):
    theme = fields.Enum(ConcernTheme, by_value=True, required=True)
    summary = fields.String(required=True, validate=validate.Length(min=10, max=500),
                            metadata={"description": "What was raised, naming nobody."})
    raised_on = fields.Date(load_default=council_today,  # the council's today, when the form leaves it out
                           metadata={"description": "The day it was raised (today if left out)."})
