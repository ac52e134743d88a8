"""A general assembly's procedure through the API and the phones: the presiding board elected by the hall and the
phones together, floor motions handed in (from a phone and at the desk), signed, read, voted or refused with a
reason, the agenda adopted once the motions to change it are decided, and the minutes that keep it all."""

from __future__ import annotations

import io

from test_one_vote import FETCH, assembly  # noqa: F401 - the general assembly sitting, with phones

BASE = "/api/v1/councils/izmir"


def _close_with(setup, vote_id, hall=None):
    """Every phone votes yes, the hall's counts go in, the desk closes: the closed vote."""
    admin, url = setup["admin"], setup["url"]
    for member_id in setup["online"]:
        client, page = setup["phones"][member_id]
        assert client.post(f"{page}/votes/{vote_id}", data={"choice": "yes"}, headers=FETCH).status_code == 200
    counts = hall or {"yes": 5, "no": 1, "abstain": 0}
    assert admin.put(f"{url}/votes/{vote_id}/counts", json=counts).status_code == 200
    closed = admin.post(f"{url}/votes/{vote_id}/close", json={"confirm": True})
    assert closed.status_code == 200, closed.json
    return closed.json


def _minutes(setup) -> str:
    from pypdf import PdfReader

    pdf = setup["admin"].get(f"{setup['url']}/minutes.pdf").data
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_opening_the_floor_motions_and_the_agenda(assembly):  # noqa: F811
    admin, url, hall, online = assembly["admin"], assembly["url"], assembly["hall"], assembly["online"]
    assert admin.get(f"{url}/presiding-board").json == []
    short = admin.post(f"{url}/presiding-board", json={"chair": hall[0], "vice_chairs": [hall[1]], "clerks": [hall[2]]})
    assert short.status_code == 422 and "clerks" in short.json["errors"]  # the by-laws ask for two
    absent = admin.post(f"{url}/presiding-board", json={"chair": assembly["away"][0], "vice_chairs": [hall[1]],
                                                        "clerks": [hall[2], hall[3]]})
    assert absent.status_code == 422 and "chair" in absent.json["errors"]
    slate = {"chair": hall[0], "vice_chairs": [hall[1]], "clerks": [hall[2], online[0]]}
    vote = admin.post(f"{url}/presiding-board", json=slate)
    assert vote.status_code == 201 and vote.json["purpose"] == "presiding_board"
    on_screens = admin.get(f"{url}/live").json["vote"]["item"]  # the screens (in the council's Turkish) name it
    assert on_screens.startswith("Divan:") and "Salondaki 0 (başkan)" in on_screens
    assert admin.post(f"{url}/presiding-board", json=slate).status_code == 409  # one slate at a time
    closed = _close_with(assembly, vote.json["id"])
    assert closed["outcome"] == "adopted" and closed["decision_number"] is None  # a step, not a decision
    board = admin.get(f"{url}/presiding-board").json
    assert [(b["member_id"], b["role"]) for b in board] == [(hall[0], "chair"), (hall[1], "vice_chair"),
                                                             (hall[2], "clerk"), (online[0], "clerk")]
    assert admin.post(f"{url}/presiding-board", json=slate).status_code == 409  # elected already

    # A floor motion from a phone (to change the agenda), one at the desk (on procedure).
    client, page = assembly["phones"][online[1]]
    handed = client.post(f"{page}/floor-motions", data={"kind": "agenda", "text": "Gündeme kentsel dönüşüm "
                                                                                  "maddesi eklensin."}, headers=FETCH)
    assert handed.status_code == 200 and "1" in handed.json["message"]
    bad = client.post(f"{page}/floor-motions", data={"kind": "procedure", "text": ""}, headers=FETCH)
    assert bad.status_code == 422  # no text, no motion
    desk = admin.post(f"{url}/floor-motions", json={"member_id": hall[4], "kind": "procedure",
                                                     "text": "Konuşma süreleri üç dakika olsun."})
    assert desk.status_code == 201 and desk.json["number"] == 2 and desk.json["channel"] == "desk"
    away = admin.post(f"{url}/floor-motions", json={"member_id": assembly["away"][1], "kind": "procedure",
                                                     "text": "Gelmeyenin önergesi."})
    assert away.status_code == 422 and "member_id" in away.json["errors"]
    motions = admin.get(f"{url}/floor-motions").json
    assert [(m["number"], m["kind"], m["status"], m["channel"]) for m in motions] == [
        (1, "agenda", "handed_in", "phone"), (2, "procedure", "handed_in", "desk")]
    first, second = motions[0]["id"], motions[1]["id"]

    # The agenda waits for the motion that would change it.
    waiting = admin.post(f"{url}/agenda/adoption")
    assert waiting.status_code == 409 and "1" in waiting.json["errors"]["meeting"][0]
    assert admin.post(f"{url}/floor-motions/{first}/vote", json={}).status_code == 409  # read it first
    assert admin.post(f"{url}/floor-motions/{first}/reading").json["status"] == "read"
    live = admin.get(f"{url}/live").json
    assert live["floor_motion"]["number"] == 1 and "kentsel dönüşüm" in live["floor_motion"]["text"]
    on_first = admin.post(f"{url}/floor-motions/{first}/vote", json={})
    assert on_first.status_code == 201 and on_first.json["purpose"] == "floor_motion"
    subject = admin.get(f"{url}/live").json["vote"]["item"]  # a vote on the motion, not on an item
    assert subject.startswith("1 numaralı önerge") and "kentsel dönüşüm" in subject
    assert _close_with(assembly, on_first.json["id"])["decision_number"] is None
    refused = admin.post(f"{url}/floor-motions/{second}/refusal", json={"reason": "Süreler yönetmelikte belirli."})
    assert refused.json["status"] == "refused"
    assert admin.post(f"{url}/floor-motions/{second}/refusal", json={"reason": "Yine"}).status_code == 409
    assert admin.post(f"{url}/floor-motions/{second}/refusal", json={"reason": ""}).status_code in (409, 422)
    assert [m["status"] for m in admin.get(f"{url}/floor-motions").json] == ["adopted", "refused"]

    agenda = admin.post(f"{url}/agenda/adoption")
    assert agenda.status_code == 201
    _close_with(assembly, agenda.json["id"])
    assert admin.get(url).json["agenda_adopted_at"]
    assert admin.post(f"{url}/agenda/adoption").status_code == 409

    text = _minutes(assembly)
    assert "Presiding board" in text and "Salondaki 0 (chair)" in text and "Çevrim İçi 0 (clerk)" in text
    assert "Floor motions" in text and "No. 1" in text and "adopted" in text.lower()
    assert "The presiding board: Salondaki 0 (chair)" in text and "Floor motion no. 1 (To change the agenda)" in text
    assert "Signatures: 1" in text
    assert "No. 2" in text and "Süreler yönetmelikte belirli." in text


