"""Tasks. Each is small and idempotent where it can be; a task for a council takes ``council_id``."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="konsey.send_email", autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True,
             max_retries=8)
def send_email(to: str, subject: str, body: str, html: str | None = None) -> None:
    from konsey.core.mail import build_message, deliver

    deliver(build_message(to, subject, body, html=html))


@shared_task(name="konsey.count_members")
def count_members(*, council_id: str) -> int:
    """Reports the bound council's member count; used to check that workers honour council scoping."""
    from sqlalchemy import func, select

    from konsey.core.membership import Member
    from konsey.tenants.db import db

    return db.session.scalar(select(func.count(Member.id))) or 0


@shared_task(name="konsey.run_plugin_job")
def run_plugin_job(*, plugin: str, job: str) -> int:
    """Run a plugin's scheduled job once for each council that has the plugin enabled, that council bound."""
    from sqlalchemy import select

    from konsey.core.plugins import PluginEnablement, plugin_jobs
    from konsey.tenants.db import db
    from konsey.tenants.scoping import all_councils, bound_council

    task = next((j.task for name, j in plugin_jobs() if name == plugin and j.name == job), None)
    if task is None:
        return 0
    with all_councils(reason=f"scheduled job {job} of plugin {plugin}: which councils enabled it"):
        councils = db.session.scalars(select(PluginEnablement.council_id).where(
            PluginEnablement.plugin == plugin, PluginEnablement.enabled.is_(True))).all()
        db.session.commit()
    for council_id in councils:
        with bound_council(council_id):
            task(council_id=str(council_id))
            db.session.commit()
    return len(councils)


@shared_task(name="konsey.relay_outbox")
def relay_outbox() -> int:
    """Publish pending outbox events (Celery beat runs it every few seconds)."""
    from konsey.worker.relay import relay

    return relay()


@shared_task(name="konsey.handle_event", bind=True, max_retries=20)
def handle_event(self, *, council_id: str, event_id: str) -> bool:
    """Do an outbox event's work once; a delivery the receiver cannot take now is retried with backoff (about
    three days in all), honouring Retry-After; an error retrying cannot fix goes to the dead letters."""
    import random
    import uuid

    from konsey.core.delivery import RetryLater, retry_schedule
    from konsey.core.outbox import handle
    from konsey.tenants.db import db

    try:
        return handle(uuid.UUID(event_id))
    except RetryLater as later:
        db.session.rollback()
        countdown = later.countdown if later.countdown is not None else retry_schedule(self.request.retries)
        raise self.retry(exc=later, countdown=countdown * random.uniform(0.9, 1.1)) from later
    except OSError as error:  # the database or the mail server blinked: try again soon
        db.session.rollback()
        raise self.retry(exc=error, countdown=retry_schedule(self.request.retries)) from error


@shared_task(name="konsey.flag_overdue_motions")
def flag_overdue_motions() -> int:
    """Daily: tell each council's secretariat which motions are past the municipal council's due date."""
    from datetime import date

    from sqlalchemy import select

    from konsey.core import motions
    from konsey.core.motions import Motion
    from konsey.tenants.db import db
    from konsey.tenants.models import Council, CouncilStatus
    from konsey.tenants.scoping import bound_council

    flagged = 0
    for council in db.session.scalars(select(Council).where(Council.status == CouncilStatus.ACTIVE)).all():
        with bound_council(council.id):
            overdue = [m for m in db.session.scalars(select(Motion))
                       if motions.is_overdue(m.status, m.delivered_on, date.today())]
            if overdue:
                from konsey.core.mail import build_message, deliver

                lines = "\n".join(f"- {m.number}: {m.title} ({m.decision_number})" for m in overdue)
                deliver(build_message(council.contact_email, f"{council.name}: yanıtı geciken önergeler", lines))
                flagged += len(overdue)
    return flagged


@shared_task(name="konsey.send_notifications", autoretry_for=(OSError,), retry_backoff=True, retry_jitter=True,
             max_retries=8)
def send_notifications(*, council_id: str, notification_ids: list[str]) -> int:
    """E-mail one batch (at most notifications.BATCH) of a council's immediate notifications."""
    from konsey.core.notifications import send_batch

    return send_batch(notification_ids)


@shared_task(name="konsey.send_digests")
def send_digests() -> int:
    """Daily: each member who chose the digest gets one e-mail, council by council."""
    from sqlalchemy import select

    from konsey.core.notifications import send_digests as digests_of_council
    from konsey.tenants.db import db
    from konsey.tenants.models import Council, CouncilStatus
    from konsey.tenants.scoping import bound_council

    sent = 0
    for council_id in db.session.scalars(select(Council.id).where(Council.status == CouncilStatus.ACTIVE)).all():
        with bound_council(council_id):
            sent += digests_of_council()
    return sent


@shared_task(name="konsey.meeting_reminders")
def meeting_reminders() -> int:
    """Daily: a reminder for each meeting in the next two days (once per meeting)."""
    from datetime import timedelta

    from sqlalchemy import select

    from konsey.core.meetings import Meeting, MeetingStatus
    from konsey.core.notifications import meeting_invitations
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.models import Council, CouncilStatus
    from konsey.tenants.scoping import bound_council

    queued = 0
    now = utcnow()
    for council_id in db.session.scalars(select(Council.id).where(Council.status == CouncilStatus.ACTIVE)).all():
        with bound_council(council_id):
            for meeting in db.session.scalars(select(Meeting).where(
                    Meeting.status == MeetingStatus.SCHEDULED, Meeting.scheduled_at > now,
                    Meeting.scheduled_at <= now + timedelta(days=2))).all():
                queued += meeting_invitations(meeting.id, key=f"reminder:{meeting.id}", reminder=True)
            db.session.commit()
    return queued


@shared_task(name="konsey.federation_snapshot")
def federation_snapshot() -> int:
    """Daily: the federation's indicators of every council, kept for the trends."""
    from konsey.core.federation import take_snapshot

    return take_snapshot()
