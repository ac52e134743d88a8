"""The ``konsey`` command line (a Flask CLI group): operators' tools and the embedded runner."""

from __future__ import annotations

import json
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from marshmallow import ValidationError

from konsey.app.demo import seed_demo
from konsey.app.runner import run_platform, serve_production
from konsey.core.errors import DomainError, NotFound
from konsey.core.plugins import plugin_commands
from konsey.schemas.messages import translate_validation_messages
from konsey.usecases import account as account_cases
from konsey.usecases import councils as council_cases
from konsey.usecases import meeting_record as record_cases
from konsey.usecases import members as member_cases
from konsey.usecases import motions as motion_cases
from konsey.usecases import personal_data as personal_data_cases
from konsey.usecases import plugins as plugin_cases
from konsey.usecases import second_factor as second_factor_cases
from konsey.usecases.base import SYSTEM, acting_as
from konsey.usecases.member_import import ImportFileError
from konsey.worker.relay import relay


def _create_app():
    from konsey.app import create_app  # konsey.app imports this module to register the commands

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=True)
def main():
    """Konsey: the platform for Turkey's city councils."""


def register_commands(app) -> None:
    """Commands live on ``app.cli`` so that ``konsey …`` and Flask's test runner see the same ones."""
    for command in (councils, members, users, demo, serve, live, audit, package_group, plugins_group, outbox_group,
                    deadletters, keys_group):
        app.cli.add_command(command)

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


def _validation_failed(error: ValidationError | DomainError) -> None:
    """Each refused field's messages, one per line, named (``name: …``, ``config.age_max: …``); exit 2."""

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
@click.option("--slug", default=None, help="The address; made from the name if left out (İnegöl → inegol).")
@click.option("--province", "province_code", required=True, type=int, help="Plate code, e.g. 35 for İzmir.")
@click.option("--municipality", "municipality_id", required=True, help="Municipality id from the reference list.")
@click.option("--contact-email", required=True)
@click.option("--contact-phone", default=None)
@click.option("--delivery-address", "motion_delivery_address", required=True)
@click.option("--locale", default="tr")
@click.option("--timezone", default="Europe/Istanbul")
@click.option("--admin-email", required=True, help="The first administrator (secretary general) to invite.")
@click.option("--neighbourhood-count", "neighbourhood_count", type=int, default=None,
              help="Neighbourhoods (mahalle) of the municipality: it caps the muhtars who may be members.")
@click.option("--activate", is_flag=True, help="Make the council active at once (it takes applications).")
@with_appcontext
def create_council(activate, **options):
    """Onboard a council: bodies, default by-laws and an invitation for its first administrator."""
    with acting_as(SYSTEM):
        try:
            onboarded = council_cases.onboard_council({k: v for k, v in options.items() if v is not None})
            if activate:
                council_cases.change_status(onboarded.council.slug, {"status": "active", "reason": "onboarded"})
        except (ValidationError, DomainError) as error:
            _validation_failed(error)
    state = "active" if activate else onboarded.council.status.value
    click.echo(f"Created council {onboarded.council.slug} ({onboarded.council.municipality_name}), {state}.")
    click.echo(f"Invitation for {onboarded.invitation_email}: {onboarded.invitation_url}")


@councils.command("list")
@with_appcontext
def list_councils():
    with acting_as(SYSTEM):
        for council in sorted(council_cases.my_councils(), key=lambda c: c.slug):
            click.echo(f"{council.slug:24} {council.status.value:11} {council.name}")


@councils.command("status")
@click.argument("slug")
@click.argument("status", type=click.Choice(["active", "suspended", "archived"]))
@click.option("--export-acknowledged", is_flag=True, help="Needed to archive: the export was taken.")
@click.option("--reason", default="")
@with_appcontext
def council_status(slug, status, export_acknowledged, reason):
    """Move a council through its lifecycle."""
    with acting_as(SYSTEM):
        try:
            council_cases.change_status(slug, {"status": status, "export_acknowledged": export_acknowledged,
                                               "reason": reason})
        except DomainError as error:
            _validation_failed(error)
    click.echo(f"{slug}: {status}")


