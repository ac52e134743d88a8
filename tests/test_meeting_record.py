"""A closed general assembly's record: the minutes drawn up for the presiding board, approved by each of its
members from their phone with their badge's code, frozen, and the meeting's signed archive — checked by the API,
by ``konsey package verify`` and by the council's public verification page; a correction is a new version."""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile

import pytest
from sqlalchemy import select
from test_assembly_procedure import _close_with
from test_one_vote import FETCH, assembly  # noqa: F401 - the general assembly sitting, with phones

BASE = "/api/v1/councils/izmir"


def _codes(setup) -> dict[str, str]:
    """Each member's badge code for the meeting."""
    from konsey.core.passes import MeetingPass
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with setup["app"].app_context(), bound_council(setup["council"]):
        return {str(p.member_id): p.code for p in db.session.scalars(
            select(MeetingPass).where(MeetingPass.meeting_id == uuid.UUID(str(setup["meeting_id"]))))}


def _held_and_closed(setup) -> list[str]:
    """The board elected (three in the hall, one online), a secret and an open vote on the item, the meeting
    closed; the board's member ids in order."""
    admin, url, hall, online = setup["admin"], setup["url"], setup["hall"], setup["online"]
    board = [hall[0], hall[1], hall[2], online[0]]
    slate = admin.post(f"{url}/presiding-board", json={"chair": board[0], "vice_chairs": [board[1]],
                                                        "clerks": [board[2], board[3]]})
    assert _close_with(setup, slate.json["id"])["outcome"] == "adopted"
    for kind in ("secret", "open"):
        vote = admin.post(f"{url}/votes", json={"agenda_item_id": setup["item"], "kind": kind}).json
        _close_with(setup, vote["id"])
    motion = admin.post(f"{url}/floor-motions", json={"member_id": hall[4], "kind": "procedure",
                                                       "text": "Oturuma ara verilsin."}).json
    admin.post(f"{url}/floor-motions/{motion['id']}/refusal", json={"reason": "Gündem kısa."})
    return board


def _approve(setup, member_id, code, number=1):
    client, page = setup["phones"][member_id]
    return client.post(f"{page}/minutes/{number}/approve", data={"code": code}, headers=FETCH)


def _frozen(setup) -> tuple[dict, bytes]:
    """The assembly held and closed, its minutes drawn up and approved by the whole board: (the version, the
    archive)."""
    admin, url = setup["admin"], setup["url"]
    board = _held_and_closed(setup)
    admin.post(f"{url}/close")
    version = admin.post(f"{url}/minutes-versions", json={}).json["versions"][0]
    codes = _codes(setup)
    for member_id in board:
        _approve(setup, member_id, codes[member_id])
    return version, admin.get(f"{url}/archive.zip").data


