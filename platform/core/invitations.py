"""Sending an invitation: a one-time link by e-mail, in the council's language."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from konsey.core.accounts import Invitation
from konsey.core.labels import label
from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.core.urls import external_url
from konsey.tenants.models import Council


def send_invitation(council: Council, invitation: Invitation, secret: str) -> str:
    """Queue the invitation e-mail for after the commit; returns the link (shown once to the operator)."""
    url = external_url("auth.accept_invitation", secret=secret)
    with force_locale(council.locale):
        subject = _("Invitation to %(council)s on Konsey", council=council.name)
        body = _(
            "You have been invited to %(council)s as %(role)s.\n\n"
            "Open this link within 14 days to accept; it works only once:\n%(url)s\n",
            council=council.name,
            role=label(invitation.role),
            url=url,
        )
    # May be lost (the broker down at that moment): the inviter sees the link on the page and can send it
    # themselves, or invite again.
    enqueue_after_commit("konsey.send_email", to=invitation.email, subject=subject, body=body)
    return url
