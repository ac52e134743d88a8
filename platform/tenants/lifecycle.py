"""A council's lifecycle: onboarding → active ⇄ suspended → archived."""

from __future__ import annotations

from flask_babel import gettext as _

from konsey.tenants.models import Council, CouncilStatus

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


def change_status(council: Council, target: CouncilStatus, *, export_acknowledged: bool = False, reason: str = "") -> None:
    from konsey.core.db import utcnow
    from konsey.core.platform_audit import record_platform_event

    check_transition(council.status, target, export_acknowledged=export_acknowledged)
    from konsey.core.audit import record
    from konsey.tenants.scoping import bound_council

    previous = council.status
    council.status = target
    council.status_changed_at = utcnow()
    with bound_council(council.id):
        record("council.status", council, {"from": previous.value, "to": target.value, "reason": reason or None})
    record_platform_event(
        "council.status",
        council_id=council.id,
        reason=reason or None,
        details={"from": previous.value, "to": target.value},
    )
