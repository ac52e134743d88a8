"""The plugins a council has enabled, with their configuration."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from konsey.schemas.plugins import ConfigSchema, PluginStateSchema
from konsey.usecases import plugins
from konsey.usecases.base import performs

blp = Blueprint("plugins", __name__, url_prefix="/api/v1/councils/<council_slug>/plugins",
                description="Plugins (assemblies and bespoke rules) of a council")


@blp.route("")
class Plugins(MethodView):
    @performs(plugins.plugin_states)
    @blp.response(200, PluginStateSchema(many=True))
    def get(self):
        """Every installed plugin and its state in this council."""
        return plugins.plugin_states()


@blp.route("/<plugin_name>")
class PluginState(MethodView):
    @performs(plugins.enable_plugin)
    @blp.arguments(ConfigSchema)
    @blp.response(201, PluginStateSchema)
    def post(self, data, plugin_name):
        """Enable a plugin with its configuration (checked by the plugin's own schema)."""
        return plugins.enable_plugin(plugin_name, data["config"])

    @performs(plugins.reconfigure_plugin)
    @blp.arguments(ConfigSchema)
    @blp.response(200, PluginStateSchema)
    def patch(self, data, plugin_name):
        """Change an enabled plugin's configuration."""
        return plugins.reconfigure_plugin(plugin_name, data["config"])

    @performs(plugins.disable_plugin)
    @blp.response(200, PluginStateSchema)
    def delete(self, plugin_name):
        """Disable a plugin: its data stays, read-only, and comes back when it is enabled again."""
        return plugins.disable_plugin(plugin_name)
