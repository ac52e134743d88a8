"""Personal data the law calls special (#33): sealed at rest with each council's data key, wrapped by a master key
kept outside the database; every read by a person recorded without the value; a rotated key leaves every value
readable; what has served its purpose deleted by the daily sweep, audited by counts; the processing inventory read
from the code's declarations."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from conftest import approve_by_general_assembly, login

A = "/api/v1/councils/alpha"
TCKN = "10000000146"


@pytest.fixture
def alpha(world, api):
    council = world.council("alpha")
    admin_id = world.user("admin@alpha.example.org", roles={council: "administrator"})
    return {"id": council, "admin": api(world.token(admin_id, council)), "admin_id": admin_id}


def _stored(app, council, sql: str, **params):
    """What the database holds, read past the models (what a dump would show)."""
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return db.session.execute(text(sql), params).all()


def _reads(app, council):
    from konsey.core.special_data import SpecialDataRead
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return [(read.record_type, read.record_id, read.fields, read.route, read.reader_user_id)
                for read in db.session.scalars(select(SpecialDataRead).order_by(SpecialDataRead.at))]


def test_identity_numbers_representatives_and_applicants_are_sealed_and_read_back(app, world, alpha):
    admin = alpha["admin"]
    person = admin.post(f"{A}/members", json={"category": "individual", "name": "Elif Kaya", "tckn": TCKN})
    assert person.status_code == 201 and person.json["tckn"] == "*********46"
    chamber = admin.post(f"{A}/members", json={"category": "professional_chamber", "name": "Mimarlar Odası",
                                               "representative_name": "Selin Yurt", "substitute_name": "Can Ak"})
    assert chamber.status_code == 201
    world.application(alpha["id"], name="Başvuran Kişi", tckn="10000000078")

    members = _stored(app, alpha["id"], "SELECT tckn, tckn_hash, representative_name, substitute_name FROM members")
    applications = _stored(app, alpha["id"], "SELECT applicant FROM membership_applications")
    stored = [value for row in members for value in row[:1] + row[2:] if value] + [applications[0][0]]
    assert len(stored) == 4 and all(value.startswith("ks1:1:") for value in stored)
    everything = json.dumps([list(row) for row in members + applications])
    for plain in (TCKN, "Selin Yurt", "Can Ak", "10000000078", "Başvuran"):
        assert plain not in everything
    assert len({row[1] for row in members if row[1]}) == 1  # the keyed hash, not the number

    # Found by the whole number (through its keyed hash), never by a part of it.
    assert [m["name"] for m in admin.get(f"{A}/members", query_string={"q": TCKN}).json] == ["Elif Kaya"]
    assert admin.get(f"{A}/members", query_string={"q": TCKN[:6]}).json == []
    # Read back as they were; the same number again is refused by its keyed hash.
    assert admin.get(f"{A}/members/{chamber.json['id']}").json["representative_name"] == "Selin Yurt"
    again = admin.post(f"{A}/members", json={"category": "individual", "name": "Elif Kaya 2", "tckn": TCKN})
    assert again.status_code in (409, 422) and "tckn" in again.json["errors"]


def test_a_sealed_value_opens_only_in_its_council_and_field(app, world):
    from konsey.core.keyring import KeyringError, keyed_hash, seal, unseal
    from konsey.tenants.scoping import bound_council

    alpha, beta = world.council("alpha"), world.council("beta", province=16)
    with app.app_context():
        with bound_council(alpha):
            sealed = seal(TCKN, "members.tckn")
            assert unseal(sealed, "members.tckn") == TCKN
            with pytest.raises(KeyringError):
                unseal(sealed, "members.representative_name")  # moved to another field
            alpha_hash = keyed_hash(TCKN)
        with bound_council(beta):
            with pytest.raises(KeyringError):
                unseal(sealed, "members.tckn")  # copied into another council
            assert keyed_hash(TCKN) != alpha_hash


def test_without_the_master_key_nothing_opens(app, world):
    from konsey.core import keyring
    from konsey.core.keyring import KeyringError, new_master_key_line, seal, unseal
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    alpha = world.council("alpha")
    with app.app_context(), bound_council(alpha):
        sealed = seal(TCKN, "members.tckn")
        db.session.commit()
        kept = app.config["KONSEY_MASTER_KEYS"]
        app.config["KONSEY_MASTER_KEYS"] = new_master_key_line("stranger")
        keyring._opened.clear()
        db.session.remove()
        try:
            with pytest.raises(KeyringError):
                unseal(sealed, "members.tckn")
        finally:
            app.config["KONSEY_MASTER_KEYS"] = kept
            keyring._opened.clear()
            db.session.remove()


def _numbers(app, council, ids) -> list[str]:
    """The members' identity numbers as the platform opens them (no page shows one in full)."""
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        return [db.session.get(Member, uuid.UUID(str(i))).tckn for i in ids]


