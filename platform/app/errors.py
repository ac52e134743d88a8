"""Error answers: problem+json on the API, translated pages elsewhere."""

from __future__ import annotations

import contextlib

from flask import Flask, current_app, g, make_response, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from konsey.api.base import flatten_field_errors, problem, status_title, with_error_headers
from konsey.app.extensions import api, login_manager
from konsey.core.errors import Conflict, DomainError, Forbidden, NotFound
from konsey.schemas.messages import translate_validation_messages
from konsey.tenants.db import db
from konsey.tenants.lifecycle import LifecycleError

RETRY_AFTER_SECONDS = 15


def _is_api() -> bool:
    return request.path.startswith("/api/")


DROPPED_CONNECTION = "konsey.dropped_connection"


class RetryDroppedConnection:
    """WSGI middleware: a GET or HEAD that met a dropped database connection is run once more.

    Pooled connections are not pinged at every checkout (a round trip per request, ``pool_pre_ping``); they are
    recycled before servers and PgBouncer drop idle ones, and when one was dropped all the same (a restarted
    server), the error invalidates the pool. A reading request changes nothing, so running it again on a fresh
    connection answers the person instead of showing "try again"; a writing one gets the 503 and its
    Retry-After, as before, since it may have done part of its work.
    """

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        held: list = []
        decided = False

        def hold(status, headers, exc_info=None):
            if decided:  # an app answering lazily, from its iterable: straight through
                return start_response(status, headers, exc_info)
            held.append((status, headers, exc_info))  # the last call is the answer (PEP 3333 lets errors redo it)
            return _no_write

        body = self.wsgi_app(environ, hold)
        if environ.pop(DROPPED_CONNECTION, False):
            if hasattr(body, "close"):
                body.close()
            return self.wsgi_app(environ, start_response)
        decided = True
        if held:
            start_response(*held[-1])
        return body


def _no_write(data: bytes) -> None:
    raise RuntimeError("the legacy write() callable is not offered while an answer may be retried")


def install(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _is_api():

            return api.handle_http_exception(error)
        status = error.code or 500
        page = make_response(render_template("error.html", status=status, title=status_title(status)), status)
        return with_error_headers(page, error)

    @app.errorhandler(ValidationError)
    def validation_error(error: ValidationError):
        # Raised by a service after the request was parsed (e.g. a duplicate slug): nothing was changed.
        db.session.rollback()
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        errors = flatten_field_errors({"json": messages})
        if _is_api():
            return problem(422, status_title(422), errors=errors)
        return render_template("error.html", status=422, title=status_title(422), errors=errors), 422

    @app.errorhandler(DomainError)
    def domain_error(error: DomainError):
        # Raised by a use case or the core: nothing was changed (the use case rolled back its unit of work).
        db.session.rollback()
        errors = translate_validation_messages(error.errors) or None
        detail = error.message if isinstance(error, Conflict | Forbidden | NotFound) else None
        if _is_api():
            return problem(error.status, status_title(error.status), detail=detail, errors=errors)
        return render_template("error.html", status=error.status, title=status_title(error.status),
                               detail=detail, errors=None if detail else errors), error.status

    @app.errorhandler(IntegrityError)
    def integrity_error(error: IntegrityError):
        # Two requests at once, and the database's constraint chose one (the same decision made a motion
        # twice, say): the other is a conflict with what now exists, not a server error.
        db.session.rollback()
        detail = _("Someone did the same at the same moment; look again at what is there now.")
        if _is_api():
            return problem(409, status_title(409), detail=detail)
        return render_template("error.html", status=409, title=status_title(409), detail=detail), 409

    @app.errorhandler(LifecycleError)
    def lifecycle_error(error: LifecycleError):
        db.session.rollback()
        if _is_api():
            return problem(409, status_title(409), detail=str(error), errors={error.field: [str(error)]})
        return render_template("error.html", status=409, title=status_title(409), detail=str(error)), 409

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def database_unavailable(error):
        # The database is down or unreachable (or, on SQLite, busy past the timeout): a passing outage, not a
        # bug. Nothing here may touch the database again, so the page is a plain one with no signed-in person.
        # The connection may be gone already; the pool replaces it when the database returns.
        with contextlib.suppress(Exception):
            db.session.rollback()
        if getattr(error, "connection_invalidated", False):
            # A pooled connection the server dropped (restarted, or idle too long): the pool has been renewed,
            # and a reading request may be answered once more (``RetryDroppedConnection``).
            request.environ[DROPPED_CONNECTION] = True
        current_app.logger.warning("database unavailable: %s", error.orig if hasattr(error, "orig") else error)
        g._login_user = login_manager.anonymous_user()  # the page's language must not look the person up
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        detail = _("The service is briefly unavailable. Please try again in a moment.")
        if _is_api():
            response = problem(503, status_title(503), detail=detail)
            response.headers.update(headers)
            return response
        return render_template("unavailable.html", detail=detail), 503, headers

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        if _is_api():
            return problem(500, status_title(500))
        return render_template("error.html", status=500, title=status_title(500)), 500
