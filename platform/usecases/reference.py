"""Turkey's reference data (provinces, municipalities): public, the same for every council."""

from __future__ import annotations

from flask_babel import gettext as _

from konsey.core import reference
from konsey.core.errors import NotFound
from konsey.usecases.base import query


@query(None)
def provinces() -> list:
    """Turkey's 81 provinces with their plate codes."""
    return reference.provinces()


@query(None)
def municipalities_of(code: int) -> list:
    """The municipalities of a province (metropolitan, district, town)."""
    if reference.province(code) is None:
        raise NotFound(_("Not found."))
    return reference.municipalities(code)