def test_a_rotated_key_leaves_every_value_readable(app, world, alpha):
    from konsey.core.special_data import drop_retired_keys
    from konsey.tenants.db import db, utcnow
    from konsey.tenants.scoping import bound_council

    admin = alpha["admin"]
    ids = [admin.post(f"{A}/members", json={"category": "individual", "name": f"Üye {i}", "tckn": tckn}).json["id"]
           for i, tckn in enumerate(("10000000146", "10000000078", "10000000214"))]
    key = admin.get(f"{A}/personal-data/key").json
    assert key["version"] == 1 and key["percent"] == 100 and key["total"] == 3
    rotated = admin.post(f"{A}/personal-data/key/rotate")
    assert rotated.status_code == 202 and rotated.json["version"] == 2
    assert rotated.json["sealed"] == 0 and rotated.json["percent"] == 0  # the worker has not come by yet
    _relay(app)  # the worker seals them again
    assert admin.get(f"{A}/personal-data/key").json == {"version": 2, "versions": [2, 1], "sealed": 3, "total": 3,
                                                          "percent": 100}
    assert {row[0][:6] for row in _stored(app, alpha["id"], "SELECT tckn FROM members")} == {"ks1:2:"}
    assert _numbers(app, alpha["id"], ids) == ["10000000146", "10000000078", "10000000214"]

    with app.app_context(), bound_council(alpha["id"]):
        assert drop_retired_keys() == 0  # not before its grace: a request may still hold the old key
        assert drop_retired_keys(utcnow() + timedelta(days=9)) == 1  # past an export's week and its grace
        db.session.commit()
    assert admin.get(f"{A}/personal-data/key").json["versions"] == [2]
    assert _numbers(app, alpha["id"], ids) == ["10000000146", "10000000078", "10000000214"]


def test_a_new_master_key_rewraps_every_council_in_place(app, world, alpha):
    from konsey.core import keyring
    from konsey.core.keyring import new_master_key_line
    from konsey.tenants.db import db

    admin = alpha["admin"]
    member = admin.post(f"{A}/members", json={"category": "professional_chamber", "name": "Mimarlar Odası",
                                              "representative_name": "Selin Yurt"}).json
    person = admin.post(f"{A}/members", json={"category": "individual", "name": "Elif Kaya", "tckn": TCKN}).json
    old = app.config["KONSEY_MASTER_KEYS"]
    new = new_master_key_line("m2")
    try:
        app.config["KONSEY_MASTER_KEYS"] = f"{new},{old}"
        result = app.test_cli_runner().invoke(args=["keys", "rewrap"])
        assert result.exit_code == 0 and "alpha: keys rewrapped: 2" in result.output, result.output  # data, index
        stored = _stored(app, alpha["id"], "SELECT DISTINCT master_key_id FROM council_data_keys")
        assert stored == [("m2",)]
        app.config["KONSEY_MASTER_KEYS"] = new  # the old master key is gone: everything still opens
        keyring._opened.clear()
        with app.app_context():
            db.session.remove()
        assert admin.get(f"{A}/members/{member['id']}").json["representative_name"] == "Selin Yurt"
        assert [m["name"] for m in admin.get(f"{A}/members", query_string={"q": TCKN}).json] == [person["name"]]
    finally:
        app.config["KONSEY_MASTER_KEYS"] = old
        keyring._opened.clear()


