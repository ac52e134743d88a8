"""What follows a unit of work: the steps that must see only what was committed, and forget what was rolled back.

A use case that changes state is one unit of work (:mod:`konsey.usecases.base`): it commits when it returns and
rolls back when it raises, and then calls :func:`committed` or :func:`rolled_back`. A module with something to do
once the work is settled (the live screens told of the meetings it changed, :mod:`konsey.core.live`) registers
itself with :func:`follow`; the unit of work names none of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from konsey.tenants.db import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Follower:
    name: str
    committed: Callable[[], None]  # after the commit: what was committed stands even if this fails
    rolled_back: Callable[[], None]  # after the rollback: drop what the unit of work had noted


_followers: dict[str, Follower] = {}


def follow(name: str, *, committed: Callable[[], None], rolled_back: Callable[[], None]) -> None:
    """Run ``committed`` after each unit of work commits and ``rolled_back`` after each rolls back (registered
    once per ``name``; a module registers itself when it is imported)."""
    _followers[name] = Follower(name, committed, rolled_back)


def committed() -> None:
    """The unit of work has committed: tell each follower. A follower's failure is logged, never raised: the
    work is done, and its answer must not be a server error (the next change, or a screen's poll, catches up)."""
    for follower in list(_followers.values()):
        try:
            follower.committed()
        except Exception:  # noqa: BLE001 - see above
            db.session.rollback()  # a failed statement must not poison what the answer still reads
            log.exception("after a commit, %s failed", follower.name)


def rolled_back() -> None:
    for follower in list(_followers.values()):
        follower.rolled_back()
