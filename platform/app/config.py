"""Settings, read from ``KONSEY_*`` environment variables with embedded defaults.

With nothing set the platform runs on an SQLite file and an SQLite-backed Celery broker in the instance
folder; ``KONSEY_DATABASE_URL`` (PostgreSQL) and ``KONSEY_BROKER_URL`` (Redis) switch to the real servers.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from pathlib import Path


def default_instance_path() -> Path:
    return Path(os.environ.get("KONSEY_INSTANCE_PATH", Path.cwd() / "instance")).resolve()


def build_config(instance_path: Path, overrides: dict | None = None) -> dict:
    env = os.environ
    instance_path.mkdir(parents=True, exist_ok=True)
    database_url = env.get("KONSEY_DATABASE_URL") or f"sqlite:///{instance_path / 'konsey.sqlite'}"
    config = {
        "SECRET_KEY": env.get("KONSEY_SECRET_KEY") or _instance_secret(instance_path),
        # The master key that wraps every council's data keys (konsey.core.keyring), kept outside the database:
        # ``id:base64`` entries in the environment, or a file of them; the development default is a file in the
        # instance folder, made on first start.
        "KONSEY_MASTER_KEYS": env.get("KONSEY_MASTER_KEYS"),
        "KONSEY_MASTER_KEY_FILE": env.get("KONSEY_MASTER_KEY_FILE") or _instance_master_key_file(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Migrations may need the owner role while the app runs as the restricted konsey_app role.
        "KONSEY_MIGRATION_DATABASE_URL": env.get("KONSEY_MIGRATION_DATABASE_URL") or database_url,
        # The escape hatch's read-only role (konsey_reader) on PostgreSQL: federation and operator counts.
        "KONSEY_READER_DATABASE_URL": env.get("KONSEY_READER_DATABASE_URL"),
        # No ping at every checkout (a round trip per request): connections are renewed before a server or
        # PgBouncer would drop them idle, and a reading request that meets a dropped one is run again
        # (konsey.app.errors.RetryDroppedConnection).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_recycle": int(env.get("KONSEY_POOL_RECYCLE_SECONDS", "1800"))},
        # Behind PgBouncer in transaction pooling mode (docs/scaling.md): no server-side prepared statements,
        # which would outlive the transaction on a server connection another client gets next.
        "KONSEY_BEHIND_PGBOUNCER": env.get("KONSEY_BEHIND_PGBOUNCER", "") == "1",
        "KONSEY_BROKER_URL": env.get("KONSEY_BROKER_URL") or f"sqla+sqlite:///{instance_path / 'broker.sqlite'}",
        "KONSEY_BROKER_KEY_PREFIX": env.get("KONSEY_BROKER_KEY_PREFIX", ""),
        "KONSEY_TASKS_EAGER": env.get("KONSEY_TASKS_EAGER", "") == "1",
        "KONSEY_MAIL_BACKEND": env.get("KONSEY_MAIL_BACKEND", "file"),  # "smtp" or "file"
        "KONSEY_MAIL_DIR": env.get("KONSEY_MAIL_DIR") or str(instance_path / "mail"),
        # The SMS providers' APIs (a council that configures one sends there; the tests answer on loopback).
        "KONSEY_NETGSM_URL": env.get("KONSEY_NETGSM_URL", "https://api.netgsm.com.tr"),
        "KONSEY_ILETIMERKEZI_URL": env.get("KONSEY_ILETIMERKEZI_URL", "https://api.iletimerkezi.com"),
        "KONSEY_SMTP_HOST": env.get("KONSEY_SMTP_HOST", "127.0.0.1"),
        "KONSEY_SMTP_PORT": int(env.get("KONSEY_SMTP_PORT", "25")),
        "KONSEY_SMTP_STARTTLS": env.get("KONSEY_SMTP_STARTTLS", "") == "1",
        "KONSEY_SMTP_USERNAME": env.get("KONSEY_SMTP_USERNAME"),
        "KONSEY_SMTP_PASSWORD": env.get("KONSEY_SMTP_PASSWORD"),
        "KONSEY_MAIL_FROM": env.get("KONSEY_MAIL_FROM", "Konsey <no-reply@konsey.local>"),
        "KONSEY_BASE_URL": env.get("KONSEY_BASE_URL", "http://127.0.0.1:5000"),
        "KONSEY_OUTBOX_RELAY_SECONDS": float(env.get("KONSEY_OUTBOX_RELAY_SECONDS", "2")),
        # A published message holds its event this long (doubled at each republication) before it is sent again.
        "KONSEY_OUTBOX_REDELIVER_AFTER": float(env.get("KONSEY_OUTBOX_REDELIVER_AFTER", "600")),
        # How long a worker holds an event it took before another may (longer than any handler's run).
        "KONSEY_OUTBOX_LEASE_SECONDS": float(env.get("KONSEY_OUTBOX_LEASE_SECONDS", "900")),
        "KONSEY_OUTBOX_RELAY_BATCH": int(env.get("KONSEY_OUTBOX_RELAY_BATCH", "200")),
        "KONSEY_RETRY_BASE_SECONDS": float(env.get("KONSEY_RETRY_BASE_SECONDS", "30")),
        # Hosts a webhook may reach although they are loopback or private (a test's receiver, a council's own
        # network); every other webhook goes over https to a public address, and no redirect is followed.
        "KONSEY_WEBHOOK_ALLOWED_HOSTS": env.get("KONSEY_WEBHOOK_ALLOWED_HOSTS", ""),
        # Live meeting screens (konsey.core.live): the Redis the changes are published on, and the address the
        # browsers reach the live service at (`konsey live`; a path behind the same proxy, or a full URL).
        # Without them the screens poll.
        "KONSEY_LIVE_REDIS_URL": env.get("KONSEY_LIVE_REDIS_URL"),
        # Redis under Sentinel: the broker's and the live service's addresses are then sentinel://h:p;sentinel://h:p
        # and this names the master (konsey.core.redis_servers).
        "KONSEY_REDIS_SENTINEL_MASTER": env.get("KONSEY_REDIS_SENTINEL_MASTER", "konsey"),
        # The beat's lock (one scheduler wherever it runs: celery-redbeat): another beat takes over this long after
        # the leader's last sign.
        "KONSEY_BEAT_LOCK_SECONDS": int(env.get("KONSEY_BEAT_LOCK_SECONDS", "30")),
        "KONSEY_LIVE_URL": env.get("KONSEY_LIVE_URL"),
        # Where this installation's live states live in that Redis; installations sharing one Redis (staging
        # beside production) each need their own, the web, the worker and the live service the same.
        "KONSEY_LIVE_KEY_PREFIX": env.get("KONSEY_LIVE_KEY_PREFIX", "konsey:live:"),
        # At most one computation of a meeting's live state per this many seconds while ballots and check-ins
        # stream in (a vote opened or closed, the floor given, still go out at once).
        "KONSEY_LIVE_FOLD_SECONDS": float(env.get("KONSEY_LIVE_FOLD_SECONDS", "1.0")),
        "KONSEY_RATELIMIT_STORAGE_URI": env.get("KONSEY_RATELIMIT_STORAGE_URI", "memory://"),  # redis://… in production
        "RATELIMIT_ENABLED": env.get("KONSEY_RATELIMITS", "1") == "1",
        "KONSEY_BASELINE_ENDPOINTS": env.get("KONSEY_BASELINE_ENDPOINTS", "") == "1",
        "MAX_CONTENT_LENGTH": int(env.get("KONSEY_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024))),
        "SESSION_COOKIE_HTTPONLY": True,
        # Behind HTTPS (production), cookies must never travel over plain HTTP.
        "SESSION_COOKIE_SECURE": env.get("KONSEY_SECURE_COOKIES", "") == "1",
        # Operators and federation analysts sign in with a second factor (konsey.core.second_factors). Production's
        # environment sets it (deploy/konsey.env.example); the embedded demo's platform staff sign in without.
        "KONSEY_PLATFORM_TWO_FACTOR": env.get("KONSEY_PLATFORM_TWO_FACTOR", "") == "1",
        "REMEMBER_COOKIE_SECURE": env.get("KONSEY_SECURE_COOKIES", "") == "1",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "BABEL_DEFAULT_LOCALE": "tr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Istanbul",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parent.parent / "core" / "translations"),
        "WTF_CSRF_TIME_LIMIT": None,
        # flask-smorest / OpenAPI
        "API_TITLE": "Konsey API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {"info": {
            "description": "The API of Konsey, where Turkey's city councils (Kent Konseyi) run their statutory life. "
                           "Errors are RFC 9457 problem details; texts are Turkish or English by Accept-Language.",
            "license": {"name": "AGPL-3.0-or-later", "url": "https://www.gnu.org/licenses/agpl-3.0.html"}}},
    }
    if overrides:
        config.update(overrides)
    if config["KONSEY_BEHIND_PGBOUNCER"] and str(config["SQLALCHEMY_DATABASE_URI"]).startswith("postgresql"):
        options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
        options["connect_args"] = {**options.get("connect_args", {}), "prepare_threshold": None}
        config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    return config


def _instance_secret(instance_path: Path) -> str:
    """A per-installation secret kept in the instance folder, so sessions survive restarts."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _instance_master_key_file(instance_path: Path) -> str:
    """A master key file in the instance folder, made on first start: for development and the demo. Production
    keeps its master key elsewhere (docs/kvkk.md): a copy of the instance folder beside the database would open
    both."""
    path = instance_path / "master.keys"
    if not path.exists():
        secret = secrets.token_bytes(32)
        encoded = base64.urlsafe_b64encode(secret).decode().rstrip("=")
        # Named by its fingerprint: two instance folders' keys are never both "m1" (a key wrapped by one is never
        # taken for the other's).
        path.write_text(f"dev-{hashlib.sha256(secret).hexdigest()[:8]}:{encoded}\n")
        path.chmod(0o600)
    return str(path)
