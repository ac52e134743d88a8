#!/usr/bin/env python3
"""What starting the application costs: ``import konsey.app`` and ``create_app()`` in fresh processes, against
a bare Flask application in the same interpreter as the baseline.

    .venv/bin/python bench/startup.py [runs]

Each side runs in ``runs`` (default 7) new processes one after the other; each process reports its own import
and construction times and its peak memory. Prints the medians and last ``ratio: <konsey ÷ bare Flask>`` of the
whole start (import + construction).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile

PROBE = """
import json, resource, sys, time
start = time.perf_counter()
if sys.argv[1] == "konsey":
    import konsey.app
    imported = time.perf_counter()
    konsey.app.create_app(instance_path=sys.argv[2])
else:
    import flask
    imported = time.perf_counter()
    flask.Flask("bare")
built = time.perf_counter()
print(json.dumps({"import": imported - start, "build": built - imported,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(side: str, runs: int, instance: str) -> dict:
    samples = [json.loads(subprocess.run([sys.executable, "-c", PROBE, side, instance], check=True,
                                         capture_output=True, text=True).stdout) for _ in range(runs)]
    return {key: statistics.median(s[key] for s in samples) for key in samples[0]}


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    instance = tempfile.mkdtemp(prefix="konsey-bench-startup-")
    _run("konsey", 1, instance)  # the first run compiles the bytecode: not part of the figures
    konsey, bare = _run("konsey", runs, instance), _run("flask", runs, instance)
    for name, figures in (("konsey", konsey), ("bare Flask", bare)):
        print(f"{name:<11} import {figures['import']:.3f} s  construct {figures['build']:.3f} s  "
              f"peak {figures['rss_mib']:.0f} MiB  (median of {runs})")
    total = konsey["import"] + konsey["build"]
    print(f"ratio: {total / (bare['import'] + bare['build']):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
