"""The council's plugins page: enable an assembly with its settings, change them, disable it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import fields

from konsey.core.errors import DomainError
from konsey.usecases import plugins
from konsey.usecases.base import performs

bp = Blueprint("plugin_pages", __name__, url_prefix="/<council_slug>/plugins")


def _form_config(name: str) -> dict:
    """The submitted settings, typed as the plugin's schema expects (the schema itself then validates)."""
    config = {}
    for key, field, _value in plugins.settings_of(name):
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
@performs(plugins.plugin_states)
def index():
    return render_template("plugins/index.html", states=plugins.plugin_states(),
                           settings={name: plugins.settings_of(name) for name in plugins.installed_names()},
                           is_bool=lambda f: isinstance(f, fields.Boolean))


def _act(name: str, action, message: str):
    if name not in plugins.installed_names():
        abort(404)
    try:
        action()
    except DomainError as error:
        messages = error.errors.get("config", error.errors)
        for key, problems in messages.items():
            for problem in problems if isinstance(problems, list) else [problems]:
                flash(f"{key}: {problem}", "error")
    else:
        flash(message, "success")
    return redirect(url_for("plugin_pages.index"))


@bp.post("/<plugin_name>/enable")
@performs(plugins.enable_plugin)
def enable(plugin_name):
    return _act(plugin_name, lambda: plugins.enable_plugin(plugin_name, _form_config(plugin_name)), _("Enabled."))


@bp.post("/<plugin_name>/configure")
@performs(plugins.reconfigure_plugin)
def configure(plugin_name):
    return _act(plugin_name, lambda: plugins.reconfigure_plugin(plugin_name, _form_config(plugin_name)), _("Saved."))


@bp.post("/<plugin_name>/disable")
@performs(plugins.disable_plugin)
def disable(plugin_name):
    return _act(plugin_name, lambda: plugins.disable_plugin(plugin_name),
                _("Disabled. Its records are kept and can be read."))
