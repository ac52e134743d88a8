"""A council's plugins (assemblies, bespoke rules): enable with settings, reconfigure, disable."""

from __future__ import annotations

from marshmallow import ValidationError, fields

from konsey.core import plugins
from konsey.core.permissions import Permission
from konsey.schemas.plugins import validated_config
from konsey.usecases.base import command, query


def _installed(name: str) -> None:
    plugins.require_installed(name)


@query(Permission.COUNCIL_VIEW)
def plugin_states() -> list[dict]:
    """Every installed plugin and its state in this council."""
    return plugins.states()


@query(Permission.COUNCIL_VIEW)
def installed_names() -> set[str]:
    """The names of the installed plugins."""
    return set(plugins.installed())


@query(Permission.COUNCIL_VIEW)
def settings_of(name: str) -> list[tuple[str, fields.Field, object]]:
    """(name, marshmallow field, value) of each setting a plugin takes: this council's, else the default."""
    _installed(name)
    schema_class = plugins.only(name).konsey_config_schema()
    if schema_class is None:
        return []
    enablement = plugins.enablement_of(name)
    current = (enablement.config if enablement else None) or {}
    try:
        defaults = schema_class().dump(schema_class().load({}))
    except ValidationError:  # a setting without a default: nothing to show before it is given
        defaults = {}
    return [(key, field, current.get(key, defaults.get(key))) for key, field in schema_class().fields.items()
            if not field.dump_only]


@command(Permission.PLUGINS_MANAGE)
def enable_plugin(name: str, config: dict | None = None) -> dict:
    """Enable a plugin with its configuration (checked by the plugin's own schema)."""
    _installed(name)
    plugins.enable(name, validated_config(name, config))
    return plugins.state_of(name)


@command(Permission.PLUGINS_MANAGE)
def reconfigure_plugin(name: str, config: dict) -> dict:
    """Change an enabled assembly's settings (its own by-law parameters)."""
    _installed(name)
    plugins.reconfigure(name, validated_config(name, config))
    return plugins.state_of(name)


@command(Permission.PLUGINS_MANAGE)
def disable_plugin(name: str) -> dict:
    """Disable a plugin: its data stays, read-only, and comes back when it is enabled again."""
    _installed(name)
    plugins.disable(name)
    return plugins.state_of(name)
