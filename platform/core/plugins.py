"""Plugins: discovery, per-council enablement and the hook callers a council's code uses.

Discovery happens once per process: the built-in assemblies (the packages of ``konsey.plugins``,
:func:`builtin_plugins`) and every package that declares an entry point in the ``konsey`` group are registered
with one pluggy manager. Which of them *answer* is a
council's choice: :func:`council_hooks` gives the hook relay of the current council, made of pluggy subset
hook callers that leave out every plugin the council has not enabled. The relay is cached per council and
per ``Council.plugins_version``, which every enable, reconfigure and disable bumps, so a change is seen by
every process on its next request without a shared cache.
"""

from __future__ import annotations

import importlib
import pkgutil
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import pluggy
from flask import g, has_app_context
from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, String, select
from sqlalchemy.orm import Mapped, mapped_column

from konsey.core import hookspecs
from konsey.core.audit import record
from konsey.core.bodies import Body, create_body
from konsey.core.errors import Conflict, Invalid
from konsey.tenants.db import CouncilOwned, db, utcnow
from konsey.tenants.models import Council
from konsey.tenants.scoping import NoCouncilBound, current_council_id

# The built-in plugins are the packages in konsey.plugins (plugins/), each registered under its folder's name:
# a new assembly is a folder, named nowhere else. A third-party plugin's name is its entry point's.
BUILTIN_PACKAGE = "konsey.plugins"
ENTRY_POINT_GROUP = "konsey"
# The statute's defaults (quorum, majority, tie, channels), as a plugin that answers last for every council and
# is never listed, enabled or disabled. Imported by its name, as the plugins are: it reads the core's services,
# which call the hooks through this module.
STATUTE = "statute"
STATUTE_MODULE = "konsey.core.statute"


def builtin_plugins() -> dict[str, str]:
    """Folder name → module of every built-in plugin."""
    package = importlib.import_module(BUILTIN_PACKAGE)
    return {found.name: f"{BUILTIN_PACKAGE}.{found.name}"
            for found in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name) if found.ispkg}


