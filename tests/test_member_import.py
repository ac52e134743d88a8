"""Bulk import from CSV: dry run reports every bad row with line and field; a real run is all or nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from conftest import login

GOOD = (
    "kategori;ad_soyad;e_posta;dogum_tarihi;cinsiyet;mahalle;derbis;temsilci;yedek_temsilci\n"
    "bireysel;Ayşe Yılmaz;ayse@example.org;14.03.1985;kadın;Alsancak;;;\n"
    "bireysel;İsmail Çelik;ismail@example.org;01.01.1970;erkek;Karşıyaka;;;\n"
    "dernek;Kent Gönüllüleri Derneği;info@gonullu.org;;;;35-123-456;Mehmet Öz;Elif Şahin\n"
    "university;Ege Üniversitesi;;;;;;Prof. Dr. Nur Ak;\n"
)

BAD = (
    "category,name,email,tckn\n"
    "individual,Ali Veli,ali@example.org,10000000146\n"
    "individual,Veli Ali,not-an-email,\n"          # line 3: email
    "martian,Mars Derneği,,\n"                      # line 4: category
    "individual,Can Er,ali@example.org,10000000147\n"  # line 5: tckn checksum + duplicate email
    "individual,Eksik\n"                            # line 6: column count
)


@pytest.fixture
def council(world):
    return world.council("izmir")


def _count(app, council_id):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        return db.session.scalar(select(func.count(Member.id)))


def _run(app, council_id, content: bytes, dry_run: bool):
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases.member_import import import_members

    progress = []
    with app.app_context(), bound_council(council_id):
        report = import_members(content, dry_run=dry_run, progress=lambda d, t: progress.append((d, t)))
        if report.ok and not dry_run:
            db.session.commit()
        else:
            db.session.rollback()
    return report, progress


def test_dry_run_imports_nothing(app, council):
    report, _ = _run(app, council, GOOD.encode(), dry_run=True)
    assert report.ok and report.total_rows == 4 and report.imported == 0
    assert _count(app, council) == 0


def test_real_run_imports_all_with_turkish_values(app, council):
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    report, progress = _run(app, council, GOOD.encode("utf-8-sig"), dry_run=False)
    assert report.ok and report.imported == 4
    assert progress[-1] == (4, 4)
    with app.app_context(), bound_council(council):
        members = {m.name: m for m in db.session.scalars(select(Member))}
    assert members["Ayşe Yılmaz"].gender.value == "female"
    assert members["Ayşe Yılmaz"].birth_date.isoformat() == "1985-03-14"
    assert members["Kent Gönüllüleri Derneği"].kind.value == "institutional"
    assert members["Ege Üniversitesi"].category.value == "university"
    assert sorted(m.member_no for m in members.values()) == [1, 2, 3, 4]


def test_every_bad_row_is_reported_and_nothing_is_imported(app, council):
    report, _ = _run(app, council, BAD.encode(), dry_run=False)
    assert not report.ok
    found = {(e.line, e.field) for e in report.errors}
    assert {(3, "email"), (4, "category"), (5, "tckn"), (5, "email"), (6, "row")} <= found
    assert 2 not in {e.line for e in report.errors}
    assert _count(app, council) == 0


def test_rows_clashing_with_existing_members_are_reported(app, council, world):
    world.member(council, name="Var Olan", email="ayse@example.org")
    report, _ = _run(app, council, GOOD.encode(), dry_run=True)
    assert [(e.line, e.field) for e in report.errors] == [(2, "email")]


@pytest.mark.parametrize(
    "content,field",
    [
        ("kategori;ad_soyad\nbireysel;Ayşe Yılmaz\n".encode("cp1254"), "file"),
        (b"", "file"),
        ("kategori;ad_soyad;maas\nbireysel;Ayşe;100\n".encode(), "header"),
        ("ad_soyad\nAyşe\n".encode(), "header"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(app, council, content, field):
    from konsey.usecases.member_import import ImportFileError

    with pytest.raises(ImportFileError) as raised:
        _run(app, council, content, dry_run=True)
    assert raised.value.field == field


def test_cli_import_with_progress(app, council, tmp_path):
    path = tmp_path / "uyeler.csv"
    path.write_text(GOOD, encoding="utf-8")
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["members", "import", "izmir", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "4 rows are valid" in dry.output
    assert _count(app, council) == 0
    real = runner.invoke(args=["members", "import", "izmir", str(path)])
    assert real.exit_code == 0, real.output
    assert "Imported 4" in real.output and "Importing" in real.output
    assert _count(app, council) == 4

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    failed = runner.invoke(args=["members", "import", "izmir", str(bad)])
    assert failed.exit_code == 2
    assert "line 3: email" in failed.output and "nothing was imported" in failed.output
    assert _count(app, council) == 4


def test_operator_page_import(app, council, world):
    world.user("op@konsey.example.org", platform_role="operator")
    client = app.test_client()
    login(client, "op@konsey.example.org")
    dry = client.post("/operator/councils/izmir/import",
                      data={"file": (io.BytesIO(GOOD.encode()), "uyeler.csv"), "dry_run": "y"},
                      content_type="multipart/form-data")
    assert dry.status_code == 200 and _count(app, council) == 0
    bad = client.post("/operator/councils/izmir/import",
                      data={"file": (io.BytesIO(BAD.encode()), "uyeler.csv")}, content_type="multipart/form-data")
    assert bad.status_code == 422
    assert "Geçerli bir e-posta adresi değil." in bad.get_data(as_text=True)
    real = client.post("/operator/councils/izmir/import",
                       data={"file": (io.BytesIO(GOOD.encode()), "uyeler.csv")}, content_type="multipart/form-data")
    assert real.status_code == 200 and _count(app, council) == 4


def test_statutory_caps_hold_for_imports_and_single_members(app, council, world, api):
    header = "kategori;ad_soyad;temsilci\n"
    rows = "".join(f"kamu kurumu;Kurum {i};Temsilci {i}\n" for i in range(11))
    report, _ = _run(app, council, (header + rows).encode(), dry_run=True)
    assert [(e.field, "(10)" in e.message) for e in report.errors] == [("category", True)]
    report, _ = _run(app, council, (header + "".join(rows.splitlines(True)[:10])).encode(), dry_run=False)
    assert report.ok and report.imported == 10
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    refused = admin.post("/api/v1/councils/izmir/members", json={"category": "public_body", "name": "On Birinci",
                                                                 "representative_name": "Kişi"})
    assert refused.status_code == 409 and "category" in refused.json["errors"]


def test_the_import_refuses_a_second_university_while_one_sends_two_representatives(app, council, world, api):
    """The rule of adding one member holds for a file (it did not: a CSV brought a second university in while the
    first still sent two representatives, which the statute allows only a lone university)."""
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    ege = admin.post("/api/v1/councils/izmir/members", json={"category": "university", "name": "Ege Üniversitesi",
                                                             "representative_name": "Prof. Dr. Nur Ak"}).json["id"]
    from support.clock import days_from_today

    for name in ("Prof. Dr. Nur Ak", "Doç. Dr. Can Su"):
        answer = admin.post(f"/api/v1/councils/izmir/members/{ege}/representatives", json={
            "capacity": "representative", "name": name, "mandate_letter": "2026/1",
            "mandate_expires_on": days_from_today(300).isoformat()})
        assert answer.status_code == 201, answer.json
    csv = "kategori;ad_soyad;temsilci\nuniversity;Dokuz Eylül Üniversitesi;Prof. Dr. Ali Er\n".encode()
    report, _progress = _run(app, council, csv, dry_run=True)
    assert not report.ok and any(e.field == "category" and "Ege" in e.message for e in report.errors)
    before = _count(app, council)
    assert _run(app, council, csv, dry_run=False)[0].imported == 0 and _count(app, council) == before