def _pdf_pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_board_approves_the_minutes_and_the_archive_is_sealed(assembly, app):  # noqa: F811
    from konsey.core.signed_packages import problems_of

    admin, url = assembly["admin"], assembly["url"]
    early = admin.post(f"{url}/minutes-versions", json={})
    assert early.status_code == 409  # not while the meeting sits
    board = _held_and_closed(assembly)
    assert admin.post(f"{url}/minutes-versions", json={"reason": "Yanlış"}).status_code == 409  # still sitting
    assert admin.post(f"{url}/close").status_code == 200
    assert admin.post(f"{url}/minutes-versions", json={"reason": "İlk sürüme gerekçe olmaz"}).status_code == 422
    drawn = admin.post(f"{url}/minutes-versions", json={})
    assert drawn.status_code == 201, drawn.json
    version = drawn.json["versions"][0]
    assert version["number"] == 1 and version["frozen_at"] is None and version["approved_by"] == []
    assert [w["member_id"] for w in version["waiting_for"]] == board
    assert admin.post(f"{url}/minutes-versions", json={}).status_code == 409  # one version awaits approval

    # The fingerprint is the text's, and every page carries it with the version.
    pdf = admin.get(f"{url}/minutes-versions/1.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # A name and metadata that say what it is: the body, the day, the version; Turkish, by the council.
    from pypdf import PdfReader

    assert re.search(r'filename="?tutanak-genel-kurul-\d{4}-\d{2}-\d{2}-surum-1\.pdf', pdf.headers["Content-Disposition"])
    reader = PdfReader(io.BytesIO(pdf.data))
    assert reader.metadata.title.startswith("Genel Kurul") and "Izmir" in reader.metadata.author
    assert reader.trailer["/Root"]["/Lang"] == "tr"
    short = "-".join(version["fingerprint"][i:i + 4].upper() for i in range(0, 16, 4))
    pages = _pdf_pages(pdf.data)
    # In the council's language whatever the desk's (the fingerprint is of one text for every reader).
    assert pages and all(short in page and "tutanak, 1. sürüm" in page for page in pages)
    read = " ".join(pages)  # how many were present as the votes opened (one number when it never changed)
    assert "şu an hazır" not in read and ("oylamalar açılırken hazır bulunan" in read or "her oylamada" in read)
    assert not re.search(r"(\d+) ile \1 arası", read)  # never "from 12 to 12"
    assert all(re.search(rf"sayfa {n}/{len(pages)}", page) for n, page in enumerate(pages, start=1))

    # The phones of the board offer the approval; nobody else's does.
    codes = _codes(assembly)
    client, page = assembly["phones"][board[3]]
    shown = client.get(page)
    assert b'data-testid="approve-minutes"' in shown.data and short.encode() in shown.data
    other_client, other_page = assembly["phones"][assembly["online"][1]]
    assert b'data-testid="approve-minutes"' not in other_client.get(other_page).data
    assert other_client.get(f"{other_page}/minutes/1.pdf").status_code == 404
    assert client.get(f"{page}/minutes/1.pdf").data == pdf.data

    outsider = _approve(assembly, assembly["online"][1], codes[assembly["online"][1]])
    assert outsider.status_code == 422
    wrong = _approve(assembly, board[0], codes[board[1]])  # another's code
    assert wrong.status_code == 422 and "yaka kartınızdaki kod" in wrong.json["message"]  # the council speaks Turkish
    assert admin.get(f"{url}/minutes-versions").json["versions"][0]["approved_by"] == []
    for member_id in board[:3]:
        answer = _approve(assembly, member_id, codes[member_id].lower())  # typed as it comes
        assert answer.status_code == 200 and "kesinleşti" not in answer.json["message"]
    assert _approve(assembly, board[0], codes[board[0]]).status_code == 409  # once
    assert admin.get(f"{url}/archive.zip").status_code == 404  # sealed with the last approval
    last = _approve(assembly, board[3], codes[board[3]])
    assert last.status_code == 200 and "kesinleşti" in last.json["message"]
    record = admin.get(f"{url}/minutes-versions").json
    assert record["versions"][0]["frozen_at"] and record["versions"][0]["waiting_for"] == []
    assert record["archive"] and record["can_draw_up"] is True  # a correction may follow
    assert _approve(assembly, board[0], codes[board[0]]).status_code == 409  # frozen

    # The archive: intact, the council's, and what it holds.
    archive = admin.get(f"{url}/archive.zip")
    assert archive.status_code == 200 and archive.mimetype == "application/zip"
    key = admin.get(f"{BASE}/signing-key").json["public_key"]
    assert problems_of(archive.data, key) == []
    with zipfile.ZipFile(io.BytesIO(archive.data)) as package:
        manifest = json.loads(package.read("manifest.json"))
        assert manifest["format"] == "konsey-meeting-archive/1"
        assert package.read("tutanak.pdf") == pdf.data
        assert manifest["minutes"]["fingerprint"] == version["fingerprint"]
        assert len(manifest["minutes"]["approved_by"]) == 4 and manifest["presiding_board"][0]["role"] == "chair"
        assert {f["name"] for f in manifest["files"]} == {
            "tutanak.pdf", "hazirun-cetveli.pdf", "oylamalar.json", "onergeler.json", "konusmacilar.json",
            "denetim-kaydi.json"}
        votes = json.loads(package.read("oylamalar.json"))
        secret = next(v for v in votes if v["kind"] == "secret")
        open_vote = next(v for v in votes if v["kind"] == "open" and v["purpose"] == "decision")
        assert secret["ledger"] and all("choice" not in entry for entry in secret["ledger"])  # who, never what
        assert {e["channel"] for e in secret["ledger"]} == {"phone"}
        assert all(entry["choice"] == "yes" for entry in open_vote["ledger"])
        assert open_vote["hall_counts"] == {"yes": 5, "no": 1, "abstain": 0}
        motions = json.loads(package.read("onergeler.json"))
        assert [(m["number"], m["status"], m["refusal_reason"]) for m in motions] == [(1, "refused", "Gündem kısa.")]
        actions = [entry["action"] for entry in json.loads(package.read("denetim-kaydi.json"))]
        assert actions.count("minutes.approved") == 4 and "minutes.drawn_up" in actions

    # Changed, it is refused: by the check, and by the command line.
    tampered = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(archive.data)) as source, zipfile.ZipFile(tampered, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data.replace(b'"yes"', b'"no"') if name == "oylamalar.json" else data)
    assert problems_of(tampered.getvalue(), key) == ["oylamalar.json was changed"]
    runner = app.test_cli_runner()
    outputs = {}
    for content, status in ((archive.data, 0), (tampered.getvalue(), 1)):
        path = f"{assembly['app'].instance_path}/archive-{status}.zip"
        with open(path, "wb") as file:
            file.write(content)
        result = runner.invoke(args=["package", "verify", path, "--public-key", key])
        assert result.exit_code == status, result.output
        outputs[status] = result.output
    assert "intact and signed by" in outputs[0] and "minutes version 1" in outputs[0]
    assert "oylamalar.json was changed" in outputs[1]

    # A correction: a new version, saying why, approved again; the first stays as it was.
    assert admin.post(f"{url}/minutes-versions", json={}).status_code == 422  # a correction says what it corrects
    corrected = admin.post(f"{url}/minutes-versions", json={"reason": "Katılım saati düzeltildi."})
    assert corrected.status_code == 201
    second = corrected.json["versions"][1]
    assert second["number"] == 2 and second["corrects_version"] == 1 and second["frozen_at"] is None
    assert admin.get(f"{url}/minutes-versions/1.pdf").data == pdf.data
    for member_id in board:
        _approve(assembly, member_id, codes[member_id], number=2)
    after = admin.get(f"{url}/minutes-versions").json
    assert after["versions"][1]["frozen_at"]
    with zipfile.ZipFile(io.BytesIO(admin.get(f"{url}/archive.zip").data)) as package:
        minutes = json.loads(package.read("manifest.json"))["minutes"]
        assert minutes["version"] == 2 and minutes["corrects_version"] == 1


