"""Tasks: thin adapters over :mod:`konsey.usecases.system` (the worker acts as the platform). A task for a
council takes ``council_id``; :class:`konsey.worker.celery_app.KonseyTask` binds it."""

from __future__ import annotations

import random
import uuid

from celery import shared_task
from sqlalchemy.exc import InterfaceError, OperationalError

from konsey.core.delivery import RetryLater
from konsey.usecases import system
from konsey.usecases.base import SYSTEM, acting_as


@shared_task(name="konsey.send_email", autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True,
             max_retries=8)
def send_email(to: str, subject: str, body: str, html: str | None = None) -> None:
    with acting_as(SYSTEM):  # a task is the platform acting, however it is called (eagerly, by a test)
        system.send_email(to, subject, body, html)


@shared_task(name="konsey.count_members")
def count_members(*, council_id: str) -> int:
    """Reports the bound council's member count; used to check that workers honour council scoping."""
    with acting_as(SYSTEM):
        return system.count_members()


@shared_task(name="konsey.run_plugin_job")
def run_plugin_job(*, plugin: str, job: str) -> int:
    """Run a plugin's scheduled job once for each council that has the plugin enabled, that council bound."""
    with acting_as(SYSTEM):
        return system.run_plugin_job(plugin, job)


@shared_task(name="konsey.relay_outbox")
def relay_outbox() -> int:
    """Publish pending outbox events (Celery beat runs it every few seconds)."""
    from konsey.worker.relay import relay  # the relay publishes through the Celery app, which imports us

    return relay()


@shared_task(name="konsey.handle_event", bind=True, max_retries=20)
def handle_event(self, *, council_id: str, event_id: str) -> bool:
    """Do an outbox event's work once; a delivery the receiver cannot take now is retried with backoff (about
    three days in all), honouring Retry-After; an error retrying cannot fix goes to the dead letters."""
    token = self.request.id  # the relay made it the event's claim token when it published this message
    try:
        with acting_as(SYSTEM):
            return system.handle_event(uuid.UUID(event_id), token)
    except RetryLater as later:
        countdown = later.countdown if later.countdown is not None else system.retry_after(self.request.retries)
        countdown *= random.uniform(0.9, 1.1)
        try:  # keep the event while this message waits, so the relay sends no copy meanwhile
            with acting_as(SYSTEM):
                system.postpone_event(uuid.UUID(event_id), token, countdown)
        except (OperationalError, InterfaceError):
            pass  # the database is gone too: the lease runs out and the relay sends the event again later
        raise self.retry(exc=later, countdown=countdown) from later
    except (OSError, OperationalError, InterfaceError) as error:
        # The database or the mail server blinked: try again soon (a database outage sent events to the dead
        # letters when only OSError was retried), keeping the event meanwhile where the database answers — else
        # the lease runs out, a fresh copy starts its retries from zero, and a lasting error never dies.
        countdown = system.retry_after(self.request.retries)
        try:
            with acting_as(SYSTEM):
                system.postpone_event(uuid.UUID(event_id), token, countdown)
        except (OperationalError, InterfaceError):
            pass
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="konsey.check_out_silent_participants")
def check_out_silent_participants() -> int:
    """Every half minute: online participants whose phone went silent are checked out."""
    with acting_as(SYSTEM):
        return system.check_out_silent_participants()


@shared_task(name="konsey.publish_waiting_live_states")
def publish_waiting_live_states() -> int:
    """Every few seconds: a meeting's screens never wait for a state that a recycled web worker did not publish."""
    with acting_as(SYSTEM):
        return system.publish_waiting_live_states()


@shared_task(name="konsey.purge_expired_exports")
def purge_expired_exports() -> int:
    """Hourly: exports past their week lose their document."""
    with acting_as(SYSTEM):
        return system.purge_expired_exports()


@shared_task(name="konsey.personal_data_daily")
def personal_data_daily() -> dict:
    """Daily: each council's retention sweep, and its values sealed with its newest data key."""
    with acting_as(SYSTEM):
        return system.personal_data_daily()


@shared_task(name="konsey.sms_reports")
def sms_reports() -> int:
    """Every quarter of an hour: the providers' delivery reports of the SMS sent."""
    with acting_as(SYSTEM):
        return system.sms_reports()


@shared_task(name="konsey.flag_overdue_motions")
def flag_overdue_motions() -> int:
    """Daily: tell each council's secretariat which motions are past the municipal council's due date."""
    with acting_as(SYSTEM):
        return system.flag_overdue_motions()


@shared_task(name="konsey.send_notifications", autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True,
             max_retries=8)
def send_notifications(*, council_id: str, notification_ids: list[str]) -> int:
    """E-mail one batch of a council's immediate notifications. The batches now travel as outbox events
    ("notifications.batch"); this task takes the ones an older release queued in the broker."""
    with acting_as(SYSTEM):
        return system.send_notification_batch(notification_ids)


@shared_task(name="konsey.send_digests")
def send_digests() -> int:
    """Daily: each member who chose the digest gets one e-mail, council by council."""
    with acting_as(SYSTEM):
        return system.send_digests()


@shared_task(name="konsey.meeting_reminders")
def meeting_reminders() -> int:
    """Daily: a reminder for each meeting in the next two days (once per meeting)."""
    with acting_as(SYSTEM):
        return system.meeting_reminders()


@shared_task(name="konsey.federation_snapshot")
def federation_snapshot() -> int:
    """Daily: the federation's indicators of every council, kept for the trends."""
    with acting_as(SYSTEM):
        return system.federation_snapshot()
