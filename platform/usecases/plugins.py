"""A council's plugins (assemblies, bespoke rules): enable with settings, reconfigure, disable."""

from __future__ import annotations

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
