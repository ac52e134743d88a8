#!/usr/bin/env python3
"""Keep the translation catalogues in step with the code.

    .venv/bin/python scripts/i18n.py all       # extract, update, compile
    .venv/bin/python scripts/i18n.py extract | update | compile

Message ids are English; Turkish lives in platform/core/translations/tr. The compiled .mo files are
committed so that an installed Konsey needs no build step.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = "platform/core/translations"
TEMPLATE = f"{CATALOGUES}/messages.pot"
LANGUAGES = ("tr",)
PYBABEL = str(Path(sys.executable).with_name("pybabel"))


def run(*args: str) -> None:
    subprocess.run([PYBABEL, *args], check=True, cwd=ROOT)


def extract() -> None:
    run("extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "-k", "lazy_gettext", "--no-location",
        "--sort-output", "-o", TEMPLATE, ".")


def update() -> None:
    # No --omit-header here: a .po without its header reads as fuzzy and `compile` would skip it.
    for language in LANGUAGES:
        if (ROOT / CATALOGUES / language / "LC_MESSAGES" / "messages.po").exists():
            run("update", "-i", TEMPLATE, "-d", CATALOGUES, "-l", language, "--no-fuzzy-matching",
                "--ignore-obsolete")
        else:
            run("init", "-i", TEMPLATE, "-d", CATALOGUES, "-l", language)


def compile_catalogues() -> None:
    run("compile", "-d", CATALOGUES, "--statistics")


COMMANDS = {"extract": [extract], "update": [update], "compile": [compile_catalogues],
            "all": [extract, update, compile_catalogues]}

if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    for step in COMMANDS[sys.argv[1]]:
        step()
