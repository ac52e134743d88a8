"""Celery, configured from the Flask app (the pattern of Flask's own Celery guide).

Each Flask app gets its own Celery app in ``app.extensions["celery"]`` with its broker and connection pools;
tasks are ``shared_task``s, and work is always dispatched through the Celery app of the current Flask app
(:func:`celery_for`), so a process that builds several apps (the test suite) never sends to the wrong broker.

Every task runs inside a Flask app context. A task that touches a council's data takes ``council_id`` as a
keyword argument and runs with that council bound, so the isolation rules hold in workers as in requests.
"""

from __future__ import annotations

import logging
import uuid
from contextlib import nullcontext

from celery import Celery, Task
from flask import Flask, current_app, has_app_context

import konsey.worker.tasks  # noqa: F401 - registers the shared tasks, so they can be sent by name
from konsey.core import redis_servers
from konsey.tenants.db import db
from konsey.tenants.scoping import bound_council
from konsey.usecases import system
from konsey.usecases.base import SYSTEM, acting_as
from konsey.usecases.system import bury_task

log = logging.getLogger(__name__)

# Longer than any countdown a task sets (the delivery retries wait at most six hours), so Redis never hands a
# scheduled task to a second worker while the first still holds it.
VISIBILITY_TIMEOUT = 4 * 24 * 3600


def _rollback_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it when the database is back
        log.warning("rollback after a failed task did not reach the database", exc_info=True)


class KonseyTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """A task that failed for good lands in its council's dead letters, for people to see and retry."""
        council_id = (kwargs or {}).get("council_id")
        if council_id is None:
            return
        context = nullcontext() if has_app_context() else self.app.flask_app.app_context()
        try:
            with context:
                _rollback_quietly()
            with context, bound_council(uuid.UUID(str(council_id))), acting_as(SYSTEM):
                bury_task(self.name, dict(kwargs), f"{type(exc).__name__}: {exc}", (self.request.retries or 0) + 1,
                          task_id)
        except Exception:  # noqa: BLE001 - a failure handler never raises: Celery would stop the worker for it
            log.exception("task %s failed and its dead letter could not be written", task_id)

    def __call__(self, *args, **kwargs):
        # An eager task (tests, a demo without a worker) runs inside the caller's app context;
        # a worker's task gets one from the app the worker was started with.
        context = nullcontext() if has_app_context() else self.app.flask_app.app_context()
        with context, acting_as(SYSTEM):
            council_id = kwargs.get("council_id")
            try:
                if council_id is None:
                    return self.run(*args, **kwargs)
                with bound_council(uuid.UUID(str(council_id))):
                    return self.run(*args, **kwargs)
            except BaseException:
                # Roll back before anything else touches the session (the failure handler, the next task):
                # a failed transaction left open turned every later step into PendingRollbackError.
                _rollback_quietly()
                raise


def _transport_options(broker_url: str, prefix: str, master: str) -> dict:
    """Redis needs the visibility timeout (and takes a key prefix; under Sentinel, the master's name); kombu's SQL
    transport takes none of them."""
    if not redis_servers.is_redis(broker_url):
        return {}
    return {"visibility_timeout": VISIBILITY_TIMEOUT, **({"global_keyprefix": prefix} if prefix else {}),
            **({"master_name": master} if redis_servers.sentinels(broker_url) else {})}


