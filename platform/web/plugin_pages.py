"""The council's plugins page: enable an assembly with its settings, change them, disable it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError, fields

from konsey.core import plugins
from konsey.core.db import db
from konsey.core.permissions import Permission, requires

bp = Blueprint("plugin_pages", __name__, url_prefix="/<council_slug>/plugins")


def _settings_fields(name: str) -> list[tuple[str, fields.Field, object]]:
    """(field name, marshmallow field, current or default value) of a plugin's configuration schema."""
    schema_class = plugins.only(name).konsey_config_schema()
    if schema_class is None:
        return []
    current = (plugins.enablement_of(name).config if plugins.enablement_of(name) else None) or {}
    defaults = schema_class().dump(schema_class().load({})) if _loads_empty(schema_class) else {}
    return [(key, field, current.get(key, defaults.get(key))) for key, field in schema_class().fields.items()
            if not field.dump_only]


def _loads_empty(schema_class) -> bool:
    try:
        schema_class().load({})
    except ValidationError:
        return False
    return True


def _form_config(name: str) -> dict:
    """The submitted settings, typed as the plugin's schema expects (the schema itself then validates)."""
    config = {}
    for key, field, _value in _settings_fields(name):
        raw = request.form.get(key, "")
        if isinstance(field, fields.Boolean):
            config[key] = request.form.get(key) == "y"
        elif raw.strip() == "":
            continue
        elif isinstance(field, fields.Integer):
            config[key] = int(raw) if raw.strip().lstrip("-").isdigit() else raw
        elif isinstance(field, fields.List):
            config[key] = [part.strip() for part in raw.split(",") if part.strip()]
        else:
            config[key] = raw.strip()
    return config


@bp.get("/")
@requires(Permission.COUNCIL_VIEW)
def index():
    return render_template("plugins/index.html", states=plugins.states(),
                           settings={name: _settings_fields(name) for name in plugins.installed()},
                           is_bool=lambda f: isinstance(f, fields.Boolean))


def _act(name: str, action, message: str):
    if name not in plugins.installed():
        abort(404)
    try:
        action()
    except ValidationError as error:
        db.session.rollback()
        messages = error.messages.get("config", error.messages) if isinstance(error.messages, dict) else {}
        for key, problems in messages.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                flash(f"{key}: {problem}", "error")
    else:
        db.session.commit()
        flash(message, "success")
    return redirect(url_for("plugin_pages.index"))


@bp.post("/<plugin_name>/enable")
@requires(Permission.PLUGINS_MANAGE)
def enable(plugin_name):
    return _act(plugin_name, lambda: plugins.enable(plugin_name, _form_config(plugin_name)), _("Enabled."))


@bp.post("/<plugin_name>/configure")
@requires(Permission.PLUGINS_MANAGE)
def configure(plugin_name):
    return _act(plugin_name, lambda: plugins.reconfigure(plugin_name, _form_config(plugin_name)), _("Saved."))


@bp.post("/<plugin_name>/disable")
@requires(Permission.PLUGINS_MANAGE)
def disable(plugin_name):
    return _act(plugin_name, lambda: plugins.disable(plugin_name),
                _("Disabled. Its records are kept and can be read."))
