"""The values plugins hand the platform through the hooks (``konsey.core.hookspecs``): plain data, so that the
specifications, the core that calls them and the plugins that answer share one definition. Plugins import them
through ``konsey.pluginkit``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from konsey.core.bodies import BodyKind


@dataclass(frozen=True)
class BodyType:
    """A kind of body a plugin adds: ``code`` is stable (stored on the body), ``name`` shown to people."""

    code: str
    name: str
    kind: Any = None  # a BodyKind; assemblies by default

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
class Indicator:
    """A number the federation compares across councils; ``compute()`` runs with one council bound."""

    code: str
    label: Any
    compute: Callable[[], float | int]