def test_a_floor_motion_needs_the_signatures_the_bylaws_ask_for(assembly, world, api):  # noqa: F811
    admin, url, online = assembly["admin"], assembly["url"], assembly["online"]
    from konsey.core.bylaws import ByLawProfile
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council
    from support.clock import council_today

    with assembly["app"].app_context(), bound_council(assembly["council"]):  # the by-laws of the day ask for two
        profile = db.session.scalar(db.select(ByLawProfile).where(ByLawProfile.effective_from <= council_today()))
        profile.parameters = {**profile.parameters, "floor_motion_signatures": 2}
        db.session.commit()
    client, page = assembly["phones"][online[0]]
    client.post(f"{page}/floor-motions", data={"kind": "procedure", "text": "Ara verilsin."}, headers=FETCH)
    motion = admin.get(f"{url}/floor-motions").json[0]
    refused = admin.post(f"{url}/floor-motions/{motion['id']}/reading")
    assert refused.status_code == 409 and "2" in refused.json["errors"]["floor_motion"][0]
    own = client.post(f"{page}/floor-motions/{motion['id']}/sign", headers=FETCH)
    assert own.status_code == 409  # the proposer signed by handing it in
    other, other_page = assembly["phones"][online[1]]
    assert other.post(f"{other_page}/floor-motions/{motion['id']}/sign", headers=FETCH).status_code == 200
    assert other.post(f"{other_page}/floor-motions/{motion['id']}/sign", headers=FETCH).status_code == 409
    assert admin.post(f"{url}/floor-motions/{motion['id']}/reading").json["signatures"] == 2


def test_another_councils_desk_reaches_no_board_and_no_floor_motion(assembly, world, api):  # noqa: F811
    other = world.council("bornova")
    stranger = api(world.token(world.user("gs@bornova.example.org", roles={other: "administrator"}), other))
    url, hall = assembly["url"], assembly["hall"]
    assembly["admin"].post(f"{url}/floor-motions", json={"member_id": hall[0], "kind": "procedure",
                                                          "text": "Bir önerge."})
    motion = assembly["admin"].get(f"{url}/floor-motions").json[0]["id"]
    for method, path, body in (("get", "/presiding-board", None), ("get", "/floor-motions", None),
                               ("post", "/presiding-board", {"chair": hall[0]}),
                               ("post", f"/floor-motions/{motion}/reading", None),
                               ("post", f"/floor-motions/{motion}/refusal", {"reason": "Hayır olsun."})):
        for base in (url, url.replace("/councils/izmir/", "/councils/bornova/")):
            answer = getattr(stranger, method)(base + path, **({"json": body} if body else {}))
            assert answer.status_code in (403, 404), (base + path, answer.status_code)
    assert assembly["admin"].get(f"{url}/floor-motions").json[0]["status"] == "handed_in"


def test_the_desk_hears_of_a_floor_motion_from_a_phone_at_once(assembly):  # noqa: F811
    """The live state counts the floor motions waiting for the board (the desk shows it without a reload)."""
    admin, url, online = assembly["admin"], assembly["url"], assembly["online"]
    assert "Divanı bekleyen önerge yok" in admin.get(f"{url}/live").json["texts"]["floor_motions"]
    client, page = assembly["phones"][online[0]]
    client.post(f"{page}/floor-motions", data={"kind": "procedure", "text": "Ara verilsin."}, headers=FETCH)
    assert admin.get(f"{url}/live").json["texts"]["floor_motions"].startswith("1 önerge divanı bekliyor")
    motion = admin.get(f"{url}/floor-motions").json[0]["id"]
    admin.post(f"{url}/floor-motions/{motion}/refusal", json={"reason": "Az önce ara verildi."})
    assert "Divanı bekleyen önerge yok" in admin.get(f"{url}/live").json["texts"]["floor_motions"]
