"""``python -m opencount record.json``: check a sealed vote's published record; exit 0 only if it all checks."""

from __future__ import annotations

import json
import sys

from opencount.record import verify


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m opencount RECORD.json   (or - for standard input)", file=sys.stderr)
        return 2
    with (sys.stdin if args[0] == "-" else open(args[0], encoding="utf-8")) as source:
        record = json.load(source)
    report = verify(record)
    for problem in report.problems:
        print(f"FAIL {problem}")
    if report.ok:
        total = record["result"]["total"]
        print(f"OK {report.ballots} ballots, every proof checks; sealed {report.counts}, "
              f"paper {record['result']['paper']}, total "
              + ", ".join(f"{name} {n}" for name, n in zip(record["options"], total, strict=True)))
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
