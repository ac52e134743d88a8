"""Where installed plugins meet the Flask app: their routes, the per-council gate, navigation, migrations.

Routes of every installed plugin are registered once (a Flask app cannot add routes per request); the gate
then answers 404 in a council that never enabled the plugin, and refuses changes where the council disabled
it (its data stays, read-only). Which plugin owns which blueprint is known from the hook implementation that
returned it.
"""

from __future__ import annotations

import os

from flask import Flask, g, request, url_for
from flask_smorest import Blueprint as ApiBlueprint
from werkzeug.exceptions import Conflict, NotFound

from konsey.app.extensions import api, csrf
from konsey.app.guard import SAFE_METHODS, current_principal
from konsey.core.accounts import roles_in
from konsey.core.permissions import Permission, allowed
from konsey.core.plugins import collect, council_hooks, migrations_dirs, plugin_blueprints


class PluginDisabled(Conflict):
    def __init__(self):
        from flask_babel import gettext as _

        super().__init__(_("This plugin is disabled in this council: its records can be read but not changed."))


def install(app: Flask) -> None:
    owners: dict[str, str] = {}
    for plugin_name, blueprint in plugin_blueprints():
        if isinstance(blueprint, ApiBlueprint):
            api.register_blueprint(blueprint)
            csrf.exempt(blueprint)  # bearer tokens only, as for the core API
        else:
            app.register_blueprint(blueprint)
        owners[blueprint.name] = plugin_name
    app.extensions["konsey_plugin_routes"] = owners
    _document_configurations()
    app.before_request(_gate)
    app.context_processor(_navigation)


def _document_configurations() -> None:
    """Each installed plugin's configuration schema in the OpenAPI document (``PluginConfig_<name>``), so what
    ``PUT …/plugins/<name>`` takes as ``config`` is typed like the rest of the API."""
    from konsey.core.bylaws import ex_officio_default  # here: the plugins load after the app exists
    from konsey.core.plugins import config_schema_of, installed  # here: the plugins load after the app exists

    known = api.spec.components.schemas
    configurations = []
    for name in sorted(installed()):
        schema = config_schema_of(name)
        if schema is not None and f"PluginConfig_{name}" not in known:
            api.spec.components.schema(f"PluginConfig_{name}", schema=schema)
        if schema is not None:
            configurations.append({"$ref": f"#/components/schemas/PluginConfig_{name}"})
    # A plugin's settings (taken by PUT …/plugins/<name>, shown in its state) are its own schema's.
    for component in ("Config", "PluginState"):
        config = ((known.get(component) or {}).get("properties") or {}).get("config")
        if config is not None and configurations:
            # null where the plugin is not enabled (its state), or {} for a plugin with no settings
            none = [{"type": "object", "nullable": True, "additionalProperties": False}] if config.get("nullable") else []
            config.clear()
            config.update({"anyOf": [*configurations, *none],
                           "description": "The plugin's settings, by its own schema (PluginConfig_<name>)."})
    # The assemblies whose president sits on the board by default are the installed plugins' to say.
    for document in known.values():
        board_seats = (document.get("properties") or {}).get("executive_board_ex_officio_assemblies")
        if board_seats is not None:
            board_seats["default"] = ex_officio_default()


def _gate():
    owners = current_owners()
    plugin = owners.get((request.blueprint or "").split(".")[0])
    if plugin is None or g.get("council") is None:
        return None

    hooks = council_hooks(g.council.id)
    if hooks.enabled(plugin):
        return None
    if plugin in hooks.known:
        if request.method in SAFE_METHODS or _open_while_disabled():
            return None
        raise PluginDisabled()
    raise NotFound()


def _open_while_disabled() -> bool:
    """A plugin's step that stays open where the council disabled it (konsey.pluginkit.open_while_disabled): a
    person erasing their own data, say; its records stay read-only otherwise."""
    from flask import current_app

    view = current_app.view_functions.get(request.endpoint)
    return bool(getattr(view, "konsey_open_while_disabled", False)
                or getattr(getattr(view, "view_class", None), "konsey_open_while_disabled", False))


def current_owners() -> dict[str, str]:
    from flask import current_app

    return current_app.extensions.get("konsey_plugin_routes", {})


def _navigation():
    def plugin_navigation() -> list[tuple[str, str]]:
        """(label, url) of the current council's enabled plugins that this person may use."""
        council = g.get("council")
        if council is None:
            return []

        principal = current_principal()
        if principal is None:
            return []
        roles = roles_in(principal, council.id)
        items = []
        for item in collect(council_hooks(council.id).hook.konsey_navigation()):
            permission = item.permission or Permission.COUNCIL_VIEW
            if allowed(permission, roles, principal.platform_role):
                items.append((str(item.label), url_for(item.endpoint, council_slug=council.slug)))
        return items

    def plugin_public_links() -> list[tuple[str, str]]:
        """(label, url) of the pages anyone may open that the current council's enabled plugins offer."""
        council = g.get("council")
        if council is None:
            return []
        return [(str(item.label), url_for(item.endpoint, council_slug=council.slug))
                for item in collect(council_hooks(council.id).hook.konsey_public_links())]

    return {"plugin_navigation": plugin_navigation, "plugin_public_links": plugin_public_links}


def configure_migrations(config):
    """Flask-Migrate hook: the plugins' migration folders join the core's as Alembic version locations."""
    from konsey.app.factory import MIGRATIONS_DIR  # the factory imports this module to install the plugins
    folders = [str(MIGRATIONS_DIR / "versions"), *migrations_dirs()]
    config.set_main_option("version_locations", os.pathsep.join(folders))
    return config
