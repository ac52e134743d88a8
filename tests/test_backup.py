"""A council's export restores it: export a council with a year of life, empty the database, import the
export (`konsey councils import`), export again: every table comes back as it was, references and the audit
chain intact; only the secrets an export never carries are made anew."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select, text

from support.apps import empty_all_tables


def _export(app, runner, path) -> dict:
    result = runner.invoke(args=["councils", "export", "izmir", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_council_comes_back_from_its_export(app, tmp_path):
    from konsey.app.demo import seed_demo
    from konsey.core.delivery import DeliveryRoute
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    runner = app.test_cli_runner()
    with app.app_context():
        seed_demo()
        with bound_council(db.session.scalar(select(Council.id).where(Council.slug == "izmir"))):
            from konsey.usecases.base import SYSTEM, acting_as
            from konsey.usecases.motions import set_delivery_route

            with acting_as(SYSTEM):
                set_delivery_route({"channel": "email", "address": "evrak@izmir.bel.tr"})
    before = _export(app, runner, tmp_path / "before.json")
    assert sum(len(rows) for rows in before["tables"].values()) > 500
    grants = sorted((g["email"], g["role"]) for g in before["tables"]["council_roles"])

    empty_all_tables(app)  # the database is lost; the export is what we have
    with app.app_context():
        from konsey.app.demo import _user

        for email, _role in grants:  # the people sign up again (accounts are not a council's data)
            _user(email, email.split("@")[0])
        db.session.commit()
    restored = runner.invoke(args=["councils", "import", str(tmp_path / "before.json")])
    assert restored.exit_code == 0, restored.output
    assert "Restored İzmir Kent Konseyi" in restored.output

    after = _export(app, runner, tmp_path / "after.json")
    for name, rows in before["tables"].items():
        if name in ("council_keys", "council_roles", "invitations"):
            continue
        assert after["tables"].get(name) == rows, name
    assert before["council"] == after["council"]
    assert sorted((g["email"], g["role"]) for g in after["tables"]["council_roles"]) == grants
    # The identity numbers came back sealed with the new installation's keys, their keyed hashes made anew.
    with app.app_context():
        council_id = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
        with bound_council(council_id):
            numbers = db.session.execute(text("SELECT tckn, tckn_hash FROM members WHERE tckn IS NOT NULL")).all()
    assert numbers and all(tckn.startswith("ks1:1:") and len(digest) == 64 for tckn, digest in numbers)
    chain = runner.invoke(args=["audit", "verify", "izmir"])
    assert chain.exit_code == 0, chain.output  # the hash chain came back unbroken
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "izmir"))
        with bound_council(council.id):
            route = db.session.scalar(select(DeliveryRoute))
            assert route.secret.startswith("whsec_")  # a new secret: the old one never left


def test_an_export_is_not_restored_over_a_council_that_exists(app, tmp_path):
    from konsey.app.demo import seed_demo

    runner = app.test_cli_runner()
    with app.app_context():
        seed_demo()
    _export(app, runner, tmp_path / "izmir.json")
    again = runner.invoke(args=["councils", "import", str(tmp_path / "izmir.json")])
    assert again.exit_code != 0 and "already has the council izmir" in again.output
    (tmp_path / "other.json").write_text('{"format": "something-else"}', encoding="utf-8")
    wrong = runner.invoke(args=["councils", "import", str(tmp_path / "other.json")])
    assert wrong.exit_code != 0 and "not a Konsey council export" in wrong.output


def test_an_edited_export_cannot_write_into_another_council(app, tmp_path):
    """Every restored row and grant is the restored council's, whatever council id the file names."""
    from konsey.app.demo import _user, seed_demo
    from konsey.core.accounts import CouncilRole
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    runner = app.test_cli_runner()
    with app.app_context():
        seed_demo()
    document = _export(app, runner, tmp_path / "izmir.json")
    with app.app_context():
        nilufer = db.session.scalar(select(Council).where(Council.slug == "nilufer"))
        nilufer_id, before = nilufer.id, None
        with bound_council(nilufer_id):
            before = db.session.scalar(select(func.count(Member.id)))
        izmir = db.session.scalar(select(Council).where(Council.slug == "izmir"))
        izmir_id = izmir.id
    # A council of its own address and id, holding one member and one grant, both aimed at Nilüfer.
    new_id = str(uuid.uuid4())
    person = next(row for row in document["tables"]["members"] if not row.get("group_body_id"))  # no body here
    member = {**person, "id": str(uuid.uuid4()), "council_id": str(nilufer_id),
              "member_no": 9999, "email": "yeni@example.org", "tckn": None}
    grant = {**document["tables"]["council_roles"][0], "id": str(uuid.uuid4()), "council_id": str(nilufer_id),
             "email": "intruder@example.org", "role": "administrator"}
    edited = {"format": document["format"], "council": {**document["council"], "id": new_id, "slug": "izmir-yeni"},
              "tables": {"members": [member], "council_roles": [grant]}}
    (tmp_path / "edited.json").write_text(json.dumps(edited), encoding="utf-8")
    with app.app_context():
        _user("intruder@example.org", "X")
        db.session.commit()
    result = runner.invoke(args=["councils", "import", str(tmp_path / "edited.json")])
    assert result.exit_code == 0, result.output
    with app.app_context():
        with bound_council(nilufer_id):
            assert db.session.scalar(select(func.count(Member.id))) == before  # Nilüfer gained nobody
        with bound_council(uuid.UUID(new_id)):
            assert db.session.scalar(select(func.count(Member.id))) == 1  # the member is the new council's
        intruder_grants = db.session.scalars(select(CouncilRole.council_id).join(
            CouncilRole.user).where(CouncilRole.user.has(email="intruder@example.org"))).all()
        assert intruder_grants == [uuid.UUID(new_id)]
    assert izmir_id
