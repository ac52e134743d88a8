"""The application factory."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, g, session

from konsey.api import account as account_api
from konsey.api import applications as applications_api
from konsey.api import baseline
from konsey.api import bodies as bodies_api
from konsey.api import bylaws as bylaws_api
from konsey.api import councils as councils_api
from konsey.api import delivery as delivery_api
from konsey.api import elections as elections_api
from konsey.api import federation as federation_api
from konsey.api import follow_up as follow_up_api
from konsey.api import meetings as meetings_api
from konsey.api import members as members_api
from konsey.api import money as money_api
from konsey.api import motions as motions_api
from konsey.api import notifications as notifications_api
from konsey.api import people as people_api
from konsey.api import personal_data as personal_data_api
from konsey.api import plugins as plugins_api
from konsey.api import reference as reference_api
from konsey.api import reports as reports_api
from konsey.api import session_requests as session_requests_api
from konsey.app import errors, guard, limits, plugin_host
from konsey.app.cli import register_commands
from konsey.app.config import build_config, default_instance_path
from konsey.app.extensions import api, babel, csrf, login_manager, migrate
from konsey.core import formats
from konsey.core.accounts import user_from_session_id
from konsey.core.i18n import LANGUAGES, select_locale
from konsey.core.labels import label, parameter_label
from konsey.core.plugins import plugin_manager
from konsey.core.rules.meetings import Stance
from konsey.core.text import xml_safe
from konsey.pluginkit import pages as page_forms
from konsey.tenants.db import as_utc, db
from konsey.web import (
    account,
    application_pages,
    auth,
    body_pages,
    bylaw_pages,
    council_pages,
    election_pages,
    federation_pages,
    home,
    meeting_pages,
    member_pages,
    money_pages,
    motion_pages,
    notification_pages,
    operator,
    people_pages,
    personal_data_pages,
    plugin_pages,
    receipts,
    remote_pages,
    report_pages,
    static_files,
)
from konsey.worker.celery_app import init_celery

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
migrate.configure(plugin_host.configure_migrations)  # once per process: plugins' migration folders


def create_app(config: dict | None = None, instance_path: str | Path | None = None) -> Flask:
    instance = Path(instance_path) if instance_path else default_instance_path()
    web_root = Path(__file__).resolve().parent.parent / "web"
    app = Flask(
        "konsey",
        root_path=str(web_root),  # `konsey` is a namespace package: Flask cannot find a root by itself
        instance_path=str(instance),
        template_folder=str(web_root / "templates"),
        static_folder=str(web_root / "static"),
    )
    app.config.from_mapping(build_config(instance, config))

    _import_models()
    db.init_app(app)
    _enforce_sqlite_foreign_keys(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    api.init_app(app)

    if str(app.config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql") and \
            not app.config.get("KONSEY_READER_DATABASE_URL"):
        # Without the reader role the outbox relay, the federation and the operator's counts cannot read
        # across councils: refuse to start rather than stop delivering in silence.
        raise RuntimeError("KONSEY_READER_DATABASE_URL is not set: on PostgreSQL the platform reads across "
                           "councils as konsey_reader (see README, Running on PostgreSQL)")
    _register_blueprints(app)
    guard.install(app)
    plugin_host.install(app)
    register_commands(app)
    errors.install(app)
    static_files.install(app)
    limits.install(app)  # after every view is registered: the limits are set by endpoint
    app.wsgi_app = errors.RetryDroppedConnection(app.wsgi_app)

    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=select_locale, label=label,
                              parameter_label=parameter_label)
    app.jinja_env.filters["tr_date"] = formats.day_text
    app.jinja_env.filters["tr_datetime"] = lambda instant: formats.moment_text(instant, _council_zone())
    app.jinja_env.globals["floor_stances"] = list(Stance)  # every speakers' list form offers the same
    app.jinja_env.filters["tr_time"] = lambda instant: formats.clock_text(instant, _council_zone())
    # An instant as a date or time field's value (YYYY-MM-DD, HH:MM) where the council is.
    app.jinja_env.filters["field_date"] = lambda instant: _local(instant).strftime("%Y-%m-%d")
    app.jinja_env.filters["field_time"] = lambda instant: _local(instant).strftime("%H:%M")
    app.jinja_env.filters["atom_time"] = lambda instant: as_utc(instant).strftime("%Y-%m-%dT%H:%M:%SZ")
    app.jinja_env.filters["tr_share"] = formats.share_text
    app.jinja_env.globals["today"] = council_today
    app.jinja_env.filters["tuple_label"] = lambda choice: (choice.value, label(choice))  # an enum as an option
    app.jinja_env.filters["tr_number"] = formats.number_text
    app.jinja_env.filters["tr_money"] = formats.money_text
    app.jinja_env.filters["xml"] = xml_safe  # what XML cannot hold, dropped (text stored before it was refused)
    app.jinja_env.filters["name_in"] = lambda key, names: names.get(key, key)  # an id shown by its name


    init_celery(app)

    @app.before_request
    def _remember_language():
        from flask import request

        if request.args.get("lang") in LANGUAGES:
            session["lang"] = request.args["lang"]

    return app


def _enforce_sqlite_foreign_keys(app: Flask) -> None:
    """SQLite checks foreign keys only when asked, per connection: the composite keys must hold there too.

    The embedded database is shared by the web process and the worker: write-ahead logging lets readers go on
    while one writes, and a writer waits up to 30 s for another's lock instead of failing at once."""
    from sqlalchemy import event

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            return

        engine = db.engine
        in_a_file = engine.url.database not in (None, "", ":memory:")

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if in_a_file:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "savepoint")
        def _on_savepoint(connection, _name):
            # pysqlite opens a transaction only before a write, so a SAVEPOINT before any write opened one by
            # itself and its RELEASE committed: a roll call refused on its tenth name kept the first nine.
            # Begin the transaction first; the savepoint is then nested in it, as on PostgreSQL. IMMEDIATE: a
            # savepoint is taken to write, and a deferred transaction that read first may not be able to write
            # after another's commit (konsey.tenants.db.lock).
            if not connection.connection.dbapi_connection.in_transaction:
                connection.exec_driver_sql("BEGIN IMMEDIATE")