def test_the_audit_chain_keeps_the_approvals_without_free_text(assembly, app):  # noqa: F811
    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url = assembly["admin"], assembly["url"]
    board = _held_and_closed(assembly)
    admin.post(f"{url}/close")
    admin.post(f"{url}/minutes-versions", json={})
    codes = _codes(assembly)
    for member_id in board:
        _approve(assembly, member_id, codes[member_id])
    admin.post(f"{url}/minutes-versions", json={"reason": "Gizli düzeltme gerekçesi"})
    with assembly["app"].app_context(), bound_council(assembly["council"]):
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("minutes.%"))).all()
        actions = [e.action for e in entries]
        assert actions.count("minutes.approved") == 4 and actions.count("minutes.frozen") == 1
        assert actions.count("minutes.drawn_up") == 2
        assert all("Gizli" not in json.dumps(e.details, ensure_ascii=False) for e in entries)
    result = app.test_cli_runner().invoke(args=["audit", "verify", "izmir"])
    assert result.exit_code == 0, result.output


def test_the_public_page_checks_an_archive_and_a_fingerprint(assembly, app):  # noqa: F811
    version, archive = _frozen(assembly)
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = visitor.get("/izmir/verify")
    assert page.status_code == 200 and b'data-testid="public-key"' in page.data
    token = re.search(rb'name="csrf_token" value="([^"]+)"', page.data)
    csrf = {"csrf_token": token.group(1).decode()} if token else {}

    intact = visitor.post("/izmir/verify", data={**csrf, "archive": (io.BytesIO(archive), "arsiv.zip")},
                          content_type="multipart/form-data")
    assert intact.status_code == 200 and b'data-testid="intact"' in intact.data and b"Genel Kurul" in intact.data
    broken = archive.replace(b"tutanak.pdf", b"tutanak.pdX", 1)  # a zip whose first entry was renamed
    refused = visitor.post("/izmir/verify", data={**csrf, "archive": (io.BytesIO(broken), "arsiv.zip")},
                           content_type="multipart/form-data")
    assert refused.status_code == 200 and b'data-testid="not-intact"' in refused.data
    junk = visitor.post("/izmir/verify", data={**csrf, "archive": (io.BytesIO(b"not a zip"), "x.zip")},
                        content_type="multipart/form-data")
    assert b'data-testid="not-intact"' in junk.data and "zip arşivi değil".encode() in junk.data

    short = "-".join(version["fingerprint"][i:i + 4] for i in range(0, 16, 4))
    found = visitor.post("/izmir/verify", data={**csrf, "fingerprint": short.upper()})
    assert found.status_code == 200 and b'data-testid="version-found"' in found.data
    assert "kesinleşti".encode() in found.data
    unknown = visitor.post("/izmir/verify", data={**csrf, "fingerprint": "0000-0000-0000-0000"})
    assert unknown.status_code == 422 and b'id="fingerprint-error"' in unknown.data
    assert b'value="0000-0000-0000-0000"' in unknown.data  # the input is kept
    empty = visitor.post("/izmir/verify", data={**csrf, "fingerprint": ""})
    assert empty.status_code == 422 and b'aria-invalid="true"' in empty.data