@pytest.fixture
def disabled_member(app, world, alpha):
    """A member of the disabled people's assembly with a carer, and an officer who reads the log."""
    admin = alpha["admin"]
    assert admin.post(f"{A}/plugins/disabled_assembly", json={"config": {}}).status_code == 201
    body = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Engelli Meclisi")
    voters = [str(world.member(alpha["id"], name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, A, body["id"], voters).json["status"] == "active"
    base = f"{A}/plugins/disabled_assembly"
    person = str(world.member(alpha["id"], name="Ayla Görmez", gender="female"))
    admin.post(f"{base}/consents", json={"member_id": person, "given_on": date.today().isoformat()})
    assert admin.post(f"{base}/members", json={"member_id": person}).status_code == 201
    assert admin.post(f"{base}/supporters", json={"member_id": person, "name": "Kemal Refakatçi"}).status_code == 201
    return person


def test_reading_a_disabled_members_record_on_a_page_and_the_api_each_leave_one_record(app, world, alpha,
                                                                                        disabled_member, api):
    earlier = _reads(app, alpha["id"])  # the API's answer to adding the carer showed the name back: one read
    assert [read[3] for read in earlier] == ["POST disabled_assembly_api.Supporters"]
    gs = world.user("gs@alpha.example.org", roles={alpha["id"]: "administrator"})
    client = app.test_client()
    login(client, "gs@alpha.example.org")
    page = client.get("/alpha/p/disabled_assembly/")
    assert page.status_code == 200 and "Kemal Refakatçi" in page.get_data(as_text=True)
    assert _reads(app, alpha["id"])[1:] == [("members", disabled_member, ["disabled_assembly_supporters.name"],
                                             "GET disabled_assembly.index", gs)]

    overview = alpha["admin"].get(f"{A}/plugins/disabled_assembly")
    assert [s["name"] for s in overview.json["supporters"]] == ["Kemal Refakatçi"]
    reads = _reads(app, alpha["id"])
    assert len(reads) == 3 and reads[2][:3] == ("members", disabled_member, ["disabled_assembly_supporters.name"])
    assert reads[2][3].startswith("GET ") and reads[2][4] == alpha["admin_id"]
    assert "Kemal" not in json.dumps(_stored(app, alpha["id"], "SELECT * FROM special_data_reads"), default=str)

    # The council's data officer reads the record and downloads it; reading it adds nothing.
    officer = api(world.token(world.user("kvkk@alpha.example.org", roles={alpha["id"]: "data_officer"}),
                              alpha["id"]))
    listed = officer.get(f"{A}/personal-data/reads")
    assert listed.status_code == 200 and [r["reader"] for r in listed.json] == [
        "admin@alpha.example.org", "gs@alpha.example.org", "admin@alpha.example.org"]
    assert listed.json[0]["fields"] == ["disabled_assembly_supporters.name"]
    download = officer.get(f"{A}/personal-data/reads.csv")
    rows = list(csv.reader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == 4 and "Kemal" not in download.get_data(as_text=True)
    assert len(_reads(app, alpha["id"])) == 3


def test_only_the_data_officer_and_the_secretariat_read_the_record(app, world, alpha, api):
    viewer = api(world.token(world.user("viewer@alpha.example.org", roles={alpha["id"]: "viewer"}), alpha["id"]))
    assert viewer.get(f"{A}/personal-data/reads").status_code == 403
    assert viewer.post(f"{A}/personal-data/key/rotate").status_code == 403
    beta = world.council("beta", province=16)
    other = api(world.token(world.user("kvkk@beta.example.org", roles={beta: "data_officer"}), beta))
    assert other.get(f"{A}/personal-data/reads").status_code in (403, 404)
    assert other.get("/api/v1/councils/beta/personal-data/reads").json == []
    assert alpha["admin"].get(f"{A}/personal-data/reads").status_code == 200


def _age(app, council, application_id, days: int, status: str = "rejected"):
    from konsey.core.applications import MembershipApplication
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council):
        db.session.execute(update(MembershipApplication).where(MembershipApplication.id == application_id)
                           .values(status=status, decided_at=datetime.now(UTC) - timedelta(days=days)))
        db.session.commit()


def test_an_expired_rejected_application_goes_with_the_daily_task_audited_by_counts(app, world, alpha):
    from konsey.core.applications import MembershipApplication
    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    old = world.application(alpha["id"], name="Eski Başvuran", email="eski@example.org", tckn=TCKN)
    recent = world.application(alpha["id"], name="Yeni Başvuran", email="yeni@example.org")
    waiting = world.application(alpha["id"], name="Bekleyen Başvuran", email="bekleyen@example.org")
    _age(app, alpha["id"], old, 400)
    _age(app, alpha["id"], recent, 30)

    gs = app.test_client()
    world.user("gs@alpha.example.org", roles={alpha["id"]: "administrator"})
    login(gs, "gs@alpha.example.org")
    page = gs.get("/alpha/personal-data/").get_data(as_text=True)
    assert 'data-kind="rejected_applications">1<' in page

    with app.app_context(), acting_as(SYSTEM):
        assert system.personal_data_daily() == {"rejected_applications": 1}
    with app.app_context(), bound_council(alpha["id"]):
        kept = set(db.session.scalars(select(MembershipApplication.id)))
        assert kept == {recent, waiting}
        swept = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "retention.swept"))
        assert swept.details == {"counts": {"rejected_applications": 1}} and swept.subject_id is None
        every_detail = json.dumps([e.details for e in db.session.scalars(select(AuditEntry))], ensure_ascii=False)
        assert "Eski" not in every_detail and TCKN not in every_detail
    with app.app_context(), acting_as(SYSTEM):
        assert system.personal_data_daily() == {}  # nothing more is due


