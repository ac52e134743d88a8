"""Running numbers: consecutive, per council, continuing after numbers already used, reserved in blocks."""

from konsey.core.counters import next_number
from konsey.tenants.db import db
from konsey.tenants.scoping import bound_council


def test_numbers_are_consecutive_per_council_and_start_after_existing(ctx, world):
    a, b = world.council("alpha"), world.council("beta", province=16)
    with bound_council(a):
        assert next_number("x", lambda: 41) == 42
        assert next_number("x", lambda: 0) == 43  # the start is asked only once
        assert next_number("x", lambda: 0, count=10) == 44
        assert next_number("x", lambda: 0) == 54
        db.session.commit()
    with bound_council(b):
        assert next_number("x", lambda: 0) == 1
        db.session.commit()


def test_member_numbers_survive_erasure_gaps(api, world):
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    first = admin.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "Bir Kişi"}).json
    second = admin.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "İki Kişi"}).json
    admin.delete(f"/api/v1/councils/izmir/members/{second['id']}")
    third = admin.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "Üç Kişi"}).json
    # A number, once given, is never given again (max+1 would have reused 2).
    assert (first["member_no"], second["member_no"], third["member_no"]) == (1, 2, 3)
