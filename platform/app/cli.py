"""The ``konsey`` command line (a Flask CLI group): operators' tools and the embedded runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from marshmallow import ValidationError
from sqlalchemy import select

from konsey.core.errors import DomainError
from konsey.tenants.db import db


def _create_app():
    from konsey.app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main():
    """Konsey: the platform for Turkey's city councils."""


def register_commands(app) -> None:
    """Commands live on ``app.cli`` so that ``konsey …`` and Flask's test runner see the same ones."""
    for command in (councils, members, users, demo, serve, audit, plugins_group, outbox_group, deadletters):
        app.cli.add_command(command)
    from konsey.core.plugins import plugin_commands

    # Each plugin's own commands: `konsey plugin <name> <command> …`.
    plugin_group = click.Group("plugin", help="Commands that installed plugins add.")
    for plugin_name, command in plugin_commands():
        group = plugin_group.commands.get(plugin_name) or click.Group(plugin_name)
        command.callback = with_appcontext(command.callback)  # a fresh command object per call of the hook
        group.add_command(command)
        plugin_group.add_command(group)
    app.cli.add_command(plugin_group)


def _fail(message: str) -> None:
    click.secho(message, fg="red", err=True)
    sys.exit(2)


def _validation_failed(error: ValidationError) -> None:
    from konsey.schemas.messages import translate_validation_messages

    def show(prefix: str, messages) -> None:
        if isinstance(messages, dict):  # nested schemas: config.age_max
            for field, inner in messages.items():
                show(f"{prefix}.{field}" if prefix else str(field), inner)
            return
        for message in messages if isinstance(messages, list) else [messages]:
            click.secho(f"{prefix}: {message}", fg="red", err=True)

    show("", translate_validation_messages(error.messages))
    sys.exit(2)


# --- councils ----------------------------------------------------------------------------------------


@click.group()
def councils():
    """Onboard and manage councils."""


@councils.command("create")
@click.option("--name", required=True)
@click.option("--slug", required=True)
@click.option("--province", "province_code", required=True, type=int, help="Plate code, e.g. 35 for İzmir.")
@click.option("--municipality", "municipality_id", required=True, help="Municipality id from the reference list.")
@click.option("--contact-email", required=True)
@click.option("--contact-phone", default=None)
@click.option("--delivery-address", "motion_delivery_address", required=True)
@click.option("--locale", default="tr")
@click.option("--timezone", default="Europe/Istanbul")
@click.option("--admin-email", required=True, help="The first administrator (secretary general) to invite.")
@with_appcontext
def create_council(**options):
    """Onboard a council: bodies, default by-laws and an invitation for its first administrator."""
    from konsey.core.councils import onboard_council
    from konsey.core.invitations import send_invitation
    from konsey.schemas.councils import OnboardingSchema

    try:
        data = OnboardingSchema().load({k: v for k, v in options.items() if v is not None})
        onboarded = onboard_council(data)
    except (ValidationError, DomainError) as error:
        db.session.rollback()
        _validation_failed(error)
    url = send_invitation(onboarded.council, onboarded.invitation, onboarded.invitation_secret)
    db.session.commit()
    click.echo(f"Created council {onboarded.council.slug} ({onboarded.council.municipality_name}).")
    click.echo(f"Invitation for {onboarded.invitation.email}: {url}")


@councils.command("list")
@with_appcontext
def list_councils():
    from konsey.tenants.models import Council

    for council in db.session.scalars(select(Council).order_by(Council.slug)):
        click.echo(f"{council.slug:24} {council.status.value:11} {council.name}")


@councils.command("status")
@click.argument("slug")
@click.argument("status", type=click.Choice(["active", "suspended", "archived"]))
@click.option("--export-acknowledged", is_flag=True, help="Needed to archive: the export was taken.")
@click.option("--reason", default="")
@with_appcontext
def council_status(slug, status, export_acknowledged, reason):
    """Move a council through its lifecycle."""
    from konsey.core.councils import change_status
    from konsey.tenants.lifecycle import LifecycleError
    from konsey.tenants.models import CouncilStatus

    council = _council(slug)
    try:
        change_status(council, CouncilStatus(status), export_acknowledged=export_acknowledged, reason=reason)
    except LifecycleError as error:
        _fail(f"{error.field}: {error}")
    db.session.commit()
    click.echo(f"{slug}: {status}")


