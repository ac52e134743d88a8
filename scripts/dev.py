#!/usr/bin/env python3
"""Bootstrap with nothing but Python 3.11+: make .venv, install Konsey into it, then run it or test it.

    python3 scripts/dev.py serve    # the whole platform on SQLite + an embedded broker, with demo councils
    python3 scripts/dev.py serve --port 8080
    python3 scripts/dev.py test     # the whole test suite (extra arguments go to pytest)

`serve` uses .venv; `test` uses .venv-test, which also holds the example third-party plugin of the tests.

Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Two environments: the tests install an example third-party plugin, which the platform you run must never show.
VENVS = {"": ROOT / ".venv", "test": ROOT / ".venv-test"}
FUZZ = "tests/test_api_fuzz.py"


def bin_of(extras: str) -> Path:
    return VENVS[extras] / ("Scripts" if os.name == "nt" else "bin")


def ensure_environment(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may be started by any python3
        sys.exit("Konsey needs Python 3.11 or newer.")
    where = VENVS[extras]
    python = bin_of(extras) / "python"
    if not python.exists():
        print(f"Creating {where} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(where)
    # Reinstall only when the project's dependencies changed since the last install.
    stamp = where / f".installed-{extras or 'base'}"
    # The tests also install an example third-party plugin, found through its entry point like any other.
    plugin = ROOT / "tests" / "example_plugin"
    manifests = [ROOT / "pyproject.toml", *([plugin / "pyproject.toml"] if extras == "test" else [])]
    wanted = hashlib.sha256(b"".join(p.read_bytes() for p in manifests)).hexdigest()
    if stamp.exists() and stamp.read_text() == wanted:
        return
    target = f"{ROOT}[{extras}]" if extras else str(ROOT)
    print("Installing Konsey and its dependencies …", flush=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", target], check=True)
    if extras == "test":
        subprocess.run([python, "-m", "pip", "install", "--quiet", "-e", str(plugin)], check=True)
    stamp.write_text(wanted)


def run(command: list) -> int:
    """Run a child in the foreground; Ctrl-C stops it (it gets the signal too), without a traceback here."""
    child = subprocess.Popen(command)  # noqa: S603 - our own environment's programs
    try:
        return child.wait()
    except KeyboardInterrupt:
        return child.wait()


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "serve"
    rest = argv[1:]
    os.chdir(ROOT)
    if command == "serve":
        ensure_environment("")
        return run([bin_of("") / "konsey", "serve", *rest])
    if command == "test":
        ensure_environment("test")
        workers = os.environ.get("KONSEY_TEST_WORKERS", "auto")
        pytest = [bin_of("test") / "python", "-m", "pytest"]
        if rest:
            return run([*pytest, "-n", workers, "--dist", "loadgroup", *rest])
        # The API fuzz test's generated items share one node id, and xdist's group scheduling silently ran
        # none of them: they run in a process of their own, after the rest.
        first = run([*pytest, "-n", workers, "--dist", "loadgroup", "--ignore", FUZZ])
        second = run([*pytest, "-p", "no:xdist", FUZZ])
        return first or second
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
