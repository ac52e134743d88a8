"""The elders' assembly, the proof that an assembly is one folder on the assembly kit: an age band with no upper
bound, only its members as candidates, its own table of concerns (isolated per council, audited without text),
its page and API; and a council that has not enabled it sees none of it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from test_assemblies import councils  # noqa: F401 - the two councils and their administrators

from support import clock

A, B = "/api/v1/councils/alpha", "/api/v1/councils/beta"
ROOT = Path(__file__).resolve().parent.parent


def _active_assembly(admin, world, council, config=None):
    from conftest import approve_by_general_assembly

    assert admin.post(f"{A}/plugins/elders_assembly", json={"config": config or {}}).status_code == 201
    elders = next(b for b in admin.get(f"{A}/bodies").json if b["name"] == "Yaşlılar Meclisi")
    voters = [str(world.member(council, name=f"Genel Kurul {i}")) for i in range(3)]
    assert approve_by_general_assembly(admin, A, elders["id"], voters).json["status"] == "active"
    return elders


def test_the_elders_assembly_seats_members_from_its_age_and_has_no_upper_bound(app, world, councils):  # noqa: F811
    admin, alpha = councils["a"], councils["alpha"]
    elders = _active_assembly(admin, world, alpha, {"age_min": 65})
    seats = f"{A}/bodies/{elders['id']}/seats"
    today = clock.council_today().isoformat()
    younger = str(world.member(alpha, name="Kemal Orta", birth_date=clock.years_ago(64).isoformat()))
    unknown = str(world.member(alpha, name="Yaşı Bilinmeyen"))
    refused = admin.post(seats, json={"member_id": younger, "role": "principal", "starts_on": today})
    assert refused.status_code == 422 and "65" in str(refused.json["errors"]["member_id"])
    assert admin.post(seats, json={"member_id": unknown, "role": "principal", "starts_on": today}).status_code == 422
    elder = str(world.member(alpha, name="Nuriye Yaşlı", gender="female", birth_date=clock.years_ago(97).isoformat()))
    assert admin.post(seats, json={"member_id": elder, "role": "principal", "starts_on": today}).status_code == 201

    start = (clock.council_today() + timedelta(days=20)).isoformat()
    election = admin.post(f"{A}/elections", json={"electing_body_id": elders["id"], "target_body_id": elders["id"],
                                                  "office": "president", "term_start": start}).json
    outsider = admin.post(f"{A}/elections/{election['id']}/candidates", json={"member_id": younger})
    assert outsider.status_code == 422 and "member_id" in outsider.json["errors"]
    assert admin.post(f"{A}/elections/{election['id']}/candidates", json={"member_id": elder}).status_code == 201


def test_its_president_has_no_board_seat_unless_the_bylaws_list_it(app, world, councils):  # noqa: F811
    from konsey.core.bylaws import ex_officio_default

    with app.app_context():
        assert "elders_assembly" not in ex_officio_default()  # the Regulation names three assemblies, not this one
        assert ex_officio_default() == ["disabled_assembly", "womens_assembly", "youth_assembly"]


def test_concerns_are_recorded_per_council_and_audited_without_their_text(app, world, councils):  # noqa: F811
    admin, other = councils["a"], councils["b"]
    _active_assembly(admin, world, councils["alpha"])
    url = f"{A}/plugins/elders_assembly/concerns"
    short = admin.post(url, json={"theme": "transport", "summary": "Otobüs"})
    assert short.status_code == 422 and "summary" in short.json["errors"]
    unknown = admin.post(url, json={"theme": "weather", "summary": "Duraklarda oturacak yer yok, bekleyen yoruluyor."})
    assert unknown.status_code == 422 and "theme" in unknown.json["errors"]
    made = admin.post(url, json={"theme": "transport", "summary": "Duraklarda oturacak yer yok, bekleyen yoruluyor."})
    assert made.status_code == 201 and made.json["status"] == "open"
    assert made.json["raised_on"] == clock.council_today().isoformat()
    assert [c["id"] for c in admin.get(url).json] == [made.json["id"]]

    # Another council: the plugin is not enabled there, and the concern is not reachable by its id either.
    assert other.get(f"{B}/plugins/elders_assembly/concerns").status_code in (403, 404, 409)
    other.post(f"{B}/plugins/elders_assembly", json={"config": {}})
    assert other.get(f"{B}/plugins/elders_assembly/concerns").json == []
    assert other.post(f"{B}/plugins/elders_assembly/concerns/{made.json['id']}/addressed").status_code == 404

    done = admin.post(f"{url}/{made.json['id']}/addressed")
    assert done.status_code == 200 and done.json["status"] == "addressed"
    assert admin.post(f"{url}/{made.json['id']}/addressed").status_code == 409

    from sqlalchemy import select

    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["alpha"]):
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("elders_assembly.%"))).all()
        assert {e.action for e in entries} == {"elders_assembly.concern_recorded", "elders_assembly.concern_addressed"}
        assert all("Duraklarda" not in str(e.details) for e in entries)  # no free text in the audit chain


def test_its_page_lists_members_candidates_and_concerns_and_keeps_a_refused_concern(app, world, councils):  # noqa: F811
    from conftest import login

    alpha = councils["alpha"]
    _active_assembly(councils["a"], world, alpha)
    world.member(alpha, name="Hayri Yaşlı", birth_date=clock.years_ago(70).isoformat())
    client = app.test_client()
    login(client, "admin@alpha.example.org")
    page = client.get("/alpha/p/elders_assembly/")
    shown = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hayri Yaşlı" in shown and 'name="summary"' in shown
    refused = client.post("/alpha/p/elders_assembly/concerns", data={"theme": "health", "summary": "kısa"})
    assert refused.status_code == 302
    again = client.get("/alpha/p/elders_assembly/").get_data(as_text=True)
    assert ">kısa</textarea>" in again  # what was typed is kept for the form it was refused on
    client.post("/alpha/p/elders_assembly/concerns",
                data={"theme": "health", "summary": "Aile sağlığı merkezine ulaşım zor, randevu uzun sürüyor."})
    assert "Aile sağlığı merkezine" in client.get("/alpha/p/elders_assembly/").get_data(as_text=True)


def test_the_elders_assembly_is_one_folder():
    """Nothing outside plugins/elders_assembly names it but one line of pyproject.toml; it imports the platform
    only through konsey.pluginkit; its migrations are in its folder."""
    folder = ROOT / "plugins" / "elders_assembly"
    naming = []
    for path in [*(ROOT / "platform").rglob("*.py"), *(ROOT / "platform").rglob("*.html"),
                 *(ROOT / "worker").rglob("*.py"), ROOT / "pyproject.toml"]:
        if "elders_assembly" in path.read_text(encoding="utf-8"):
            naming.append(path.relative_to(ROOT).as_posix())
    assert naming == ["pyproject.toml"]
    lines = [line for line in (ROOT / "pyproject.toml").read_text().splitlines() if "elders_assembly" in line]
    assert len(lines) == 1
    imports = [line.strip() for path in folder.rglob("*.py") for line in path.read_text().splitlines()
               if line.strip().startswith(("from konsey", "import konsey"))]
    assert imports and all(line.startswith(("from konsey.pluginkit", "from konsey.plugins.elders_assembly"))
                           for line in imports), imports
    assert list((folder / "migrations").glob("ea0001_*.py"))