@councils.command("export")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export(slug, output: Path):
    """Write the council's full export (JSON)."""
    from konsey.core.export import export_council

    document = export_council(_council(slug))
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"Wrote {output} ({sum(len(rows) for rows in document['tables'].values())} rows).")


def _council(slug: str):
    from konsey.tenants.models import Council

    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        _fail(f"No council with the slug {slug!r}.")
    return council


# --- members -----------------------------------------------------------------------------------------


@click.group()
def members():
    """Council members."""


@members.command("import")
@click.argument("slug")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--dry-run", is_flag=True, help="Check every row and report; import nothing.")
@with_appcontext
def import_members_command(slug, csv_file, dry_run):
    """Import members from a CSV file: all rows or none."""
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.member_import import ImportFileError, import_members

    council = _council(slug)
    if council.is_read_only:
        _fail(f"{slug} is {council.status.value}: read-only.")
    content = csv_file.read()
    with bound_council(council.id):
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
                bar.__enter__()
            bar.update(done - bar.pos)

        try:
            report = import_members(content, dry_run=dry_run, progress=progress)
        except ImportFileError as error:
            db.session.rollback()
            _fail(f"{error.field}: {error}")
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
        for row_error in report.errors:
            click.secho(f"line {row_error.line}: {row_error.field}: {row_error.message}", fg="red", err=True)
        if not report.ok:
            db.session.rollback()
            _fail(f"{len(report.errors)} problem(s) in {report.total_rows} rows; nothing was imported.")
        if dry_run:
            db.session.rollback()
            click.echo(f"Dry run: all {report.total_rows} rows are valid; nothing was imported.")
            return
        db.session.commit()
        click.echo(f"Imported {report.imported} members into {slug}.")


# --- audit -------------------------------------------------------------------------------------------


@click.group()
def audit():
    """The councils' hash-chained audit logs."""


@audit.command("verify")
@click.argument("slug")
@with_appcontext
def verify_audit(slug):
    """Check that no entry of the council's audit log was edited or deleted (exit status 1 if one was)."""
    from konsey.core.audit import AuditEntry, verify_chain
    from konsey.tenants.scoping import bound_council

    council = _council(slug)
    with bound_council(council.id):
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        problems = verify_chain(entries, council.audit_head_seq, council.audit_head_hash)
    for problem in problems:
        click.secho(f"entry {problem.seq}: {problem.message}", fg="red", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{slug}: {len(entries)} entries, chain intact.")


# --- users -------------------------------------------------------------------------------------------


@click.group()
def users():
    """Accounts and platform roles."""


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--platform-role", type=click.Choice(["operator", "federation_analyst"]), default=None)
@with_appcontext
def create_user(email, display_name, password, platform_role):
    from konsey.core.accounts import PlatformRole, User, find_user_by_email, normalise_email

    if find_user_by_email(email) is not None:
        _fail(f"An account for {email} already exists.")
    if len(password) < 10:
        _fail("The password needs at least 10 characters.")
    user = User(email=normalise_email(email), display_name=display_name,
                platform_role=PlatformRole(platform_role) if platform_role else None)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Created {email}.")


# --- demo and the embedded runner ----------------------------------------------------------------------


@click.group()
def demo():
    """Demo data."""


@demo.command("seed")
@with_appcontext
def seed():
    """Create the demo councils, people and members (does nothing if they exist)."""
    from konsey.app.demo import seed_demo

    for line in seed_demo():
        click.echo(line)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int)
@click.option("--no-worker", is_flag=True, help="Do not start the Celery worker.")
@with_appcontext
def serve(host, port, no_worker):
    """Run the whole platform: migrate, seed the demo, start a Celery worker and the web server."""
    from konsey.app.runner import run_platform

    run_platform(current_app._get_current_object(), host=host, port=port, worker=not no_worker)


# --- plugins -------------------------------------------------------------------------------------------------


@click.group("plugins")
def plugins_group():
    """List, enable, reconfigure and disable a council's plugins."""


def _council_or_fail(slug: str):
    from konsey.tenants.models import Council

    council = db.session.scalar(select(Council).where(Council.slug == slug))
    if council is None:
        _fail(f"no council called {slug}")
    return council