@pytest.mark.parametrize("path", ["minutes-versions", "minutes-versions/1.pdf", "archive.zip"])
def test_another_council_reaches_none_of_it(assembly, world, api, app, path):  # noqa: F811
    url = assembly["url"]
    version, archive = _frozen(assembly)
    other = world.council("bursa")
    stranger = api(world.token(world.user("gs@bursa.example.org", roles={other: "administrator"}), other))
    foreign = f"/api/v1/councils/bursa/meetings/{assembly['meeting_id']}/{path}"
    assert stranger.get(foreign).status_code == 404
    assert stranger.post(f"/api/v1/councils/bursa/meetings/{assembly['meeting_id']}/minutes-versions",
                         json={}).status_code == 404
    assert stranger.get(f"{url}/{path}").status_code in (403, 404)
    # Bursa's verification page knows nothing of İzmir's minutes, and İzmir's archive is not signed by Bursa.
    visitor = app.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert visitor.post("/bursa/verify", data={"fingerprint": version["fingerprint"]}).status_code == 422
    checked = visitor.post("/bursa/verify", data={"archive": (io.BytesIO(archive), "a.zip")},
                           content_type="multipart/form-data")
    assert checked.status_code == 422 or b'data-testid="not-intact"' in checked.data


def test_the_board_runs_its_meeting_from_its_phones_and_only_its_meeting(assembly, world, api, app):  # noqa: F811
    """A member of the elected board takes up an item, opens a vote, enters the hall's counts, closes it, reads a
    floor motion and refuses another — from their phone, not being staff; nobody else's phone can, and the role
    ends with the meeting."""
    admin, url, hall, online = assembly["admin"], assembly["url"], assembly["hall"], assembly["online"]
    board_ids = [hall[0], hall[1], hall[2], online[0]]
    outsider_client, outsider_page = assembly["phones"][online[1]]
    assert outsider_client.get(f"{outsider_page}/board").status_code == 404  # no board yet, and not on one
    slate = admin.post(f"{url}/presiding-board", json={"chair": board_ids[0], "vice_chairs": [board_ids[1]],
                                                        "clerks": [board_ids[2], board_ids[3]]})
    _close_with(assembly, slate.json["id"])
    clerk, page = assembly["phones"][online[0]]
    assert b'data-testid="board-desk-link"' in clerk.get(page).data
    assert b'data-testid="board-desk-link"' not in outsider_client.get(outsider_page).data
    desk = clerk.get(f"{page}/board")
    assert desk.status_code == 200 and b'data-testid="board-desk"' in desk.data
    assert outsider_client.get(f"{outsider_page}/board").status_code == 404
    assert outsider_client.post(f"{outsider_page}/board/votes", data={"agenda_item_id": assembly["item"]},
                                headers=FETCH).status_code == 404

    taken = clerk.post(f"{page}/board/take-up", data={"agenda_item_id": assembly["item"]}, headers=FETCH)
    assert taken.status_code == 200, taken.json
    assert admin.get(f"{url}/live").json["item"]["title"] == "Seçim"  # the item taken up, on every screen
    opened = clerk.post(f"{page}/board/votes", data={"agenda_item_id": assembly["item"], "kind": "open"},
                        headers=FETCH)
    assert opened.status_code == 200, opened.json
    vote_id = next(v["id"] for v in admin.get(f"{url}/votes").json if not v["closed_at"])
    for member_id in online:
        client, member_page = assembly["phones"][member_id]
        client.post(f"{member_page}/votes/{vote_id}", data={"choice": "no"}, headers=FETCH)
    bad = clerk.post(f"{page}/board/votes/{vote_id}/counts", data={"yes": "-1", "no": "0"}, headers=FETCH)
    assert bad.status_code == 422  # refused and nothing recorded
    too_many = clerk.post(f"{page}/board/votes/{vote_id}/counts", data={"yes": "50", "no": "0"}, headers=FETCH)
    assert too_many.status_code in (409, 422)
    counted = clerk.post(f"{page}/board/votes/{vote_id}/counts", data={"yes": "6", "no": "0", "abstain": "0"},
                         headers=FETCH)
    assert counted.status_code == 200, counted.json
    closed = clerk.post(f"{page}/board/votes/{vote_id}/close", data={}, headers=FETCH)
    assert closed.status_code == 200, closed.json
    shown = next(v for v in admin.get(f"{url}/votes").json if v["id"] == vote_id)
    assert shown["closed_at"] and (shown["yes"], shown["no"]) == (6, 4) and shown["outcome"] == "adopted"

    # A floor motion from another phone: the board reads it out; a second one the board refuses with a reason.
    proposer, proposer_page = assembly["phones"][online[2]]
    for text in ("Ara verilsin.", "Oturum yarına ertelensin."):
        proposer.post(f"{proposer_page}/floor-motions", data={"kind": "procedure", "text": text}, headers=FETCH)
    first, second = admin.get(f"{url}/floor-motions").json
    assert clerk.post(f"{page}/board/floor-motions/{first['id']}/read", headers=FETCH).status_code == 200
    assert admin.get(f"{url}/live").json["floor_motion"]["number"] == 1
    voted = clerk.post(f"{page}/board/floor-motions/{first['id']}/vote", data={}, headers=FETCH)
    assert voted.status_code == 200
    no_reason = clerk.post(f"{page}/board/floor-motions/{second['id']}/refusal", data={"reason": ""}, headers=FETCH)
    assert no_reason.status_code == 422
    refused = clerk.post(f"{page}/board/floor-motions/{second['id']}/refusal", data={"reason": "Gündem bitmedi."},
                         headers=FETCH)
    assert refused.status_code == 200
    assert [m["status"] for m in admin.get(f"{url}/floor-motions").json] == ["voting", "refused"]

    # Only this meeting: another meeting of the council is out of the board's reach, even by its id.
    from datetime import UTC, datetime, timedelta

    from konsey.core.meetings import Meeting
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from konsey.usecases import meetings as meeting_cases
    from konsey.usecases.base import Actor, acting_as

    later = (datetime.now(UTC) + timedelta(days=60)).isoformat()  # the clock the suite runs at, whatever it is
    other = admin.post(f"{BASE}/meetings", json={"body_id": admin.get(url).json["body_id"], "title": "Başka",
                                                 "scheduled_at": later, "agenda": ["Bir"]})
    assert other.status_code == 201
    with app.test_request_context(), bound_council(assembly["council"]), \
            acting_as(Actor(board_of=uuid.UUID(str(assembly["meeting_id"])))):
        with pytest.raises(Exception) as refused_elsewhere:
            meeting_cases.close_meeting(uuid.UUID(other.json["id"]))
        assert type(refused_elsewhere.value).__name__ == "NotFound"
        assert db.session.get(Meeting, uuid.UUID(other.json["id"])).status.value != "closed"
        from konsey.usecases import members as member_cases

        with pytest.raises(Exception) as no_members:
            member_cases.list_members()
        assert type(no_members.value).__name__ == "Forbidden"

    # The role ends with the meeting.
    admin.post(f"{url}/votes/{admin.get(f'{url}/votes').json[-1]['id']}/close", json={"confirm": True})
    assert admin.post(f"{url}/close").status_code == 200
    after = clerk.post(f"{page}/board/votes", data={"agenda_item_id": assembly["item"]}, headers=FETCH)
    assert after.status_code == 409
    assert b'data-testid="board-desk-link"' not in clerk.get(page).data