def test_a_former_members_contacts_go_after_the_bylaws_days_and_the_name_stays(app, world, alpha):
    from konsey.core.membership import Member, MembershipEvent, MemberStatus
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    left = world.member(alpha["id"], name="Ayrılan Üye", email="ayrilan@example.org", phone="+905551112233",
                        tckn=TCKN)
    stays = world.member(alpha["id"], name="Kalan Üye", email="kalan@example.org")
    with app.app_context(), bound_council(alpha["id"]):
        db.session.get(Member, left).status = MemberStatus.ENDED
        db.session.add(MembershipEvent(member_id=left, status=MemberStatus.ENDED, reason="İstifa",
                                       on=date.today() - timedelta(days=800)))
        db.session.commit()
    with app.app_context(), acting_as(SYSTEM):
        assert system.personal_data_daily() == {"former_member_contacts": 1}
    with app.app_context(), bound_council(alpha["id"]):
        former, current = db.session.get(Member, left), db.session.get(Member, stays)
        assert (former.name, former.email, former.phone, former.tckn, former.tckn_hash) == \
            ("Ayrılan Üye", None, None, None, None)
        assert current.email == "kalan@example.org"


def test_the_inventory_lists_every_special_category_field_the_code_declares(app, world, alpha):
    from konsey.core.special_data import declared_fields

    admin = alpha["admin"]
    for plugin in ("children_assembly", "disabled_assembly"):
        assert admin.post(f"{A}/plugins/{plugin}", json={"config": {}}).status_code == 201
    lines = admin.get(f"{A}/personal-data/inventory").json
    declared = {field.key for field in declared_fields() if not field.model.__module__.startswith(
        "konsey.plugins.") or field.model.__module__.split(".")[2] in ("children_assembly", "disabled_assembly")}
    assert {line["field"] for line in lines} == declared
    assert {"members.tckn", "members.representative_name", "representatives.name", "membership_applications.applicant",
            "children_assembly_children.guardian_phone", "disabled_assembly_supporters.name"} <= declared
    assert all(line["transfer_abroad"] and line["legal_basis"] and line["retention"] for line in lines)
    exported = admin.get(f"{A}/personal-data/inventory.csv").get_data(as_text=True)
    assert all(key in exported for key in declared)


