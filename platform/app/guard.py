"""Per-request: resolve the current council once, authenticate, and apply the view's policy.

Order of work for every request:

1. ``resolve_council`` (URL value preprocessor): ``<council_slug>`` in the URL → the :class:`Council`, bound
   for the whole request (scoping) and put on ``g.council``. Unknown slug: 404.
2. ``enforce_policy`` (before request): find the view's declared policy (none → 403, deny by default),
   authenticate (session for pages, bearer token for the API), then decide with
   :func:`konsey.core.permissions.allowed`. A person with no standing in the council gets 404, like an unknown
   council, so that another council's existence and ids never leak.
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_login import current_user
from sqlalchemy import update
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import HTTPException, Unauthorized

from konsey.core.accounts import AccessToken, User, council_and_token, roles_in, token_from_secret
from konsey.core.permissions import ALLOWED_WHEN_READ_ONLY, Policy, allowed
from konsey.tenants.db import as_utc, db, utcnow
from konsey.tenants.models import Council, CouncilStatus
from konsey.tenants.scoping import bind_council, reset_scope
from konsey.usecases import personal_data
from konsey.usecases.base import Actor, act_as, stop_acting

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class Locked(HTTPException):
    code = 423
    description = "This council is suspended and read-only."


class Gone(HTTPException):
    code = 410
    description = "This council is archived."


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def current_principal() -> User | None:
    """The person making this request, authenticated by session (pages) or bearer token (API).

    Authentication happens on first use and is remembered for the request.
    """
    if "principal" not in g:
        g.principal = _authenticate()
    return g.principal


def current_token() -> AccessToken | None:
    return g.get("token")


def resolve_council(endpoint: str | None, values: dict | None) -> None:
    if not values or "council_slug" not in values:
        return
    slug = values.pop("council_slug")
    secret = _bearer_secret() if is_api_request() else None
    if secret is not None:  # the council and the caller's token in one round trip
        council, g.prefetched_token = council_and_token(slug, secret)
    else:
        council = db.session.query(Council).filter_by(slug=slug).one_or_none()
    if council is None:
        abort(404)
    g.council = council
    g.scope_token = bind_council(council.id)


def inject_council_slug(endpoint: str, values: dict) -> None:
    council = g.get("council")
    if (
        council is not None
        and "council_slug" not in values
        and current_app.url_map.is_endpoint_expecting(endpoint, "council_slug")
    ):
        values["council_slug"] = council.slug


def release_council(exc: BaseException | None = None) -> None:
    actor_token = g.pop("actor_token", None)
    if actor_token is not None:
        stop_acting(actor_token)
    token = g.pop("scope_token", None)
    if token is not None:
        reset_scope(token, ending_transaction=True)


def _act_for_request(actor: Actor) -> None:
    """The person the guard authenticated is who the use cases of this request act for."""
    g.actor_token = act_as(actor)


# Where a person without their second factor may still go: setting one up, and signing out.
SECOND_FACTOR_FREE = frozenset({"account.security", "account.start_authenticator", "account.confirm_authenticator",
                                "account.recovery_codes", "account.passkey_options", "account.add_passkey",
                                "account.start_sms", "account.confirm_sms", "auth.logout"})


def _second_factor_due(principal: User, council: Council | None) -> bool:
    """A session signed in without a second factor where one is required: the platform's staff (operators and
    federation analysts, ``KONSEY_PLATFORM_TWO_FACTOR``) anywhere, and a council's staff in a council requiring it.
    An API token was made by a signed-in person and is its own credential: the requirement is the session's."""
    if current_token() is not None or session.get("second_factor") or request.endpoint in SECOND_FACTOR_FREE:
        return False
    if principal.platform_role is not None and current_app.config.get("KONSEY_PLATFORM_TWO_FACTOR"):
        return True
    return council is not None and council.require_two_factor and bool(roles_in(principal, council.id))


def record_token_use(response):
    """Remember when a token was last used, in a small transaction of its own after the view's."""
    used_at = g.pop("token_used_at", None)
    token = g.get("token")
    if used_at is not None and token is not None:
        db.session.rollback()  # whatever the view left (it committed, or its error was rolled back)
        db.session.execute(update(AccessToken).where(AccessToken.id == token.id).values(last_used_at=used_at))
        db.session.commit()
    return response


def record_special_reads(response):
    """Record, in a transaction of its own after the view's, which records of special-category data the request's
    person read (konsey.core.special_data): one row per record, no value."""
    reads = personal_data.pending_reads()
    if reads:
        db.session.rollback()  # whatever the view left (it committed, or its error was rolled back)
        personal_data.record_reads(reads)
    return response


# Endpoints the frameworks add: static files and the OpenAPI document are public.
_FRAMEWORK_PUBLIC = Policy(None)


