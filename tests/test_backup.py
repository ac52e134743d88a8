"""A council's export restores it: export a council with a year of life, empty the database, import the
export (`konsey councils import`), export again: every table comes back as it was, references and the audit
chain intact; only the secrets an export never carries are made anew."""

from __future__ import annotations

import json

from sqlalchemy import select

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