def test_a_crafted_or_huge_archive_is_refused_without_a_server_error(assembly, app):  # noqa: F811
    """The public check reads nothing of a package its council did not sign, refuses a zip that would unpack to
    more than a package can hold, and answers a damaged or strange one with a sentence, never a 500."""
    from konsey.core.signed_packages import MAX_UNPACKED, problems_of, read_manifest

    def zipped(entries: dict, method=zipfile.ZIP_DEFLATED) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=method) as archive:
            for name, content in entries.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    key = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
    crafted = [
        zipped({"manifest.json": b'{"files": [1]}', "manifest.sig": b"x"}),
        zipped({"manifest.json": b'{"files": [{"name": ["a"]}]}', "manifest.sig": b"x"}),
        zipped({"manifest.json": b'["a list"]', "manifest.sig": b"x"}),
        zipped({"manifest.json": b"\xff\xfe", "manifest.sig": b"\xff"}),
        zipped({"manifest.json": b"{}", "manifest.sig": b"x", "bomb.bin": b"\0" * (MAX_UNPACKED + 1)}),
        b"PK\x03\x04" + b"\0" * 200,
    ]
    damaged = bytearray(zipped({"manifest.json": b'{"files": []}' * 100, "manifest.sig": b"x"}))
    damaged[60:80] = b"\x13" * 20  # deflate data that cannot be inflated
    crafted.append(bytes(damaged))
    for content in crafted:
        problems = problems_of(content, key)
        assert problems and all(isinstance(p, str) for p in problems)
        assert read_manifest(content) is None or isinstance(read_manifest(content), dict)
    assert problems_of(crafted[4], key) == ["the file is larger than a package can be"]  # (English outside a request)
    visitor = app.test_client()
    _frozen(assembly)  # the council has signed an archive: the page checks what it is sent
    for content in crafted:
        answer = visitor.post("/izmir/verify", data={"archive": (io.BytesIO(content), "x.zip")},
                              content_type="multipart/form-data")
        assert answer.status_code in (200, 422) and b'data-testid="not-intact"' in answer.data