def policy_of(endpoint: str | None, method: str) -> Policy | None:
    if endpoint == "static" or (endpoint or "").startswith("api-docs."):
        return _FRAMEWORK_PUBLIC
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if view is None:
        return None
    policy = getattr(view, "konsey_policy", None)
    if policy is None and hasattr(view, "view_class"):
        handler = getattr(view.view_class, method.lower(), None)
        if handler is None and method == "HEAD":
            handler = getattr(view.view_class, "get", None)
        policy = getattr(handler, "konsey_policy", None)
    return policy


def _bearer_secret() -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" and secret.strip() else None


def _authenticate() -> User | None:
    if is_api_request():
        secret = _bearer_secret()
        if secret is None:
            return None
        token = g.pop("prefetched_token") if "prefetched_token" in g else token_from_secret(secret)
        if token is None:
            return None
        g.token = token
        # Recording use is cheap enough once a minute, not on every request; written after the view's own
        # unit of work (record_token_use), never committed in the middle of it.
        now = utcnow()
        if token.last_used_at is None or (now - as_utc(token.last_used_at)).total_seconds() > 60:
            g.token_used_at = now
        return token.user
    return current_user if current_user.is_authenticated else None


def enforce_policy():
    if request.endpoint is None:
        return None  # routing already failed: 404/405 follow
    policy = policy_of(request.endpoint, request.method)
    if policy is None:
        abort(403)
    council: Council | None = g.get("council")
    if policy.is_public:
        if council is not None and council.status is CouncilStatus.ARCHIVED:
            raise Gone()
        if council is not None and council.is_read_only and request.method not in SAFE_METHODS:
            raise Locked()
        if council is not None and not is_api_request() and current_user.is_authenticated:
            # A signed-in person on a council's public page: the menu offers what their roles allow there.
            _act_for_request(Actor(current_user.id, roles_in(current_user, council.id), current_user.platform_role))
        elif council is not None and is_api_request() and _bearer_secret():
            # A public operation called with a token of this council: it answers as it would to them (a hidden
            # proposal's title to the secretariat); a token that fails, or another council's, is no one here.
            principal, token = current_principal(), current_token()
            if principal is not None and token is not None and token.council_id in (None, council.id):
                _act_for_request(Actor(principal.id, roles_in(principal, council.id), principal.platform_role))
        return None

    principal = current_principal()
    if principal is None:
        if is_api_request():
            # RFC 6750: the scheme the API expects, and whether the token sent was the trouble.
            challenge = 'Bearer realm="konsey"' + (', error="invalid_token"' if _bearer_secret() else "")
            raise Unauthorized(www_authenticate=WWWAuthenticate.from_header(challenge))
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))  # no bare "?"

    if _second_factor_due(principal, council):
        return redirect(url_for("account.security", required=1))

    if council is None:
        if not allowed(policy.permission, frozenset(), principal.platform_role):
            abort(403)
        _act_for_request(Actor(principal.id, frozenset(), principal.platform_role))
        return None

    token = current_token()
    if token is not None and token.council_id is not None and token.council_id != council.id:
        abort(404)
    roles = roles_in(principal, council.id)
    if not roles and principal.platform_role is None:
        abort(404)
    _act_for_request(Actor(principal.id, roles, principal.platform_role))
    if not allowed(policy.permission, roles, principal.platform_role):
        abort(403)
    if council.status is CouncilStatus.ARCHIVED and policy.permission not in ALLOWED_WHEN_READ_ONLY:
        raise Gone()
    if council.is_read_only and request.method not in SAFE_METHODS and policy.permission not in ALLOWED_WHEN_READ_ONLY:
        raise Locked()
    return None


# Scripts and styles only from our own files (no inline script: a stolen field cannot run code), no framing.
# worker-src blob:: the badge scanner's decoder (qr-scanner, vendored) runs in a worker it makes from a blob; only
# our own scripts can make one, since no other script may run.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                           "worker-src 'self' blob:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


MAX_JSON_DEPTH = 32


def refuse_deep_json():
    """A JSON body nested deeper than any of ours is refused before a parser recurses into it."""
    if not request.is_json or not request.content_length:
        return None
    depth = deepest = 0
    in_string = escaped = False
    for char in request.get_data(cache=True, as_text=True):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_JSON_DEPTH:
                abort(400, description="JSON nested too deeply.")
        elif char in "]}":
            depth -= 1
    return None


def _content_security_policy() -> str:
    """The policy, allowing the live service's origin where it runs apart (konsey.core.live)."""
    live = current_app.config.get("KONSEY_LIVE_URL") or ""
    origin = "/".join(live.split("/")[:3]) if live.startswith(("http://", "https://")) else ""
    return CONTENT_SECURITY_POLICY + (f"; connect-src 'self' {origin}" if origin else "")


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", _content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


def install(app: Flask) -> None:
    app.after_request(security_headers)
    app.after_request(record_token_use)
    app.after_request(record_special_reads)
    app.url_value_preprocessor(resolve_council)
    app.url_defaults(inject_council_slug)
    app.before_request(refuse_deep_json)
    app.before_request(enforce_policy)
    app.teardown_request(release_council)