@plugins_group.command("list")
@click.argument("council_slug")
@with_appcontext
def plugins_list(council_slug):
    """Every installed plugin and its state in the council."""
    from konsey.core import plugins
    from konsey.tenants.scoping import bound_council

    council = _council_or_fail(council_slug)
    with bound_council(council.id):
        for state in plugins.states():
            click.echo(f"{state['name']:<24} {state['state']:<10} {json.dumps(state['config'] or {}, ensure_ascii=False)}")


@plugins_group.command("enable")
@click.argument("council_slug")
@click.argument("plugin_name")
@click.option("--config", "config_json", default="{}", help="The plugin's settings as JSON.")
@with_appcontext
def plugins_enable(council_slug, plugin_name, config_json):
    _plugin_change(council_slug, plugin_name, "enable", config_json)


@plugins_group.command("configure")
@click.argument("council_slug")
@click.argument("plugin_name")
@click.option("--config", "config_json", required=True, help="The plugin's settings as JSON.")
@with_appcontext
def plugins_configure(council_slug, plugin_name, config_json):
    _plugin_change(council_slug, plugin_name, "reconfigure", config_json)


@plugins_group.command("disable")
@click.argument("council_slug")
@click.argument("plugin_name")
@with_appcontext
def plugins_disable(council_slug, plugin_name):
    _plugin_change(council_slug, plugin_name, "disable", None)


def _plugin_change(council_slug: str, plugin_name: str, action: str, config_json: str | None) -> None:
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import plugins
    from konsey.usecases.base import SYSTEM, acting_as

    council = _council_or_fail(council_slug)
    try:
        config = json.loads(config_json) if config_json is not None else None
    except json.JSONDecodeError as error:
        _fail(f"--config: {error}")
    use_cases = {"enable": plugins.enable_plugin, "reconfigure": plugins.reconfigure_plugin}
    with bound_council(council.id), acting_as(SYSTEM):
        try:
            state = (plugins.disable_plugin(plugin_name) if action == "disable"
                     else use_cases[action](plugin_name, config))
        except (ValidationError, DomainError) as error:
            _validation_failed(error)
        click.echo(f"{council_slug}: {plugin_name} {state['state']}")


# --- the outbox and dead letters -----------------------------------------------------------------------------


@click.group("outbox")
def outbox_group():
    """The transactional outbox."""


@outbox_group.command("relay")
@with_appcontext
def outbox_relay():
    """Publish the pending events now (Celery beat does this every few seconds)."""
    from konsey.worker.relay import relay

    click.echo(f"published: {relay()}")


@click.group("deadletters")
def deadletters():
    """Tasks that failed for good: list them, send them again."""


@deadletters.command("list")
@click.argument("council_slug")
@with_appcontext
def deadletters_list(council_slug):
    from konsey.core.outbox import DeadLetter
    from konsey.tenants.scoping import bound_council

    council = _council_or_fail(council_slug)
    with bound_council(council.id):
        for letter in db.session.scalars(select(DeadLetter).order_by(DeadLetter.failed_at.desc())):
            state = "retried" if letter.retried_at else "waiting"
            click.echo(f"{letter.id}  {letter.failed_at:%Y-%m-%d %H:%M}  {letter.task}  {state}  {letter.error[:80]}")


@deadletters.command("retry")
@click.argument("council_slug")
@click.argument("letter_id")
@with_appcontext
def deadletters_retry(council_slug, letter_id):
    import uuid as uuid_module

    from konsey.core.outbox import DeadLetter, retry_dead_letter
    from konsey.tenants.scoping import bound_council

    council = _council_or_fail(council_slug)
    with bound_council(council.id):
        try:
            letter = db.session.scalar(select(DeadLetter).where(DeadLetter.id == uuid_module.UUID(letter_id)))
        except ValueError:
            letter = None
        if letter is None:
            _fail(f"no dead letter {letter_id} in {council_slug}")
        try:
            retry_dead_letter(letter)
        except (ValidationError, DomainError) as error:
            db.session.rollback()
            _validation_failed(error)
        db.session.commit()
        click.echo(f"sent again: {letter.task}")