class PluginEnablement(CouncilOwned, db.Model):
    """A plugin a council has enabled (or had enabled: a disabled plugin's data stays, read-only)."""

    __tablename__ = "plugin_enablements"

    plugin: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    config: Mapped[dict] = mapped_column(JSON, default=dict)
    enabled_at: Mapped[datetime] = mapped_column(default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    __council_table_args__ = (db.UniqueConstraint("council_id", "plugin"),)


# --- discovery ------------------------------------------------------------------------------------------------

_manager: pluggy.PluginManager | None = None


def plugin_manager() -> pluggy.PluginManager:
    """The process's plugin manager, with the built-ins and the entry-point plugins registered."""
    global _manager
    if _manager is None:
        manager = pluggy.PluginManager("konsey")
        manager.add_hookspecs(hookspecs)
        manager.register(importlib.import_module(STATUTE_MODULE), name=STATUTE)
        for name, module in builtin_plugins().items():
            manager.register(importlib.import_module(module), name=name)
        manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        _manager = manager
    return _manager


def installed() -> dict[str, object]:
    """Every installed plugin by name (built-ins and entry points alike)."""
    return {name: plugin for name, plugin in plugin_manager().list_name_plugin()
            if plugin is not None and name != STATUTE}


def register(plugin: object, name: str) -> None:
    """Register a plugin object at run time (tests and benchmarks; packages use the entry point)."""
    plugin_manager().register(plugin, name=name)
    _relays.clear()
    _body_types.clear()


def unregister(name: str) -> None:
    plugin_manager().unregister(name=name)
    _relays.clear()
    _body_types.clear()


_body_types: list = []  # the installed plugins' body types, asked once (the by-laws read them on every call)


def installed_body_types() -> list:
    """Every body type the installed plugins add (whether or not a council enabled them)."""
    if not _body_types:
        _body_types.extend(body_type for answer in plugin_manager().hook.konsey_body_types() for body_type in answer or [])
    return list(_body_types)


def only(name: str) -> pluggy.HookRelay:
    """The hooks of one plugin alone (its own schema, its body types…), whatever the council."""
    return _Relay(plugin_manager(), keep={name})


# --- the council's relay --------------------------------------------------------------------------------------


class _Relay:
    """``relay.<hook>(...)`` calls the hook on the kept plugins only (pluggy subset hook callers, made lazily)."""

    def __init__(self, manager: pluggy.PluginManager, keep: set[str]):
        self._manager, self._keep, self._callers = manager, keep, {}
        self._leave_out = [p for n, p in manager.list_name_plugin() if n not in keep and p is not None]

    def __getattr__(self, hook: str):
        caller = self._callers.get(hook)
        if caller is None:
            caller = self._manager.subset_hook_caller(hook, self._leave_out)
            self._callers[hook] = caller
        return caller


@dataclass
class CouncilHooks:
    """What one council's code needs from its plugins: the enabled ones, their configs, the hook relay."""

    council_id: uuid.UUID
    version: int
    configs: dict[str, dict]  # enabled plugin → its validated configuration
    known: set[str]  # every plugin the council ever enabled (disabled ones keep their data)
    hook: _Relay = field(repr=False, default=None)
    cache: dict = field(repr=False, default_factory=dict)  # derived values (by-law schema…), per version

    def enabled(self, name: str) -> bool:
        return name in self.configs


_relays: dict[tuple[uuid.UUID, int], CouncilHooks] = {}
_RELAYS_KEPT = 512


def council_hooks(council_id: uuid.UUID | None = None) -> CouncilHooks:
    """The current (bound) council's plugins and hook relay; cheap after the first call per version."""

    council_id = council_id or current_council_id()
    if council_id is None:
        raise NoCouncilBound("plugin hooks are called for one council")
    # Once per request or task (an app context): the version is read from the database only then.
    per_context = g.setdefault("konsey_council_hooks", {}) if has_app_context() else {}
    if council_id in per_context:
        return per_context[council_id]
    council = db.session.get(Council, council_id)
    key = (council_id, council.plugins_version)
    hooks = _relays.get(key)
    if hooks is None:
        rows = db.session.scalars(select(PluginEnablement)).all()
        present = installed()
        configs = {r.plugin: r.config or {} for r in rows if r.enabled and r.plugin in present}
        hooks = CouncilHooks(council_id, council.plugins_version, configs, {r.plugin for r in rows})
        hooks.hook = _Relay(plugin_manager(), keep={*configs, STATUTE})
        if len(_relays) >= _RELAYS_KEPT:
            _relays.clear()
        _relays[key] = hooks
    per_context[council_id] = hooks
    return hooks


def plugin_config(name: str) -> dict:
    """The current council's configuration of plugin ``name`` ({} where it is not enabled)."""
    return council_hooks().configs.get(name, {})


def notification_template(kind: str) -> tuple[str, str]:
    """(subject, body) of a notification kind as the current council's plugins define it."""
    templates = {}
    for answer in council_hooks().hook.konsey_notification_templates():
        templates.update(answer or {})
    return templates[kind]


def indicator_values() -> dict[str, float]:
    """The current council's plugin indicators for the federation (aggregates only), code → value."""
    return {indicator.code: indicator.compute()
            for indicator in collect(council_hooks().hook.konsey_federation_indicators())}


def package_files(motion) -> list:
    """Files the current council's plugins add to a motion's package (PackageFile objects)."""
    return collect(council_hooks().hook.konsey_motion_package_files(motion=motion))


def collect(results) -> list:
    """Flatten a hook's answers (each plugin answers with a list or None)."""
    return [item for answer in results or [] if answer for item in answer]


# --- enabling, reconfiguring, disabling ---------------------------------------------------------------------


def title_of(name: str) -> str:
    """The plugin's human name: its module's ``TITLE`` (translated), else its docstring's first line, else its
    name."""
    plugin = installed().get(name)
    if getattr(plugin, "TITLE", None):
        return str(plugin.TITLE)
    doc = (getattr(plugin, "__doc__", None) or "").strip()
    return doc.splitlines()[0].rstrip(".") if doc else name


def state_of(name: str) -> dict:
    row = enablement_of(name)
    state = "available" if row is None else ("enabled" if row.enabled else "disabled")
    return {"name": name, "title": title_of(name), "state": state, "config": row.config if row else None}


def states() -> list[dict]:
    return [state_of(name) for name in sorted(installed())]


def config_schema_of(name: str):
    """The marshmallow schema class of the plugin's configuration, or None when it takes none."""
    return only(name).konsey_config_schema()


def require_installed(name: str) -> None:
    if name not in installed():
        raise Invalid({"plugin": [_("There is no plugin called %(name)s.", name=name)]})


def _bump() -> None:

    council = db.session.get(Council, current_council_id())
    council.plugins_version = (council.plugins_version or 0) + 1
    if has_app_context():
        g.pop("konsey_council_hooks", None)  # this context sees the change at once


def enablement_of(name: str) -> PluginEnablement | None:
    return db.session.scalar(select(PluginEnablement).where(PluginEnablement.plugin == name))


def enable(name: str, settings: dict) -> PluginEnablement:
    """Enable a plugin for the current council with ``settings`` (validated by the plugin's schema, defaults
    filled in); enabling again after a disable brings its data back."""
    require_installed(name)
    existing = enablement_of(name)
    if existing is not None and existing.enabled:
        raise Conflict({"plugin": [_("This plugin is already enabled.")]})
    if existing is None:
        existing = PluginEnablement(plugin=name, enabled=True, config=settings)
        db.session.add(existing)
    else:
        existing.enabled, existing.config, existing.changed_at = True, settings, utcnow()
    db.session.flush()
    _create_bodies(name)
    _bump()
    record("plugin.enabled", existing, {"plugin": name, "settings": sorted(settings)})
    return existing


def reconfigure(name: str, settings: dict) -> PluginEnablement:
    require_installed(name)
    existing = enablement_of(name)
    if existing is None or not existing.enabled:
        raise Conflict({"plugin": [_("This plugin is not enabled.")]})
    existing.config, existing.changed_at = settings, utcnow()
    _bump()
    record("plugin.reconfigured", existing, {"plugin": name, "settings": sorted(existing.config)})
    return existing


def disable(name: str) -> PluginEnablement:
    """Stop a plugin for the current council; its data stays, read-only, until it is enabled again."""
    require_installed(name)
    existing = enablement_of(name)
    if existing is None or not existing.enabled:
        raise Conflict({"plugin": [_("This plugin is not enabled.")]})
    existing.enabled, existing.changed_at = False, utcnow()
    _bump()
    record("plugin.disabled", existing, {"plugin": name})
    return existing


def _create_bodies(name: str) -> None:
    for body_type in collect(only(name).konsey_body_types()):
        if db.session.scalar(select(Body.id).where(Body.type_code == body_type.code)) is None:
            body = create_body(body_type.kind, body_type.name)
            body.type_code = body_type.code


# --- the application side: routes, gate, navigation --------------------------------------------------------


def plugin_blueprints() -> list[tuple[str, object]]:
    """(plugin name, blueprint) for every installed plugin's blueprints."""
    pairs = []
    for impl in plugin_manager().hook.konsey_blueprints.get_hookimpls():
        for blueprint in impl.function() or []:
            pairs.append((impl.plugin_name, blueprint))
    return pairs


def plugin_commands() -> list[tuple[str, object]]:
    pairs = []
    for impl in plugin_manager().hook.konsey_cli_commands.get_hookimpls():
        for command in impl.function() or []:
            pairs.append((impl.plugin_name, command))
    return pairs


def plugin_jobs() -> list[tuple[str, object]]:
    pairs = []
    for impl in plugin_manager().hook.konsey_scheduled_jobs.get_hookimpls():
        for job in impl.function() or []:
            pairs.append((impl.plugin_name, job))
    return pairs


def migrations_dirs() -> list[str]:
    return [d for d in plugin_manager().hook.konsey_migrations_dir() if d]
