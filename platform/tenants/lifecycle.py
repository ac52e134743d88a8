"""A council's lifecycle: onboarding → active ⇄ suspended → archived."""

from __future__ import annotations

from flask_babel import gettext as _

from konsey.tenants.models import CouncilStatus

S = CouncilStatus

TRANSITIONS: dict[CouncilStatus, frozenset[CouncilStatus]] = {
    S.ONBOARDING: frozenset({S.ACTIVE, S.ARCHIVED}),
    S.ACTIVE: frozenset({S.SUSPENDED, S.ARCHIVED}),
    S.SUSPENDED: frozenset({S.ACTIVE, S.ARCHIVED}),
    S.ARCHIVED: frozenset(),
}


class LifecycleError(ValueError):
    def __init__(self, message: str, field: str = "status"):
        super().__init__(message)
        self.field = field


def check_transition(current: CouncilStatus, target: CouncilStatus, *, export_acknowledged: bool) -> None:
    """Raise :class:`LifecycleError` when a council may not move from ``current`` to ``target``.

    Archiving requires that the full export was offered and acknowledged first.
    """
    if target not in TRANSITIONS[current]:
        raise LifecycleError(
            _("A council cannot go from %(current)s to %(target)s.", current=current.value, target=target.value)
        )
    if target is S.ARCHIVED and not export_acknowledged:
        raise LifecycleError(
            _("Download the council's full export and confirm it before archiving."), field="export_acknowledged"
        )
