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

    from konsey.core.db import db
    from konsey.core.membership import Member

    return db.session.scalar(select(func.count(Member.id))) or 0


@shared_task(name="konsey.run_plugin_job")
def run_plugin_job(*, plugin: str, job: str) -> int:
    """Run a plugin's scheduled job once for each council that has the plugin enabled, that council bound."""
    from sqlalchemy import select

    from konsey.core.db import db
    from konsey.core.plugins import PluginEnablement, plugin_jobs
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
