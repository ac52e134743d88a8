"""Plugins: their state in a council and their configuration, checked by each plugin's own schema."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields

from konsey.core import plugins
from konsey.core.errors import Invalid
from konsey.schemas.base import StrictSchema


class PluginStateSchema(Schema):
    name = fields.String()
    title = fields.String()
    state = fields.String(metadata={"description": "enabled, disabled (data kept, read-only) or available"})
    config = fields.Dict(allow_none=True)


class ConfigSchema(StrictSchema):
    config = fields.Dict(load_default=dict)


class NoSettings(Schema):
    """A plugin that declares no configuration takes none."""


def validated_config(name: str, config: dict | None) -> dict:
    """The plugin's settings loaded by its own schema, JSON-ready with defaults filled in."""
    schema = (plugins.config_schema_of(name) or NoSettings)()
    try:
        loaded = schema.load(config or {})
    except ValidationError as error:
        raise Invalid({"config": error.messages}) from error
    return schema.dump(loaded)
