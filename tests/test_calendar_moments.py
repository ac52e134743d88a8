"""The suite at the awkward moments of the calendar: a test that passes on one day and fails on another is a bug,
and it should fail on the day it is written, not on a later one.

One child pytest runs every in-process test on SQLite with KONSEY_TEST_CLOCK listing the moments: conftest.py
starts each test at one of them (always the same one for the same test, support.clock.moment_of; one pass over
the suite, not one a moment), through time-machine; the platform takes every instant from Python's clock, never
from the database's. Left out: what talks to a process of its own, which keeps the real clock (a Celery worker,
Chromium, the live service), and the PostgreSQL half (the same code, another database). More moments:
``KONSEY_TEST_CLOCK=2027-04-30T23:45:00+03:00 python3 scripts/dev.py test -m "not browser and not worker and
not real_clock and not postgres"``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.clock import moment_of

ROOT = Path(__file__).resolve().parent.parent

MOMENTS = {
    # The last half hour of the year in İstanbul: "tomorrow" is in another year.
    "new_years_eve": "2026-12-31T23:30:00+03:00",
    # The hour after İstanbul's midnight, while UTC is still on the day (and the year) before.
    "after_istanbuls_midnight": "2027-01-01T00:30:00+03:00",
    # A 29 February, just after İstanbul's midnight (UTC still on the 28th): a year from today does not exist.
    "leap_day": "2028-02-29T00:30:00+03:00",
}


def test_the_suite_passes_at_the_awkward_moments(tmp_path):
    moments = list(MOMENTS.values())
    env = {**os.environ, "KONSEY_TEST_CLOCK": ",".join(moments)}
    run = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t"),
         "-m", "not browser and not worker and not real_clock and not postgres",
         "--ignore", "tests/test_api_fuzz.py", "--ignore", "tests/test_calendar_moments.py", "tests"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1500)
    failures = [f"{line} (at {moment_of(line.split()[1], moments)})" for line in run.stdout.splitlines()
                if line.startswith(("FAILED", "ERROR")) and len(line.split()) > 1]
    summary = run.stdout.strip().splitlines()[-1:] if run.stdout.strip() else [run.stderr[-2000:]]
    assert run.returncode == 0, "\n".join(failures or summary)
    assert " passed" in summary[0]  # it ran the tests, not nothing