def _import_models() -> None:
    # Every model must be mapped before the first query so scoping and migrations see them all; imported
    # here, for what importing them does (mapping, registering outbox handlers), not for a name.
    import konsey.core.accounts  # noqa: F401
    import konsey.core.applications  # noqa: F401
    import konsey.core.audit  # noqa: F401
    import konsey.core.council_keys  # noqa: F401
    import konsey.core.counters  # noqa: F401
    import konsey.core.delivery  # noqa: F401
    import konsey.core.elections  # noqa: F401
    import konsey.core.export  # noqa: F401
    import konsey.core.federation  # noqa: F401
    import konsey.core.floor_motions  # noqa: F401
    import konsey.core.follow_up  # noqa: F401
    import konsey.core.meeting_record  # noqa: F401
    import konsey.core.meetings  # noqa: F401
    import konsey.core.membership  # noqa: F401
    import konsey.core.money  # noqa: F401
    import konsey.core.motions  # noqa: F401
    import konsey.core.notifications  # noqa: F401
    import konsey.core.outbox  # noqa: F401
    import konsey.core.participants  # noqa: F401
    import konsey.core.passes  # noqa: F401
    import konsey.core.plugins  # noqa: F401
    import konsey.core.presiding  # noqa: F401
    import konsey.core.reports  # noqa: F401
    import konsey.core.representatives  # noqa: F401
    import konsey.core.sealed_boxes  # noqa: F401
    import konsey.core.seats  # noqa: F401
    import konsey.core.session_requests  # noqa: F401
    import konsey.core.speakers  # noqa: F401
    import konsey.tenants.models  # noqa: F401
    import konsey.tenants.platform_audit  # noqa: F401

    plugin_manager()  # imports every installed plugin, and with it the models it owns


def _local(instant: datetime) -> datetime:
    return as_utc(instant).astimezone(ZoneInfo(_council_zone() or formats.DEFAULT_ZONE))


def _council_zone() -> str | None:
    council = g.get("council")
    return council.timezone if council is not None else None


def council_today():
    """Today's date where the council is (a page rendered at 01:00 in İzmir is not yesterday's)."""
    return datetime.now(ZoneInfo(_council_zone() or formats.DEFAULT_ZONE)).date()


def _register_blueprints(app: Flask) -> None:

    api_blueprints = (reference_api.blp, councils_api.blp, members_api.blp, people_api.blp, bylaws_api.blp,
                      applications_api.blp, bodies_api.blp, meetings_api.blp,
                      motions_api.blp, follow_up_api.blp, money_api.blp, elections_api.blp, reports_api.blp, plugins_api.blp, delivery_api.blp,
                      notifications_api.blp, federation_api.blp, session_requests_api.blp, account_api.blp,
                      personal_data_api.blp)
    for blueprint in api_blueprints:
        api.register_blueprint(blueprint)
    pages = (home, auth, account, operator, council_pages, member_pages, people_pages, application_pages,
             body_pages, meeting_pages, election_pages, report_pages, motion_pages, money_pages, bylaw_pages,
             notification_pages, plugin_pages, receipts, federation_pages, remote_pages, personal_data_pages)
    for blueprint in (module.bp for module in pages):
        app.register_blueprint(blueprint)
    page_forms.install(app)  # what a person typed survives the redirect back to a refused form
    # The API authenticates by bearer token only, never by cookie, so it needs no CSRF token.
    for blueprint in api_blueprints:
        csrf.exempt(blueprint)
    # A phone page's forms are authorised by the pass's key, held in a cookie set SameSite=Lax for that meeting's
    # pages only: a browser never sends it with a form posted from another site, so no CSRF token is needed
    # (and the phone keeps no session to ride on).
    csrf.exempt(remote_pages.bp)
    if app.config["KONSEY_BASELINE_ENDPOINTS"]:

        app.register_blueprint(baseline.bp)
        csrf.exempt(baseline.bp)


@login_manager.user_loader
def _load_user(session_id: str):

    return user_from_session_id(session_id)
