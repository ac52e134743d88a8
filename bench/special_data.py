#!/usr/bin/env python3
"""What does sealing special-category data cost? The member list of a council whose institutions' representatives
identity numbers are sealed, against the same list with the field empty.

    .venv/bin/python bench/special_data.py

Two councils on SQLite, 200 members each: with an identity number in one, without in the other; the API's member
list (200 a page, the number shown masked) asked in alternation, so both see the same machine. Each sealed list
opens 200 values (AES-256-GCM) and records one read per member when the request ends. Also the raw speed of sealing and opening one value. Prints both lists'
medians and last ``ratio: <sealed / empty>``.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select, update

PER_COUNCIL, ROUNDS, VALUES = 200, 30, 20_000


def _tckn(rng: random.Random) -> str:
    digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
    digits.append(((sum(digits[0:9:2]) * 7) - sum(digits[1:8:2])) % 10)
    digits.append(sum(digits) % 10)
    return "".join(map(str, digits))


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from flask_migrate import upgrade

    from conftest import World  # the tests' helpers build councils the same way the platform does
    from konsey.app import create_app
    from konsey.core.keyring import seal, unseal
    from konsey.core.membership import Member, add_member
    from konsey.core.special_data import SpecialDataRead
    from konsey.schemas.members import MemberInputSchema
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    folder = Path(tempfile.mkdtemp(prefix="konsey-bench-special-"))
    url = f"sqlite:///{folder / 'konsey.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KONSEY_MIGRATION_DATABASE_URL": url, "TESTING": True,
                      "SECRET_KEY": "bench", "KONSEY_TASKS_EAGER": True, "KONSEY_PASSWORD_HASHING": "cheapest",
                      "RATELIMIT_ENABLED": False}, instance_path=folder)
    with app.app_context():
        upgrade(revision="heads")
    world = World(app)
    councils = {"numbers": world.council("numarali", name="Numaralı Kent Konseyi"),
                "no_numbers": world.council("numarasiz", province=16, name="Numarasız Kent Konseyi"),
                "sealed": world.council("muhurlu", province=6, name="Mühürlü Kent Konseyi"),
                "clear": world.council("acik", province=7, name="Açık Kent Konseyi")}
    rng = random.Random(33)
    tokens = {}
    for key, council_id in councils.items():
        tokens[key] = world.token(world.user(f"gs@{key}.example.org", roles={council_id: "administrator"}),
                                  council_id)
        schema = MemberInputSchema()
        with app.app_context(), bound_council(council_id):
            for i in range(PER_COUNCIL):
                if key in ("numbers", "no_numbers"):
                    data = {"category": "individual", "name": f"Üye {i:03d}"}
                    if key == "numbers":
                        data["tckn"] = _tckn(rng)
                else:
                    data = {"category": "association", "name": f"Dernek {i:03d}", "derbis_no": f"35-201-{i:03d}",
                            "representative_name": f"Temsilci {i:03d}", "substitute_name": f"Yedek {i:03d}"}
                add_member(schema.load(data))
            if key == "clear":  # as an older release kept them, before sealing began
                db.session.execute(update(Member).values(representative_name_sealed=Member.name,
                                                         substitute_name_sealed=Member.name))
            db.session.commit()

    client = app.test_client()
    slugs = {"numbers": "numarali", "no_numbers": "numarasiz", "sealed": "muhurlu", "clear": "acik"}
    samples = {key: [] for key in slugs}
    for round_number in range(ROUNDS + 2):
        for key in slugs:
            start = time.perf_counter()
            answer = client.get(f"/api/v1/councils/{slugs[key]}/members?per_page={PER_COUNCIL}",
                                headers={"Authorization": f"Bearer {tokens[key]}"})
            elapsed = time.perf_counter() - start
            assert answer.status_code == 200 and len(answer.json) == PER_COUNCIL
            if round_number >= 2:  # the first two warm the caches
                samples[key].append(elapsed)

    with app.app_context(), bound_council(councils["numbers"]):
        start = time.perf_counter()
        sealed = [seal(f"{i:011d}", "members.tckn") for i in range(VALUES)]
        seal_each = (time.perf_counter() - start) / VALUES
        start = time.perf_counter()
        opened = [unseal(value, "members.tckn") for value in sealed]
        open_each = (time.perf_counter() - start) / VALUES
        assert opened[-1] == f"{VALUES - 1:011d}"
    reads = {}
    for key in ("numbers", "sealed", "clear"):
        with app.app_context(), bound_council(councils[key]):
            reads[key] = db.session.scalar(select(func.count(SpecialDataRead.id)))  # scoped: this council's

    median = {key: statistics.median(values) * 1e3 for key, values in samples.items()}
    print(f"members per list: {PER_COUNCIL}; medians of {ROUNDS} lists each")
    print(f"people, identity numbers sealed (shown masked): {median['numbers']:.1f} ms; without: "
          f"{median['no_numbers']:.1f} ms; reads recorded: {reads['numbers']}")
    print(f"institutions, representatives' names sealed:    {median['sealed']:.1f} ms "
          f"({reads['sealed'] // (ROUNDS + 2)} reads recorded a request)")
    print(f"institutions, the names in the clear (older):   {median['clear']:.1f} ms "
          f"({reads['clear'] // (ROUNDS + 2)} reads recorded a request)")
    print(f"seal one value: {seal_each * 1e6:.1f} µs; open one: {open_each * 1e6:.1f} µs")
    print(f"ratio: {median['sealed'] / median['clear']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
