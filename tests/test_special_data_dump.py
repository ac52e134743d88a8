"""A copy of the PostgreSQL database shows no special-category value and no identity number (#33): the demo's year of
life, a hybrid assembly's phones, and the children's and disabled people's assemblies' records, then ``pg_dump``."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

from sqlalchemy import select
from sqlalchemy.engine import make_url

from conftest import ApiClient, login
from support.services import need_service


def _plain_values(app) -> tuple[set[str], set[str]]:
    """(every value the code declares special, as the platform reads it; every member's name): a representative
    who is also a member is named in the register, openly, as a member."""
    from konsey.core.special_data import declared_fields
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    values, names = set(), set()
    with app.app_context():
        for council_id in db.session.scalars(select(Council.id)).all():
            with bound_council(council_id):
                for field in declared_fields():
                    for row in db.session.scalars(select(field.model)):
                        value = field.plain(row)
                        if isinstance(value, dict):
                            values.update(str(v) for k, v in value.items() if k in ("tckn", "representative_name",
                                                                                   "substitute_name"))
                        elif value is not None:
                            values.add(str(value))
                from konsey.core.membership import Member

                names.update(db.session.scalars(select(Member.name)))
    return values, names


def test_a_database_dump_shows_no_special_category_value_in_the_clear(postgres_app, world):
    from konsey.app.demo import seed_demo
    from konsey.core.meetings import Meeting, MeetingStatus
    from konsey.core.passes import MeetingPass, link_token
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    dump = shutil.which("pg_dump")
    need_service("pg_dump", dump is not None, "the PostgreSQL client (pg_dump) is not installed")
    app = postgres_app
    with app.app_context():
        seed_demo()
        izmir = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
        nilufer = db.session.scalar(select(Council.id).where(Council.slug == "nilufer"))

    # The hybrid assembly's phones open their personal links (the winter general assembly's passes).
    with app.test_request_context(), bound_council(izmir):
        assembly = db.session.scalar(select(Meeting).where(Meeting.status == MeetingStatus.SCHEDULED,
                                                            Meeting.title.like("%Genel Kurul%")))
        tokens = [link_token(p) for p in db.session.scalars(select(MeetingPass).where(
            MeetingPass.meeting_id == assembly.id)).all()[:3]]
    assert tokens
    for token in tokens:
        assert app.test_client().get(f"/izmir/remote/{token}").status_code == 303

    # The children's assembly (İzmir) and the disabled people's assembly (Nilüfer) keep their records.
    token = world.token(world.user("kvkk-test@izmir.example.org", roles={izmir: "administrator"}), izmir)
    secretary = ApiClient(app.test_client(), token, "en")
    child = secretary.post("/api/v1/councils/izmir/plugins/children_assembly/children", json={
        "name": "Deniz Küçükoğlu", "birth_date": date(date.today().year - 10, 3, 1).isoformat(),
        "guardian": {"name": "Sevgi Küçükoğlu", "relation": "anne", "email": "sevgi.veli@example.org",
                     "phone": "+905321234567"}})
    assert child.status_code == 201, child.json
    world.user("kvkk-test@nilufer.example.org", roles={nilufer: "administrator"})
    client = app.test_client()
    login(client, "kvkk-test@nilufer.example.org")
    client.post("/nilufer/p/disabled_assembly/requests", data={"kind": "sign_language",
                                                               "note": "Görme engelli üyemiz için sesli betimleme"})

    values, names = _plain_values(app)
    special = {value for value in values if value not in names and len(value) >= 6}
    assert "Deniz Küçükoğlu" in special and "sevgi.veli@example.org" in special
    assert "Görme engelli üyemiz için sesli betimleme" in special
    assert sum(1 for value in special if value.isdigit() and len(value) == 11) >= 100  # the demo's identity numbers

    url = make_url(app.konsey_pg.owner_url)
    dumped = subprocess.run(  # noqa: S603 - the system's pg_dump, on the test's own database
        [dump, "--data-only", "--no-owner", "-h", url.host, "-p", str(url.port or 5432), "-U", url.username,
         url.database], capture_output=True, check=True, timeout=300).stdout.decode()
    assert "ks1:1:" in dumped  # the sealed values are there, sealed
    found = sorted(value for value in special if value in dumped)
    assert found == [], f"in the clear in a dump: {found[:5]}"
