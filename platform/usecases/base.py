"""What a use case is: one thing a person (or the system) does, with its permission declared once.

A use case is a function decorated with :func:`command` (it changes state) or :func:`query` (it only
reads). The decorator

* declares the permission (:class:`konsey.core.permissions.Permission`, or ``None`` for a public step),
  which the request guard enforces before the view runs and the use case enforces again against the
  :class:`Actor` acting now (so a CLI command, a plugin view or a task cannot skip it);
* makes a command one unit of work: it commits when it returns and rolls back when it raises. A command
  called from inside another joins the outer one (only the outermost commits).

Views, CLI commands, plugin views and worker tasks are adapters: they parse input with :mod:`konsey.schemas`,
call a use case, and render what it returns. They never commit and never call the core's services
themselves. ``tests/test_use_cases.py`` walks every route and fails when one does not map to a use case.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from konsey.core import units_of_work
from konsey.core.accounts import CouncilRoleName, PlatformRole
from konsey.core.errors import Forbidden, Invalid, NotFound
from konsey.core.permissions import Permission, Policy, allowed
from konsey.schemas.messages import load_input
from konsey.tenants.db import db


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in person with their roles in the bound council, anonymous, or the system."""

    user_id: uuid.UUID | None = None
    roles: frozenset[CouncilRoleName] = field(default_factory=frozenset)
    platform_role: PlatformRole | None = None
    system: bool = False
    # A member of a meeting's presiding board running that meeting from their phone: the desk's steps of that one
    # meeting and nothing else (konsey.usecases.board; the meeting loader refuses any other meeting).
    board_of: uuid.UUID | None = None

    def may(self, permission: Permission | None) -> bool:
        if permission is None or self.system:
            return True
        if self.board_of is not None:
            return permission in BOARD_PERMISSIONS
        return allowed(permission, self.roles, self.platform_role)


# What a presiding board's member may do, within their meeting only: see it and run it.
BOARD_PERMISSIONS = frozenset({Permission.MEETINGS_RUN, Permission.COUNCIL_VIEW})

ANONYMOUS = Actor()
# The worker, the scheduler, the operator's command line and the demo: trusted code run by the platform.
SYSTEM = Actor(system=True)

_actor: ContextVar[Actor] = ContextVar("konsey_actor", default=ANONYMOUS)  # noqa: B039 - Actor is frozen
_depth: ContextVar[int] = ContextVar("konsey_unit_of_work_depth", default=0)
_running: ContextVar[UseCase | None] = ContextVar("konsey_use_case", default=None)


def current_actor() -> Actor:
    return _actor.get()


def act_as(actor: Actor):
    """Bind ``actor`` until :func:`stop_acting` with the returned token (the request guard's pair)."""
    return _actor.set(actor)


def stop_acting(token) -> None:
    _actor.reset(token)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


class UseCase:
    """A use case function with its permission; call it like the function. ``takes``: the schema of the input
    it loads itself (with :func:`loaded`, after the rows its arguments name), so that every front hands it the
    input as it came and answers alike: an unknown row 404 before a bad input 422."""

    def __init__(self, function: Callable, permission: Permission | None, *, changes_state: bool,
                 takes: type | None = None, audited: bool = False):
        functools.update_wrapper(self, function)
        self.function = function
        self.permission = permission
        self.changes_state = changes_state
        self.audited = audited  # a read whose record (the platform's audit of a read across councils) is kept
        self.takes = takes
        self.name = f"{function.__module__.removeprefix('konsey.usecases.')}.{function.__name__}"
        REGISTRY[self.name] = self

    @property
    def policy(self) -> Policy:
        return Policy(self.permission)

    def __call__(self, *args, **kwargs):
        if not current_actor().may(self.permission):
            raise Forbidden(_("You are not allowed to do this."))
        running = _running.set(self)
        try:
            return self._run(*args, **kwargs)
        finally:
            _running.reset(running)

    def _run(self, *args, **kwargs):
        if not (self.changes_state or self.audited):
            return self.function(*args, **kwargs)
        depth = _depth.get()
        token = _depth.set(depth + 1)
        try:
            result = self.function(*args, **kwargs)
            if depth == 0:
                db.session.commit()
                units_of_work.committed()  # e.g. the live screens hear of what was committed, never of less
            return result
        except BaseException:
            if depth == 0:
                db.session.rollback()
                units_of_work.rolled_back()
            raise
        finally:
            _depth.reset(token)

    def __repr__(self) -> str:
        return f"<UseCase {self.name} {self.permission or 'public'}>"


REGISTRY: dict[str, UseCase] = {}


def command(permission: Permission | None, *, takes: type | None = None) -> Callable[[Callable], UseCase]:
    """A use case that changes state: one unit of work, committed when it returns. ``takes``: the schema of the
    input it loads itself (:func:`loaded`)."""
    return lambda function: UseCase(function, permission, changes_state=True, takes=takes)


def loaded(data) -> dict:
    """The running use case's input (as a front received it: a page's fields, an API body) loaded by the schema
    it ``takes``; a refusal is :class:`Invalid` (422) naming the field. Called after the use case has loaded the
    rows its arguments name, so that an unknown one is a 404 first, on every front."""
    use_case = _running.get()
    if use_case is None or use_case.takes is None:
        raise RuntimeError("loaded() is for a use case declared with takes=")
    return load_input(use_case.takes, data)


def query(permission: Permission | None, *, audited: bool = False) -> Callable[[Callable], UseCase]:
    """A use case that only reads. ``audited``: it reads across councils, and the record of that read (the
    escape hatch's audit entry) is committed when it returns, as a command's work is."""
    return lambda function: UseCase(function, permission, changes_state=False, audited=audited)


def performs(use_case: UseCase) -> Callable:
    """Mark a view (page, API method, plugin view) as the adapter of ``use_case``: the guard enforces the use
    case's permission, so a page and an API operation over the same use case can never disagree."""

    def decorate(view):
        view.konsey_policy = use_case.policy
        view.konsey_use_case = use_case
        return view

    return decorate


def referenced(model, object_id, field: str, message: str):
    """The row of ``model`` that a field of the input names, or :class:`Invalid` on that field: a wrong id in
    the body is the person's input to fix (a wrong id in the URL is :func:`one`'s 404)."""
    row = db.session.scalar(select(model).where(model.id == object_id)) if object_id else None
    if row is None:
        raise Invalid({field: [message]})
    return row


def one(model, object_id, **criteria):
    """The row of ``model`` with that id in the bound council (scoping applies), or :class:`NotFound`."""
    row = db.session.scalar(select(model).filter_by(id=object_id, **criteria)) if object_id is not None else None
    if row is None:
        raise NotFound(_("Not found."))
    return row


@dataclass
class Page:
    """One page of a list: its rows, its number (from 1) and whether another follows."""

    rows: list
    number: int
    more: bool


PER_PAGE = 50
MAX_PER_PAGE = 200


def paginate(statement, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """A page of ``statement``'s rows (ordered by the caller), reading one row past it to know if more follow:
    every list the platform answers is bounded."""
    page, per_page = max(page, 1), min(max(per_page, 1), MAX_PER_PAGE)
    found = db.session.scalars(statement.offset((page - 1) * per_page).limit(per_page + 1)).all()
    return Page(found[:per_page], page, len(found) > per_page)