def test_the_desk_withdraws_a_stuck_version_and_records_an_approval_with_the_badge(assembly):  # noqa: F811
    """A board member without their phone approves at the desk with their badge's code; a version that cannot be
    approved in full is withdrawn and drawn up again (its number reused, its fingerprint its own); a correction's
    reason and the version number are in the fingerprinted text."""
    admin, url = assembly["admin"], assembly["url"]
    board = _held_and_closed(assembly)
    admin.post(f"{url}/close")
    first = admin.post(f"{url}/minutes-versions", json={}).json["versions"][0]
    codes = _codes(assembly)
    _approve(assembly, board[0], codes[board[0]])
    wrong = admin.post(f"{url}/minutes-versions/1/approvals", json={"member_id": board[1], "code": codes[board[2]]})
    assert wrong.status_code == 422 and "code" in wrong.json["errors"]
    outsider = admin.post(f"{url}/minutes-versions/1/approvals",
                          json={"member_id": assembly["hall"][5], "code": codes[assembly["hall"][5]]})
    assert outsider.status_code == 422
    at_desk = admin.post(f"{url}/minutes-versions/1/approvals", json={"member_id": board[1], "code": codes[board[1]]})
    assert at_desk.status_code == 200 and len(at_desk.json["versions"][0]["approved_by"]) == 2
    withdrawn = admin.post(f"{url}/minutes-versions/1/withdrawal")
    assert withdrawn.status_code == 200 and withdrawn.json["versions"] == [] and withdrawn.json["can_draw_up"]
    again = admin.post(f"{url}/minutes-versions", json={}).json["versions"][0]
    assert again["number"] == 1 and again["approved_by"] == []
    assert again["fingerprint"] == first["fingerprint"]  # the same record, the same text: the same fingerprint
    for member_id in board:
        _approve(assembly, member_id, codes[member_id])
    assert admin.post(f"{url}/minutes-versions/1/withdrawal").status_code == 409  # frozen stays
    corrected = admin.post(f"{url}/minutes-versions", json={"reason": "Saat düzeltildi."}).json["versions"][1]
    assert corrected["fingerprint"] != first["fingerprint"]  # the version and its reason are in the text
    pages = _pdf_pages(admin.get(f"{url}/minutes-versions/2.pdf").data)
    assert "Saat düzeltildi." in pages[0] and "2" in pages[0]