def _relay(app):
    from konsey.worker.relay import relay

    with app.app_context():
        while relay():
            pass


def test_an_export_holds_the_values_waits_sealed_and_its_read_is_recorded(app, world, alpha):
    import gzip

    admin = alpha["admin"]
    admin.post(f"{A}/members", json={"category": "individual", "name": "Elif Kaya", "tckn": TCKN})
    started = admin.post(f"{A}/exports")
    assert started.status_code == 202
    _relay(app)
    stored = _stored(app, alpha["id"], "SELECT content FROM export_jobs")
    assert bytes(stored[0][0]).startswith(b"ks1:1:") and TCKN.encode() not in bytes(stored[0][0])
    job = admin.get(started.headers["Location"]).json
    document = json.loads(gzip.decompress(admin.get(job["download"]).data))
    (member,) = document["tables"]["members"]
    assert member["tckn"] == TCKN and "tckn_hash" not in member  # the hash is this installation's: made anew
    assert "council_data_keys" not in document["tables"]
    reads = _reads(app, alpha["id"])
    exported = [(r[0], "members.tckn" in r[2], r[4]) for r in reads if r[0] == "export_jobs"]
    assert exported == [("export_jobs", True, alpha["admin_id"])]


def test_the_running_platform_reaches_no_host_but_those_configured(tmp_path, smtp_server):
    """Nothing leaves the country unless a council configures a channel (KVKK art. 9; Circular 2019/12): with the
    demo's councils running, their staff's pages read and the outbox's work done, every socket the platform opens
    goes to the database, the broker, the live service's Redis or the mail server it was given, and no page makes
    the browser load anything from elsewhere."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from support.services import REDIS_URL

    config = {"SECRET_KEY": "outbound", "KONSEY_TASKS_EAGER": True, "KONSEY_MAIL_BACKEND": "smtp",
              "KONSEY_SMTP_HOST": "127.0.0.1", "KONSEY_SMTP_PORT": smtp_server.port,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'konsey.sqlite'}",
              "KONSEY_MIGRATION_DATABASE_URL": f"sqlite:///{tmp_path / 'konsey.sqlite'}",
              "KONSEY_LIVE_REDIS_URL": REDIS_URL, "KONSEY_LIVE_KEY_PREFIX": f"outbound-{uuid.uuid4().hex[:8]}:",
              "KONSEY_BASE_URL": "http://127.0.0.1:5000", "RATELIMIT_ENABLED": False,
              "KONSEY_PASSWORD_HASHING": "cheapest"}
    script = Path(__file__).resolve().parent / "support" / "outbound.py"
    run = subprocess.run([sys.executable, str(script), json.dumps(config), str(tmp_path / "instance")],  # noqa: S603
                         capture_output=True, text=True, timeout=600, env={**os.environ, "PYTHONPATH": ""})
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["loaded_from"] == []
    assert "127.0.0.1" in seen["reached"]  # it did reach what it was given: the mail server, Redis
    assert set(seen["reached"]) <= {"127.0.0.1", "localhost", "::1", "unix socket"}, seen["reached"]


def test_a_minor_who_came_of_age_leaves_the_childrens_assembly_records(app, world, alpha):
    """The children's assembly adds its own kind (the konsey_retention_kinds hook): a child who came of age, or left
    longer ago than the by-laws keep them, is erased with the guardian's consent."""
    from konsey.plugins.children_assembly.models import Child, GuardianConsent
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import system
    from konsey.usecases.base import SYSTEM, acting_as

    assert alpha["admin"].post(f"{A}/plugins/children_assembly", json={"config": {}}).status_code == 201
    grown = world.child(alpha["id"])["child_a"]
    young = world.child(alpha["id"])["child_a"]
    with app.app_context(), bound_council(alpha["id"]):
        db.session.get(Child, grown).birth_date = date(date.today().year - 19, 1, 1)  # came of age last year
        db.session.commit()
    due = {item["code"]: item["count"] for item in alpha["admin"].get(f"{A}/personal-data/retention").json}
    assert due["children_assembly.minors"] == 1
    with app.app_context(), acting_as(SYSTEM):
        assert system.personal_data_daily() == {"children_assembly.minors": 1}
    with app.app_context(), bound_council(alpha["id"]):
        assert set(db.session.scalars(select(Child.id))) == {young}
        assert set(db.session.scalars(select(GuardianConsent.child_id))) == {young}


