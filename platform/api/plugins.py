"""The plugins a council has enabled, with their configuration."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from konsey.core import plugins
from konsey.core.db import db
from konsey.core.permissions import Permission, requires
from konsey.core.schemas import StrictSchema

blp = Blueprint("plugins", __name__, url_prefix="/api/v1/councils/<council_slug>/plugins",
                description="Plugins (assemblies and bespoke rules) of a council")


class PluginStateSchema(Schema):
    name = fields.String()
    title = fields.String()
    state = fields.String()  # enabled, disabled (data kept, read-only) or available
    config = fields.Dict(allow_none=True)


class ConfigSchema(StrictSchema):
    config = fields.Dict(load_default=dict)


def _states() -> list[dict]:
    return plugins.states()


@blp.route("")
class Plugins(MethodView):
    @requires(Permission.COUNCIL_VIEW)
    @blp.response(200, PluginStateSchema(many=True))
    def get(self):
        """Every installed plugin and its state in this council."""
        return _states()


@blp.route("/<plugin_name>")
class PluginState(MethodView):
    @requires(Permission.PLUGINS_MANAGE)
    @blp.arguments(ConfigSchema)
    @blp.response(201, PluginStateSchema)
    def post(self, data, plugin_name):
        """Enable a plugin with its configuration (checked by the plugin's own schema)."""
        plugins.enable(plugin_name, data["config"])
        db.session.commit()
        return plugins.state_of(plugin_name)

    @requires(Permission.PLUGINS_MANAGE)
    @blp.arguments(ConfigSchema)
    @blp.response(200, PluginStateSchema)
    def patch(self, data, plugin_name):
        """Change an enabled plugin's configuration."""
        plugins.reconfigure(plugin_name, data["config"])
        db.session.commit()
        return plugins.state_of(plugin_name)

    @requires(Permission.PLUGINS_MANAGE)
    @blp.response(200, PluginStateSchema)
    def delete(self, plugin_name):
        """Disable a plugin: its data stays, read-only, and comes back when it is enabled again."""
        plugins.disable(plugin_name)
        db.session.commit()
        return plugins.state_of(plugin_name)