@councils.command("export")
@click.argument("slug")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Encrypt the export with the passphrase in this file and sign it with the council's key.")
@with_appcontext
def export(slug, output: Path, passphrase_file: Path | None):
    """Write the council's full export (JSON; encrypted and signed with --passphrase-file)."""
    if passphrase_file is not None:
        with _council_bound(slug):
            try:
                output.write_bytes(council_cases.full_export_sealed(_passphrase(passphrase_file)))
            except ValueError as error:
                _fail(str(error))
        click.echo(f"Wrote {output}, encrypted and signed.")
        return
    with _council_bound(slug):
        document = council_cases.full_export()
    output.write_text(json.dumps(document, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    click.echo(f"Wrote {output} ({sum(len(rows) for rows in document['tables'].values())} rows).")


def _passphrase(path: Path) -> str:
    """A passphrase from a file (never on the command line, where every user of the machine sees it)."""
    return path.read_text(encoding="utf-8").strip("\n")


@councils.command("import")
@click.argument("export_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The passphrase of an encrypted, signed export.")
@with_appcontext
def import_command(export_file: Path, passphrase_file: Path | None):
    """Restore a council from its full export (into an instance that does not have it)."""
    try:
        document, fingerprint = council_cases.opened_export(
            export_file.read_bytes(), _passphrase(passphrase_file) if passphrase_file else None)
    except (OSError, ValueError) as error:
        _fail(f"cannot read {export_file}: {error}")
    if fingerprint is not None:
        click.echo(f"Signed by the council's key {fingerprint}: compare it with the one on its public page.")
    with acting_as(SYSTEM):
        try:
            council, counts = council_cases.import_council(document)
        except DomainError as error:
            _fail("; ".join(f"{field}: {m}" for field, ms in error.errors.items() for m in ms))
    click.echo(f"Restored {council.name} ({council.slug}): {sum(counts.values())} rows in {len(counts)} tables.")
    click.echo("A new webhook secret was made (give it to the municipality); the signing key is made anew "
               "on the next package.")


@contextmanager
def _council_bound(slug: str):
    """The council named by ``slug`` bound, the platform acting (the operator at the command line)."""
    council = council_cases.named(slug)
    if council is None:
        _fail(f"no council called {slug}")
    with council_cases.as_the_platform_in(council):
        yield council


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
    content = csv_file.read()
    with _council_bound(slug) as council:
        if council.is_read_only:
            _fail(f"{slug} is {council.status.value}: read-only.")
        bar = None

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:
                bar = click.progressbar(length=total, label="Importing", file=sys.stderr)
                bar.__enter__()
            bar.update(done - bar.pos)

        try:
            report = member_cases.import_members(content, dry_run=dry_run, progress=progress)
        except ImportFileError as error:
            _fail(f"{error.field}: {error}")
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
    for row_error in report.errors:
        click.secho(f"line {row_error.line}: {row_error.field}: {row_error.message}", fg="red", err=True)
    if not report.ok:
        _fail(f"{len(report.errors)} problem(s) in {report.total_rows} rows; nothing was imported.")
    if dry_run:
        click.echo(f"Dry run: all {report.total_rows} rows are valid; nothing was imported.")
        return
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
    with _council_bound(slug):
        count, problems = council_cases.verify_audit_chain()
    for problem in problems:
        click.secho(f"entry {problem.seq}: {problem.message}", fg="red", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{slug}: {count} entries, chain intact.")


# --- the councils' data keys (konsey.core.keyring) -----------------------------------------------------


@click.group("keys")
def keys_group():
    """The master key and each council's data keys, which seal special-category data and identity numbers."""


@keys_group.command("new-master-key")
@click.argument("key_id")
def new_master_key(key_id):
    """Print a new master key line (``id:base64``): put it first in KONSEY_MASTER_KEYS or the key file, keep the old
    one after it, restart, then run ``konsey keys rewrap``."""
    click.echo(personal_data_cases.new_master_key_line(key_id))


@keys_group.command("rewrap")
@with_appcontext
def rewrap_keys():
    """Wrap every council's keys under the first master key; the old one may go when every council says 0."""
    with acting_as(SYSTEM):
        moved = personal_data_cases.rewrap_every_council()
    for slug, count in moved.items():
        click.echo(f"{slug}: keys rewrapped: {count}")


@keys_group.command("rotate")
@click.argument("slug")
@with_appcontext
def rotate_key(slug):
    """A new data key for the council, and every value sealed again with it (the worker would do it too)."""
    with _council_bound(slug):
        version = personal_data_cases.rotate_data_key()
        while personal_data_cases.reseal(2000):
            status = personal_data_cases.key_status()
            click.echo(f"{slug}: {status['sealed']} of {status['total']} values sealed with key {version}")
    click.echo(f"{slug}: data key {version} in use")


@keys_group.command("reseal")
@click.argument("slug")
@with_appcontext
def reseal(slug):
    """Seal the council's values with its newest key: those sealed with an older one, and those stored in the clear
    before an upgrade to sealing."""
    moved = 0
    with _council_bound(slug):
        while count := personal_data_cases.reseal(2000):
            moved += count
            click.echo(f"{slug}: {moved} values sealed again")
    click.echo(f"{slug}: every value sealed with the newest key")


# --- signed packages ---------------------------------------------------------------------------------


@click.group("package")
def package_group():
    """A council's signed packages: meeting archives and motion packages."""


@package_group.command("verify")
@click.argument("package_file", type=click.File("rb"))
@click.option("--public-key", required=True, help="The council's public key (base64), as its pages publish it.")
def verify_package(package_file, public_key):
    """Check that a package is intact and signed with the council's key, without Konsey's database (exit status 1
    if it is not)."""
    problems, manifest = record_cases.check_package(package_file.read(), public_key)
    for problem in problems:
        click.secho(problem, fg="red", err=True)
    if problems:
        sys.exit(1)
    what = manifest.get("format", "?")
    if "meeting" in manifest:
        what = f"{what}: {manifest['meeting']['title']}, minutes version {manifest['minutes']['version']}"
    click.echo(f"intact and signed by {manifest['council']['name']} ({what}); {len(manifest['files'])} files.")


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
    with acting_as(SYSTEM):
        try:
            account_cases.create_user(
                {"email": email, "display_name": display_name, "password": password}, platform_role)
        except DomainError as error:
            _validation_failed(error)
    click.echo(f"Created {email}.")


@users.command("reset-second-factor")
@click.argument("email")
@with_appcontext
def reset_second_factor(email):
    """Remove a person's authenticator, passkeys, recovery codes and remembered devices (a lost phone with no
    recovery code left): they sign in with the password and set a second factor up again. Audited."""
    with acting_as(SYSTEM):
        try:
            second_factor_cases.reset_second_factor(email)
        except DomainError as error:
            _validation_failed(error)
    click.echo(f"{email}: the second factor is removed; they set one up again after signing in.")


# --- demo and the embedded runner ----------------------------------------------------------------------


@click.group()
def demo():
    """Demo data."""


@demo.command("seed")
@with_appcontext
def seed():
    """Create the demo councils, people and members (does nothing if they exist)."""

    for line in seed_demo():
        click.echo(line)


@click.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=5000, type=int, show_default=True,
              help="Port to listen on; a free one is taken if it is busy.")
@click.option("--no-worker", is_flag=True, help="Do not start the Celery worker.")
@click.option("--production", is_flag=True,
              help="Serve with gunicorn (konsey.app.gunicorn_conf): no demo, no migrations, no worker; "
                   "run those as their own services (deploy/).")
@with_appcontext
def serve(host, port, no_worker, production):
    """Run the whole platform: migrate, seed the demo, start a Celery worker and the web server."""

    if production:
        serve_production(host, port)
        return
    try:
        run_platform(current_app._get_current_object(), host=host, port=port, worker=not no_worker)
    except KeyboardInterrupt:  # Ctrl-C while migrating or seeding: stop, no traceback
        click.echo("Konsey stopped.")
        sys.exit(130)


@click.command("live")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8001, type=int, show_default=True)
def live(host, port):
    """Run the live service: meetings' live updates pushed to the screens (Server-Sent Events, uvicorn)."""
    import uvicorn  # only this command serves ASGI

    from konsey.app.live import create_live_service  # reads the settings when the command runs, not at import

    uvicorn.run(create_live_service(), host=host, port=port, log_level="warning", lifespan="on",
                timeout_keep_alive=30)


# --- plugins -------------------------------------------------------------------------------------------------


@click.group("plugins")
def plugins_group():
    """List, enable, reconfigure and disable a council's plugins."""


@plugins_group.command("list")
@click.argument("council_slug")
@with_appcontext
def plugins_list(council_slug):
    """Every installed plugin and its state in the council."""
    with _council_bound(council_slug):
        for state in plugin_cases.plugin_states():
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
    try:
        config = json.loads(config_json) if config_json is not None else None
    except json.JSONDecodeError as error:
        _fail(f"--config: {error}")
    use_cases = {"enable": plugin_cases.enable_plugin, "reconfigure": plugin_cases.reconfigure_plugin}
    with _council_bound(council_slug):
        try:
            state = (plugin_cases.disable_plugin(plugin_name) if action == "disable"
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

    click.echo(f"published: {relay()}")


@click.group("deadletters")
def deadletters():
    """Tasks that failed for good: list them, send them again."""


@deadletters.command("list")
@click.argument("council_slug")
@with_appcontext
def deadletters_list(council_slug):
    with _council_bound(council_slug):
        for letter in motion_cases.dead_letters():
            state = "retried" if letter.retried_at else "waiting"
            click.echo(f"{letter.id}  {letter.failed_at:%Y-%m-%d %H:%M}  {letter.task}  {state}  {letter.error[:80]}")


@deadletters.command("retry")
@click.argument("council_slug")
@click.argument("letter_id")
@with_appcontext
def deadletters_retry(council_slug, letter_id):
    try:
        letter_uuid = uuid.UUID(letter_id)
    except ValueError:
        _fail(f"no dead letter {letter_id} in {council_slug}")
    with _council_bound(council_slug):
        try:
            letter = motion_cases.retry_dead_letter(letter_uuid)
        except NotFound:
            _fail(f"no dead letter {letter_id} in {council_slug}")
        except (ValidationError, DomainError) as error:
            _validation_failed(error)
        click.echo(f"sent again: {letter.task}")