def test_an_export_travels_encrypted_and_signed_and_is_restored_with_its_passphrase(app, world, alpha, tmp_path):
    import gzip

    from konsey.core.sealed_exports import SealedExportError
    from konsey.usecases.councils import opened_export
    from support.apps import empty_all_tables

    admin = alpha["admin"]
    admin.post(f"{A}/members", json={"category": "individual", "name": "Elif Kaya", "tckn": TCKN})
    started = admin.post(f"{A}/exports")
    _relay(app)
    job_id = started.json["id"]
    short = admin.post(f"{A}/exports/{job_id}/sealed-file", json={"passphrase": "kısa"})
    assert short.status_code == 422 and "passphrase" in short.json["errors"]
    sealed = admin.post(f"{A}/exports/{job_id}/sealed-file", json={"passphrase": "uzun ve gizli bir parola"})
    assert sealed.status_code == 200 and TCKN.encode() not in sealed.data
    with app.app_context():
        document, fingerprint = opened_export(sealed.data, "uzun ve gizli bir parola")
        assert document["tables"]["members"][0]["tckn"] == TCKN and len(fingerprint) == 19
        with pytest.raises(SealedExportError, match="passphrase"):
            opened_export(sealed.data, "yanlış bir parola daha")
        edited = json.loads(sealed.data)
        edited["council"] = "beta"
        with pytest.raises(SealedExportError, match="signature"):
            opened_export(json.dumps(edited).encode(), "uzun ve gizli bir parola")
    assert json.loads(gzip.decompress(admin.get(f"{A}/exports/{job_id}/file").data))["council"]["slug"] == "alpha"

    # The operator's command line: exported for the road, the database lost, restored with the passphrase.
    runner = app.test_cli_runner()
    secret = tmp_path / "passphrase.txt"
    secret.write_text("uzun ve gizli bir parola\n")
    moved = tmp_path / "alpha.konsey"
    done = runner.invoke(args=["councils", "export", "alpha", "-o", str(moved), "--passphrase-file", str(secret)])
    assert done.exit_code == 0, done.output
    assert TCKN.encode() not in moved.read_bytes()
    empty_all_tables(app)
    refused = runner.invoke(args=["councils", "import", str(moved)])
    assert refused.exit_code == 2 and "passphrase" in refused.output
    restored = runner.invoke(args=["councils", "import", str(moved), "--passphrase-file", str(secret)])
    assert restored.exit_code == 0 and "Signed by the council's key" in restored.output, restored.output
    (row,) = _stored(app, alpha["id"], "SELECT tckn FROM members")
    assert row[0].startswith("ks1:1:")


def test_values_kept_in_the_clear_before_the_upgrade_are_read_and_sealed_by_the_reseal(app, world, alpha):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    member = world.member(alpha["id"], name="Eski Kayıt")
    with app.app_context(), bound_council(alpha["id"]):  # as migration 0047 leaves an older installation's rows
        db.session.execute(update(Member).where(Member.id == member)
                           .values(tckn_sealed=TCKN, representative_name_sealed="Açık Ad"))
        db.session.commit()
    assert _numbers(app, alpha["id"], [member]) == [TCKN]  # readable meanwhile
    done = app.test_cli_runner().invoke(args=["keys", "reseal", "alpha"])
    assert done.exit_code == 0 and "2 values sealed again" in done.output, done.output
    ((tckn, digest, name),) = _stored(app, alpha["id"], "SELECT tckn, tckn_hash, representative_name FROM members")
    assert tckn.startswith("ks1:1:") and name.startswith("ks1:1:") and len(digest) == 64
    found = alpha["admin"].get(f"{A}/members", query_string={"q": TCKN}).json
    assert [(m["name"], m["tckn"]) for m in found] == [("Eski Kayıt", "*********46")]
