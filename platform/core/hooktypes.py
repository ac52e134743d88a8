"""The values plugins hand the platform through the hooks (``konsey.core.hookspecs``): plain data, so that the
specifications, the core that calls them and the plugins that answer share one definition. Plugins import them
through ``konsey.pluginkit``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from konsey.core.bodies import BodyKind


@dataclass(frozen=True)
class BodyType:
    """A kind of body a plugin adds: ``code`` is stable (stored on the body), ``name`` shown to people.
    ``president_on_board``: the statute gives its president an ex-officio seat on the executive board (the
    Regulation's women's, youth and disabled people's assemblies): the by-laws' list of such assemblies
    (``executive_board_ex_officio_assemblies``) includes it unless a council's by-laws say otherwise."""

    code: str
    name: str
    kind: Any = None  # a BodyKind; assemblies by default
    president_on_board: bool = False

    def __post_init__(self):
        if self.kind is None:
            object.__setattr__(self, "kind", BodyKind.ASSEMBLY)


@dataclass(frozen=True)
class NavigationItem:
    label: Any  # a (lazy) translated string
    endpoint: str
    permission: Any = None  # a Permission; None: every signed-in person of the council


@dataclass(frozen=True)
class PackageFile:
    name: str
    content: bytes
    title: str = ""


@dataclass(frozen=True)
class ScheduledJob:
    """``task(council_id=...)`` runs every ``every_seconds`` for each council with the plugin enabled."""

    name: str
    task: Callable[..., Any]
    every_seconds: float


@dataclass(frozen=True)
class RetentionKind:
    """Records kept only for a while after their purpose ends (KVKK art. 7). ``parameter``: the by-law parameter
    giving the days they are kept after that; ``due(cutoff)``: how many ended their purpose before ``cutoff`` (a
    date) and are still kept; ``expire(cutoff)``: delete or anonymise those, returning how many. Both run with one
    council bound; neither may write a value into the audit chain (the sweep records the counts)."""

    code: str
    label: Any
    parameter: str
    due: Callable[[date], int]
    expire: Callable[[date], int]


@dataclass(frozen=True)
class Indicator:
    """A number the federation compares across councils; ``compute()`` runs with one council bound."""

    code: str
    label: Any
    compute: Callable[[], float | int]
