"""Checkers that come from the npm registry (the Nu Html Checker, Redocly's linter): each installed once into
``.cache/<name>`` with its version pinned, its install scripts not run (nothing is downloaded but the package)."""

from __future__ import annotations

import fcntl
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
    CACHE.mkdir(parents=True, exist_ok=True)
    # One install at a time, and finished before anyone uses it: another process of the run (a worker, the
    # suite run at another moment of the calendar) may want the same tool at once.
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = folder / ".installed"
        if not (target.exists() and done.exists()):
            if shutil.which("npm") is None:
                message = f"npm is needed for {package}"
                pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
            folder.mkdir(parents=True, exist_ok=True)
            subprocess.run(["npm", "install", "--prefix", str(folder), "--ignore-scripts", "--no-audit", "--no-fund",
                            "--silent", f"{package}@{version}"], check=True, timeout=600)
            done.write_text(f"{package}@{version}\n")
    return target
