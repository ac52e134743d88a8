"""Checkers that come from the npm registry (the Nu Html Checker, Redocly's linter): each installed once into
``.cache/<name>`` with its version pinned, its install scripts not run (nothing is downloaded but the package)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

CACHE = Path(__file__).resolve().parent.parent.parent / ".cache"


def npm_tool(name: str, package: str, version: str, inside: str) -> Path:
    """The file ``inside`` the package's install under ``.cache/<name>`` (installed on first use). Without npm
    the test is skipped, except under CI=true, where it fails."""
    folder = CACHE / name
    target = folder / inside
    if not target.exists():
        if shutil.which("npm") is None:
            message = f"npm is needed for {package}"
            pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--ignore-scripts", "--no-audit", "--no-fund",
                        "--silent", f"{package}@{version}"], check=True, timeout=600)
    return target
