#!/usr/bin/env python3
"""What the council-isolation policy costs the queries it guards: the policy of migrations 0024–0030 (the reader
let in by an OR) against that of 0031 (the council in a scalar subquery, the reader by a policy of its own).

    .venv/bin/python bench/rls_policy.py

Migrates a database of its own (bench/benchdb.py), seeds the federation benchmark's 1,400 councils of 500 members
(700,000 rows), then times, as ``konsey_app`` with one council bound and as ``konsey_reader``, the same statements
under each policy in turn (the policies are swapped in place; the data stays):

* the members page (``WHERE council_id = … ORDER BY sort_name, id LIMIT 60``, as the scoping layer sends it);
* the council's member count;
* a count that forgets its ``WHERE council_id`` (the policy alone must narrow it);
* the reader's count per council (the federation's kind of read).

Prints the median of each and its plan's first line, and last ``ratio: <old page ÷ new page>``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdb import bench_database  # noqa: E402
from federation import SEED  # noqa: E402 - councils, bodies, by-laws and members, by generate_series

APP_QUERIES = {
    "members page": "SELECT id, name FROM members WHERE council_id = :c AND status = 'active' "
                    "ORDER BY sort_name, id LIMIT 60",
    "member count": "SELECT count(*) FROM members WHERE council_id = :c AND status = 'active'",
    "count, policy alone": "SELECT count(*) FROM members WHERE status = 'active'",
}
READER_QUERY = "SELECT council_id, count(*) FROM members GROUP BY council_id"


def _policies(owner, variant: str) -> None:
    from konsey.tenants.rls import (
        CONDITION,
        OR_READER_CONDITION,
        repolicy_all_sql,
        split_reader_policies_sql,
    )

    with owner.begin() as conn:
        if variant == "old":
            conn.execute(text(split_reader_policies_sql(False)))
            conn.execute(text(repolicy_all_sql(OR_READER_CONDITION)))
        else:
            conn.execute(text(repolicy_all_sql(CONDITION)))
            conn.execute(text(split_reader_policies_sql(True)))


def _time(engine, sql: str, council, rounds: int) -> tuple[float, str]:
    times = []
    with engine.connect() as conn:
        if council is not None:
            conn.execute(text("SELECT set_config('konsey.council_id', :c, false)"), {"c": str(council)})
        plan = conn.execute(text(f"EXPLAIN {sql}"), {"c": council}).scalars().all()
        for _ in range(rounds):
            start = time.perf_counter()
            conn.execute(text(sql), {"c": council}).all()
            times.append(time.perf_counter() - start)
        conn.rollback()
    shape = next((line.strip() for line in plan if "Scan" in line), plan[0].strip())
    return statistics.median(times) * 1000, shape


def main() -> int:
    from flask_migrate import upgrade

    from konsey.app import create_app

    with bench_database("konsey_bench_rls") as database:
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.app, "KONSEY_MIGRATION_DATABASE_URL": database.owner,
                          "KONSEY_READER_DATABASE_URL": database.reader, "SECRET_KEY": "bench"},
                         instance_path=tempfile.mkdtemp(prefix="konsey-bench-rls-"))
        with app.app_context():
            upgrade(revision="heads")
        owner = create_engine(database.owner)
        start = time.perf_counter()
        with owner.begin() as conn:
            for statement in SEED[:4]:
                conn.execute(text(statement))
        with owner.connect() as conn:
            conn.execute(text("COMMIT"))
            conn.execute(text("ANALYZE"))
            council = conn.execute(text("SELECT id FROM councils ORDER BY slug LIMIT 1")).scalar()
        print(f"seeded 1,400 councils and {1400 * 500:,} members in {time.perf_counter() - start:.1f} s")
        as_app, as_reader = create_engine(database.app), create_engine(database.reader)
        results: dict = {}
        for _round in range(2):  # old, new, old, new: the cache is warm for both
            for variant in ("old", "new"):
                _policies(owner, variant)
                for label, sql in APP_QUERIES.items():
                    results.setdefault((variant, label), []).append(_time(as_app, sql, council, 200))
                results.setdefault((variant, "reader per council"), []).append(
                    _time(as_reader, READER_QUERY, None, 5))
        for engine in (owner, as_app, as_reader):
            engine.dispose()
    print(f"{'query':<22} {'0024–0030 (ms)':>15} {'0031 (ms)':>10}   plans (old | new)")
    for label in [*APP_QUERIES, "reader per council"]:
        old = min(t for t, _ in results[("old", label)])
        new = min(t for t, _ in results[("new", label)])
        print(f"{label:<22} {old:>15.3f} {new:>10.3f}   {results[('old', label)][-1][1]} | "
              f"{results[('new', label)][-1][1]}")
    page_old = min(t for t, _ in results[("old", "members page")])
    page_new = min(t for t, _ in results[("new", "members page")])
    print(f"ratio: {page_old / page_new:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
