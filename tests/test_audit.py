"""The council audit log: state changes are recorded, chained, and any edit or deletion is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import Uuid, bindparam, select, text

from konsey.core.audit import AuditEntry, verify_chain
from konsey.tenants.db import db
from konsey.tenants.scoping import bound_council


@pytest.fixture
def council(world, api):
    council_id = world.council("izmir")
    admin = world.user("admin@izmir.example.org", roles={council_id: "administrator"})
    token = world.token(admin, council_id)
    client = api(token)
    member = client.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "Ayşe Yılmaz"})
    client.patch(f"/api/v1/councils/izmir/members/{member.json['id']}", json={"neighbourhood": "Alsancak"})
    client.delete(f"/api/v1/councils/izmir/members/{member.json['id']}")
    client.post("/api/v1/councils/izmir/invitations", json={"email": "yeni@example.org", "role": "viewer"})
    return {"id": council_id, "client": client}


def _entries(app, council_id):
    with app.app_context(), bound_council(council_id):
        return db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()


def test_state_changes_are_recorded_in_order(app, council):
    actions = [e["action"] for e in council["client"].get("/api/v1/councils/izmir/audit").json]
    assert actions == ["council.onboarded", "bylaws.adopted", "council.status", "member.added", "member.updated",
                       "member.erased", "invitation.sent"]
    updated = council["client"].get("/api/v1/councils/izmir/audit?after=4&limit=1").json
    assert updated[0]["details"] == {"fields": ["neighbourhood"]}  # which fields, never their values
    assert "Alsancak" not in str(council["client"].get("/api/v1/councils/izmir/audit").json)


def test_untouched_chain_verifies(app, council):
    result = app.test_cli_runner().invoke(args=["audit", "verify", "izmir"])
    assert result.exit_code == 0 and "7 entries, chain intact" in result.output


def _tamper(app, sql, council_id):
    from sqlalchemy import create_engine

    engine = create_engine(app.config["KONSEY_MIGRATION_DATABASE_URL"])  # the owner, past every wall
    with engine.begin() as conn:
        conn.execute(text(sql).bindparams(bindparam("c", type_=Uuid)), {"c": council_id})
    engine.dispose()


@pytest.mark.parametrize(
    "sql,expected",
    [
        ("UPDATE audit_entries SET details = '{\"fields\": [\"name\"]}' WHERE council_id = :c AND seq = 5",
         "entry 5: was changed after it was written"),
        ("DELETE FROM audit_entries WHERE council_id = :c AND seq = 4", "entry 4: entries 4–4 are missing"),
        ("DELETE FROM audit_entries WHERE council_id = :c AND seq = 7", "the log ends at 6 but the council's head is 7"),
    ],
)
def test_edits_and_deletions_are_detected(app, council, sql, expected):
    _tamper(app, sql, council["id"])
    result = app.test_cli_runner().invoke(args=["audit", "verify", "izmir"])
    assert result.exit_code == 1
    assert expected in result.output


def test_verify_chain_is_pure(app, council):
    entries = _entries(app, council["id"])
    assert verify_chain(entries, 7, entries[-1].hash) == []
    assert verify_chain(entries[1:], 7, entries[-1].hash)[0].message == "entries 1–1 are missing"


def test_only_administrators_and_presidents_read_the_log(api, world, council):
    viewer = world.token(world.user("viewer@example.org", roles={council["id"]: "viewer"}), council["id"])
    president = world.token(world.user("baskan@example.org", roles={council["id"]: "president"}), council["id"])
    assert api(viewer).get("/api/v1/councils/izmir/audit").status_code == 403
    assert api(president).get("/api/v1/councils/izmir/audit").status_code == 200


def test_entries_name_the_acting_person(app, council):
    from konsey.core.accounts import User

    entries = _entries(app, council["id"])
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.email == "admin@izmir.example.org"))
    added = next(e for e in entries if e.action == "member.added")
    assert added.actor_id == admin.id
