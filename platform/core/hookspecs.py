"""Every hook a Konsey plugin can implement, in one place.

A plugin is a module or object with functions named like the specifications below and marked with
``konsey.pluginkit.hookimpl``. Plugins are found among the packages of ``konsey.plugins`` (one folder each) and in
the ``konsey`` entry-point group, and each council enables the ones it wants (with its own configuration).

Hooks fall in two groups:

* **Council hooks** are called for one council, through ``konsey.core.plugins.council_hooks().hook``: only
  the plugins that council has enabled answer, with the council bound. A plugin reads its own
  configuration for that council (validated by its schema) with ``konsey.pluginkit.plugin_config(name)``.
* **Platform hooks** are called once when the application or the worker starts (routes, commands,
  schedules, indicators): every installed plugin answers, and the per-council gate is applied when the
  route, command or job runs.

Unless a specification says "first answer wins", every plugin's answer is collected in a list (``None``
answers are dropped by pluggy). ``docs/plugins.md`` documents each hook; a test keeps the two in step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:  # only for the annotations; plugins get these through konsey.pluginkit
    from datetime import date

    import click
    import marshmallow
    from flask import Blueprint

    from konsey.core.bodies import Body
    from konsey.core.hooktypes import (
        BodyType,
        Indicator,
        NavigationItem,
        PackageFile,
        RetentionKind,
        ScheduledJob,
    )
    from konsey.core.membership import Member
    from konsey.core.rules.meetings import Tally

hookspec = pluggy.HookspecMarker("konsey")
hookimpl = pluggy.HookimplMarker("konsey")  # what a plugin marks its implementations with (konsey.pluginkit)


# --- describing the plugin (platform hooks) ------------------------------------------------------------------


@hookspec(firstresult=True)
def konsey_config_schema() -> type[marshmallow.Schema] | None:
    """The marshmallow schema class of the plugin's per-council configuration.

    Called on that plugin alone when a council enables or reconfigures it. What the schema loads (defaults
    filled in) is stored and is what ``plugin_config(name)`` returns. A plugin without settings need not
    implement it: it then takes an empty configuration.
    """


@hookspec
def konsey_body_types() -> list[BodyType]:
    """The kinds of body the plugin adds (assemblies), as ``BodyType(code, name, kind)``.

    Called when a council enables the plugin: a body of each type is created for the council (proposed to
    the general assembly, as the Regulation wants) unless one exists already, so enabling again reuses it.
    """


@hookspec
def konsey_blueprints() -> list[Blueprint]:
    """Flask blueprints for the plugin's pages and API, registered once at application start.

    Page blueprints should use ``url_prefix="/<council_slug>/p/<plugin name>"`` and API blueprints
    ``/api/v1/councils/<council_slug>/plugins/<plugin name>``; the platform adds the council resolution and
    a gate that answers 404 where the council has not enabled the plugin (and refuses changes where it was
    disabled: the plugin's data stays, read-only). Views declare their permission with ``requires``.
    """


@hookspec
def konsey_cli_commands() -> list[click.Command]:
    """Click commands added under ``konsey plugins run <plugin> …``; they bind a council themselves."""


@hookspec
def konsey_scheduled_jobs() -> list[ScheduledJob]:
    """Periodic jobs for Celery beat, as ``ScheduledJob(name, task, every_seconds)``.

    Called when the worker's Celery app is built. The platform runs the job once per council that has the
    plugin enabled, with that council bound.
    """


@hookspec
def konsey_federation_indicators() -> list[Indicator]:
    """Indicators the federation may compare, as ``Indicator(code, label, compute)``.

    ``compute()`` is called with one council bound and must return a number (an aggregate: never
    anything about a person). Called for councils that have the plugin enabled.
    """


@hookspec
def konsey_migrations_dir() -> str | None:
    """The folder of the plugin's own Alembic migrations (an Alembic branch that depends on the core), or
    ``None``. Called when the application starts; the folders join Alembic's version locations."""


# --- council hooks -----------------------------------------------------------------------------------------


@hookspec
def konsey_bylaw_fields() -> dict[str, marshmallow.fields.Field]:
    """Extra by-law profile fields the plugin adds, name → marshmallow field (with ``load_default``).

    Called whenever a council's by-law profile is validated or read: the fields join the core schema, so a
    new profile version is checked against them and the parameters in force carry their values.
    """


@hookspec
def konsey_navigation() -> list[NavigationItem]:
    """Links the plugin adds to the council's navigation, as ``NavigationItem(label, endpoint, permission)``.

    Called while a council page is rendered; an item is shown only to those with its permission.
    """


@hookspec
def konsey_public_links() -> list[NavigationItem]:
    """Pages of the plugin that anyone may open (no sign-in), as ``NavigationItem(label, endpoint)``: linked from the
    council's public page, where residents find them. Called while that page is rendered; ``permission`` is
    ignored (the page's own use case decides)."""


@hookspec
def konsey_membership_eligibility(body: Body, member: Member, on: date) -> list[str] | None:
    """Why ``member`` may not take a seat in ``body`` on day ``on``: a list of translated reasons, or None.

    Called before any seat is assigned, for every body; a plugin answers for the bodies it cares about
    (usually its own body type) and returns ``None`` for the others. Any reason refuses the seat.
    """


@hookspec(firstresult=True)
def konsey_quorum_rule(body: Body, full_membership: int, bylaws: dict, reconvened: bool, on: date) -> int | None:
    """How many must be present for ``body`` to meet on day ``on``, overriding the statutory rule; first answer
    wins.

    Called whenever the quorum of a meeting is computed. Return ``None`` to keep the by-laws' rule (the statute,
    ``konsey.core.statute``, answers last with it).
    """


@hookspec(firstresult=True)
def konsey_votes_needed(body: Body, tally: Tally, bylaws: dict) -> int | None:
    """How many yes votes adopt a decision of ``body``, overriding the majority rule; first answer wins.

    Called when a vote is closed. Return ``None`` to keep the by-laws' majority rule (the statute answers last).
    """


@hookspec(firstresult=True)
def konsey_tie_rule(body: Body, bylaws: dict) -> str | None:
    """The tie rule (``chair_decides``, ``lot`` or ``fails``) for ``body``, overriding the by-laws'; first
    answer wins (the statute answers last with the by-laws'). Called when a vote closes, and when an election's
    last round ends tied (``body``: the electing body)."""


@hookspec
def konsey_candidate_eligibility(election: Any, member: Member) -> list[str] | None:
    """Why ``member`` may not stand in ``election``: translated reasons, or None. Called when a candidacy is
    registered, after the statutory checks (category, term limits)."""


@hookspec
def konsey_seat_allocation_check(election: Any, elected: list[Member]) -> list[str] | None:
    """Why an election's result (the members about to take seats) breaks a plugin's constraint: reasons, or
    None. Called before the seats of a decided election are created; any reason refuses the result."""


@hookspec
def konsey_seat_assigned(body: Body, seat: Any) -> None:
    """A seat was just assigned (by hand or by an election), in the same transaction. Called for every
    body; a plugin may add related seats (an assembly president's ex-officio seat on the executive board)."""


@hookspec
def konsey_motion_package_files(motion: Any) -> list[PackageFile]:
    """Extra files for a motion's package (``PackageFile(name, content, title)``), for instance a
    gender-impact note. Called while the package is built; the files are listed in its manifest."""


@hookspec
def konsey_notification_templates() -> dict[str, tuple[str, str]]:
    """Notification templates the plugin adds or replaces: kind → (subject, body), with ``{placeholders}``.

    Called when a notification of a council is rendered; a plugin's template replaces the core's for that
    kind in councils that enabled it.
    """


@hookspec
def konsey_delivery_channels() -> list:
    """Delivery channels the plugin adds for motion packages (KEP, e-Yazışma…): objects with a ``name`` and
    ``deliver(route, motion, package, receipt_url) -> Result`` as ``konsey.core.delivery.Channel`` describes.

    Called, for the current council, when a motion is delivered and when its route is chosen; a channel of
    the same name as the statute's (``email``, ``webhook``, ``download``) replaces it for that council. A channel that needs a provider account or
    a qualified e-signature belongs here, never faked over plain e-mail.
    """


@hookspec
def konsey_retention_kinds() -> list[RetentionKind]:
    """Kinds of record the council keeps only for a while after their purpose ends (``RetentionKind``: a code, a
    label, the by-law parameter of its days, and ``due``/``expire`` by a cutoff date): a children's assembly's
    minors once they come of age, for instance.

    Called, for the current council, by the daily retention sweep (which expires what is due and audits the
    counts, never a value) and by the council's personal-data page (which shows what is due). The statute
    answers with the core's kinds.
    """


@hookspec
def konsey_demo_life(today: date) -> None:
    """Give the council the plugin's part of the demo's year of life (residents, their proposals…), with the council
    bound and the platform acting. Called once, when the embedded demo makes a demo council that enabled the
    plugin, after the core's own history (its bodies, meetings, decisions and motions exist by then)."""
