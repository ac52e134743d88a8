"""The stable surface for plugins: everything a Konsey plugin may import.

Plugins (the built-in assemblies as much as a third-party package) import from here and nowhere else in
Konsey, so the core can change behind this facade. See ``docs/plugins.md``.
"""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint as ApiBlueprint
from sqlalchemy import select

from konsey.core import reports
from konsey.core.audit import record
from konsey.core.bodies import Body, BodyKind, BodyStatus
from konsey.core.bylaws import parameters_on
from konsey.core.delivery import AttemptOutcome, Result  # what a delivery channel answers
from konsey.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from konsey.core.hookspecs import hookimpl
from konsey.core.hooktypes import (
    BodyType,
    Indicator,
    NavigationItem,
    PackageFile,
    RetentionKind,
    ScheduledJob,
)
from konsey.core.meetings import Meeting
from konsey.core.membership import Gender, Member, MemberCategory, MemberKind, MemberStatus
from konsey.core.motions import Motion
from konsey.core.permissions import Permission
from konsey.core.plugins import notification_template, plugin_config
from konsey.core.rules.elections import count_round
from konsey.core.rules.membership import age_on
from konsey.core.rules.parity import minimum_per_gender
from konsey.core.seats import Seat, SeatRole, assign_seat, body_parity, end_seat, seats_on
from konsey.core.special_data import (  # special-category fields, sealed and their reads recorded
    Category,
    Sealed,
)
from konsey.core.tasks_after_commit import enqueue_after_commit
from konsey.core.text import turkish_sort_key
from konsey.core.urls import external_url  # an absolute link for an e-mail, in a request or not
from konsey.pluginkit import city  # what a plugin bringing residents in reads of the council's work
from konsey.pluginkit.assembly import (  # the assembly kit
    AgeBand,
    add_member_route,
    bound_council_by_slug,
    members_and_candidates,
    only_seated_candidates,
    president_on_board,
    seat_from_form,
)
from konsey.pluginkit.operations import takes
from konsey.pluginkit.pages import (  # a plugin's pages read their forms as the platform's do
    attempt,
    field_errors,
    load,
    open_while_disabled,
    posted,
    typed_back,
    uuid_or_none,
)
from konsey.schemas.auth import NewPasswordSchema  # a new password, typed twice, as the platform asks for one
from konsey.schemas.base import StrictSchema
from konsey.schemas.messages import refusal_lines  # a refusal as lines for a page
from konsey.tenants.db import CouncilOwned, db, enum_of, same_council_fk, utcnow
from konsey.tenants.models import Council, council_today
from konsey.tenants.rls import council_primary_keys, protect_table  # for a plugin's migrations
from konsey.tenants.scoping import bound_council, current_council_id
from konsey.usecases.base import (  # a plugin's use cases
    SYSTEM,
    acting_as,
    command,
    current_actor,
    loaded,
    one,
    performs,
    query,
    referenced,
)
from konsey.usecases.bodies import join_assembly


def file_download(content, mimetype: str, filename: str, *, inline: bool = False, secret: bool = False):
    """A file answered to a browser or an API client, named ``filename``: saved (an attachment), or shown in place
    (``inline``: a PDF in the browser's viewer). The platform's pages and API answer every file through this.
    ``secret``: it carries keys (badge codes): no cache keeps it, and no link in it tells another site where
    it came from."""
    disposition = "inline" if inline else "attachment"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"'}
    if secret:
        headers.update({"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})
    return Response(content, mimetype=mimetype, headers=headers)


def body_of_type(type_code: str):
    """The council's body of a plugin's body type (its assembly), or a 404 where there is none."""
    body = db.session.scalar(select(Body).where(Body.type_code == type_code))
    if body is None:
        raise NotFound()
    return body


def one_or_404(model, **criteria):
    """The one row of ``model`` matching ``criteria`` in the bound council (scoping applies), or a 404."""
    row = db.session.scalar(select(model).filter_by(**criteria))
    if row is None:
        raise NotFound()
    return row


def forward_proposal(body, title: str, text: str):
    """An assembly forwards a proposal to the general assembly: a report of the body, approved and sent to
    the executive board (which puts it on a general assembly's agenda), as working groups' reports go."""
    report = reports.draft(body, title, text)
    reports.approve(report)
    reports.send_to_board(report)
    return report


def current_council():
    """The bound council (its name, slug, locale…)."""
    return db.session.get(Council, current_council_id())


def send_mail_after_commit(to: str, subject: str, body: str) -> None:
    """E-mail someone once the current transaction commits (through the worker); nothing if it rolls back."""
    enqueue_after_commit("konsey.send_email", to=to, subject=subject, body=body)


__all__ = [
    "AgeBand", "add_member_route", "external_url", "loaded", "takes", "members_and_candidates", "only_seated_candidates", "president_on_board",
    "refusal_lines", "attempt", "field_errors", "load", "posted", "typed_back", "uuid_or_none", "open_while_disabled",
    "ApiBlueprint", "AttemptOutcome", "Conflict", "DomainError", "Forbidden", "Invalid", "city", "NotFound", "SYSTEM", "acting_as", "current_actor",
    "body_of_type", "command", "join_assembly", "one", "referenced", "performs", "query", "Result", "Meeting", "Motion", "StrictSchema", "NewPasswordSchema", "one_or_404", "Body", "BodyKind", "BodyStatus", "BodyType", "CouncilOwned", "Gender", "Indicator", "Member", "MemberCategory",
    "MemberKind", "MemberStatus", "NavigationItem", "PackageFile", "Permission", "RetentionKind", "ScheduledJob", "Seat", "SeatRole",
    "assign_seat", "body_parity", "current_council", "forward_proposal", "bound_council", "bound_council_by_slug", "enum_of", "notification_template",
    "seat_from_form", "send_mail_after_commit", "count_round", "current_council_id", "db", "end_seat",
    "Category", "Sealed", "turkish_sort_key", "age_on", "council_today", "file_download", "hookimpl", "minimum_per_gender", "parameters_on", "plugin_config", "protect_table", "council_primary_keys", "record", "same_council_fk", "seats_on", "utcnow",
]
