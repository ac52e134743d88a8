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