def test_the_board_closes_a_tie_from_its_phone_and_the_chain_names_who(assembly, app):  # noqa: F811
    from konsey.core.audit import AuditEntry
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    admin, url, hall, online = assembly["admin"], assembly["url"], assembly["hall"], assembly["online"]
    slate = admin.post(f"{url}/presiding-board", json={"chair": hall[0], "vice_chairs": [hall[1]],
                                                        "clerks": [hall[2], online[0]]})
    _close_with(assembly, slate.json["id"])
    clerk, page = assembly["phones"][online[0]]
    clerk.post(f"{page}/board/votes", data={"agenda_item_id": assembly["item"], "kind": "open"}, headers=FETCH)
    vote_id = next(v["id"] for v in admin.get(f"{url}/votes").json if not v["closed_at"])
    for member_id in online:
        member_client, member_page = assembly["phones"][member_id]
        member_client.post(f"{member_page}/votes/{vote_id}", data={"choice": "yes"}, headers=FETCH)
    clerk.post(f"{page}/board/votes/{vote_id}/counts", data={"yes": "1", "no": "5", "abstain": "0"}, headers=FETCH)
    tied = clerk.post(f"{page}/board/votes/{vote_id}/close", data={}, headers=FETCH)
    assert tied.status_code == 422  # five each: the chair's vote decides
    decided = clerk.post(f"{page}/board/votes/{vote_id}/close", data={"chair_vote": "yes"}, headers=FETCH)
    assert decided.status_code == 200, decided.json
    with app.app_context(), bound_council(assembly["council"]):
        closed = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "vote.closed",
                                                            AuditEntry.subject_id == vote_id))
        assert closed.details["by_member"] == online[0]