def _one_beat(celery: Celery, app: Flask, prefix: str) -> None:
    """One scheduler wherever beat runs (celery-redbeat): the schedule lives in Redis and a lock names the beat that
    sends; another beat waits for the lock and takes over, with what fell due meanwhile, once the leader's lock runs
    out (``KONSEY_BEAT_LOCK_SECONDS``). Celery's own beat keeps its schedule in a local file: two of them send every
    job twice (celery #1495)."""
    url, master = app.config["KONSEY_BROKER_URL"], app.config["KONSEY_REDIS_SENTINEL_MASTER"]
    if not redis_servers.is_redis(url):
        return  # the embedded broker (one machine, one beat)
    lock_seconds = max(8, app.config["KONSEY_BEAT_LOCK_SECONDS"])  # several ticks within a lock, however loaded
    listed = redis_servers.sentinels(url)
    celery.conf.update(
        beat_scheduler="redbeat.RedBeatScheduler", redbeat_key_prefix=f"{prefix}redbeat:",
        redbeat_lock_timeout=lock_seconds, beat_max_loop_interval=max(1, min(5, lock_seconds // 4)),
        redbeat_redis_url="redis-sentinel://" if listed else url,
        redbeat_redis_options={"sentinels": listed, "service_name": master, "socket_timeout": 2,
                               **redis_servers.master_options(url)} if listed else {})


def init_celery(app: Flask) -> Celery:
    celery = Celery("konsey", task_cls=KonseyTask, include=["konsey.worker.tasks"], set_as_current=False)
    prefix = app.config["KONSEY_BROKER_KEY_PREFIX"]
    celery.conf.update(
        broker_url=app.config["KONSEY_BROKER_URL"],
        task_ignore_result=True,
        task_always_eager=app.config["KONSEY_TASKS_EAGER"],
        task_eager_propagates=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_transport_options(app.config["KONSEY_BROKER_URL"], prefix,
                                                    app.config["KONSEY_REDIS_SENTINEL_MASTER"]),
        timezone="Europe/Istanbul",
        worker_hijack_root_logger=False,
    )
    celery.conf.beat_schedule = {
        "outbox-relay": {"task": "konsey.relay_outbox", "schedule": app.config["KONSEY_OUTBOX_RELAY_SECONDS"]},
        "overdue-motions": {"task": "konsey.flag_overdue_motions", "schedule": 24 * 3600},
        "personal-data": {"task": "konsey.personal_data_daily", "schedule": 24 * 3600},
        "sms-reports": {"task": "konsey.sms_reports", "schedule": 15 * 60},
        "expired-exports": {"task": "konsey.purge_expired_exports", "schedule": 3600},
        "silent-participants": {"task": "konsey.check_out_silent_participants", "schedule": 30},
        "waiting-live-states": {"task": "konsey.publish_waiting_live_states", "schedule": 5},
        "meeting-reminders": {"task": "konsey.meeting_reminders", "schedule": 24 * 3600},
        "notification-digests": {"task": "konsey.send_digests", "schedule": 24 * 3600},
        "federation-snapshot": {"task": "konsey.federation_snapshot", "schedule": 24 * 3600},
        **plugin_beat_schedule(),
    }
    _one_beat(celery, app, prefix)
    celery.flask_app = app
    app.extensions["celery"] = celery
    # How the domain sends after-commit work without importing the worker (konsey.core.tasks_after_commit).
    app.extensions["konsey.dispatch"] = dispatch
    return celery


def plugin_beat_schedule() -> dict:
    """Celery beat entries for every installed plugin's scheduled jobs (each runs per enabled council)."""

    return {f"plugin:{plugin}:{job.name}": {"task": "konsey.run_plugin_job", "schedule": job.every_seconds,
                                             "kwargs": {"plugin": plugin, "job": job.name}}
            for plugin, job in system.scheduled_plugin_jobs()}


def celery_for(app: Flask | None = None) -> Celery:
    """The Celery app of the given (or current) Flask app."""
    return (app or current_app).extensions["celery"]


def _name(task) -> str:
    return task if isinstance(task, str) else task.name


def publish(task, *, task_id: str | None = None, **kwargs):
    """Send now or fail now (no retrying connection): the outbox relay keeps what the broker refused."""
    celery = celery_for()
    return celery.tasks[_name(task)].apply_async(kwargs=kwargs, retry=False, task_id=task_id)


def task_named(name: str):

    return celery_for().tasks[name]


def dispatch(task, **kwargs):
    """Send a task (or a task's name) through the current Flask app's Celery (its broker, its eager setting)."""
    celery = celery_for()
    return celery.tasks[_name(task)].apply_async(kwargs=kwargs)
