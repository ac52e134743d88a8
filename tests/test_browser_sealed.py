"""A sealed vote in real browsers: three keyholders' phones make the key, five phones vote sealed (one twice), two
keyholders sign the hall's two paper ballots, the desk closes, the keyholders' phones open the count, and the
published record checks with opencount — and fails once a ballot, a proof or a partial decryption is altered.
The browser's arithmetic matches the shared test vectors first."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from opencount import verify
from test_browser import browser, live_server  # noqa: F401
from test_browser_hybrid import PHONES, ROOM, _board_meeting, _phones_joined, _signed_in_desk

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VECTORS = json.loads((Path(__file__).resolve().parent.parent / "verifier" / "vectors.json").read_text())
KEYHOLDERS = ["Can Er", "Elif Su", "Oya Tan"]

# The same steps as tests/test_opencount.py's vectors, run by the page's own module.
CHECK_VECTORS = """async (v) => {
  const oc = await import('/static/opencount.js');
  const out = [];
  const eq = (name, a, b) => { if (JSON.stringify(a) !== JSON.stringify(b)) out.push(name); };
  for (const c of v.challenges) eq('challenge', String(oc.scalarFromHex(c.scalar)), String(oc.challenge(c.label, ...c.parts)));
  const h = {}; const keys = {}; const deals = {};
  for (const i of [1, 2, 3]) { h[i] = new oc.Keyholder(v.box, i, 2, oc.seededRandom(`holder-${i}`)); keys[i] = oc.pointHex(h[i].transportKey); }
  const st = oc.statementOf(v.box, v.options, 1, 1, 2, [1, 2, 3].map((i) => keys[i]));
  for (const i of [1, 2, 3]) { deals[i] = h[i].dealing(keys, st); eq('dealing ' + i, deals[i], v.keyholders[i].dealing); }
  for (const i of [1, 2, 3]) eq('received ' + i, h[i].receive(deals, st, keys), v.keyholders[i].received);
  eq('key check', oc.keyCheck(st, [1, 2, 3].map((i) => deals[i].commitments)), v.key_check);
  const b = v.ballot; const sealed = oc.seal(v.box, st, v.public_key, b.marks, b.least, b.most, oc.seededRandom(b.seed));
  eq('ballot', sealed, b.sealed); eq('tracker', oc.tracker(sealed), b.tracker);
  eq('fingerprint', oc.fingerprint(st, v.public_key, [sealed], { counts: [2, 0, 1], ballots: 3 }), v.fingerprint);
  const e = v.election_ballot;
  eq('election', oc.seal(v.box, st, v.public_key, e.marks, e.least, e.most, oc.seededRandom(e.seed)), e.sealed);
  eq('decryption', h[2].decrypt(v.decryption.board, v.decryption.sums), v.decryption.shares);
  eq('paper', h[1].signPaper(v.paper.counts, v.paper.ballots), v.paper.signature);
  return out;
}"""


def _check_in_the_room(app, meeting_id):
    from sqlalchemy import select

    from konsey.core import meetings
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.models import Council
    from konsey.tenants.scoping import bound_council

    with app.app_context():
        council = db.session.scalar(select(Council.id).where(Council.slug == "izmir"))
        with bound_council(council):
            for name in ROOM:
                member = db.session.scalar(select(Member).where(Member.name == name))
                meetings.check_in(db.session.get(meetings.Meeting, meeting_id), member, online=False)
            db.session.commit()


def test_a_sealed_vote_in_the_browsers(live_server, browser, sqlite_app):  # noqa: F811
    from conftest import World

    meeting_id, _codes, links = _board_meeting(sqlite_app, World(sqlite_app))
    _check_in_the_room(sqlite_app, meeting_id)
    contexts = []
    try:
        desk_context, desk = _signed_in_desk(browser, live_server)
        contexts.append(desk_context)
        phones = _phones_joined(browser, live_server, links, contexts)
        assert phones["Ali Şen"].evaluate(CHECK_VECTORS, VECTORS) == []  # the browser's arithmetic is Python's

        # The executive board meets without a presiding board: the desk names the chair and two members.
        desk_url = f"{live_server}/izmir/meetings/{meeting_id}"
        desk.goto(desk_url)
        article = desk.locator("article.item").first
        article.get_by_label("Oylama türü").select_option(label="Gizli")
        article.get_by_test_id("open-sealed").check()
        article.locator("select[name=keyholders]").select_option(label=KEYHOLDERS)
        article.get_by_role("button", name="Oylamayı aç").click()
        desk.wait_for_load_state()
        assert desk.get_by_test_id("sealed-box").get_attribute("data-stage") == "keying"

        # Every phone opens the sealed ballot's page; the keyholders' phones make the key by themselves.
        for name in PHONES:
            phones[name].get_by_test_id("sealed-open").click()
            phones[name].get_by_test_id("sealed").wait_for()
        for name in PHONES:
            phones[name].locator('[data-sealed-stage][data-stage="open"]').wait_for(timeout=30_000)
        for name in KEYHOLDERS:
            assert phones[name].get_by_test_id("keyholder").is_visible()
        # Each keyholder's phone computes the key's check code from what it received: read aloud, they agree.
        codes = set()
        for name in KEYHOLDERS:
            phones[name].get_by_test_id("key-check").wait_for()
            codes.add(phones[name].get_by_test_id("key-check").inner_text())
        assert len(codes) == 1 and len(codes.pop()) == 14
        assert phones["Ali Şen"].get_by_test_id("keyholder").count() == 0

        def vote(name: str, option: int) -> str:
            phone = phones[name]
            phone.get_by_test_id(f"sealed-option-{option}").check()
            before = phone.get_by_test_id("sealed-tracker").inner_text()
            phone.get_by_test_id("sealed-send").click()
            phone.wait_for_function("(before) => { const t = document.querySelector('[data-testid=sealed-tracker]');"
                                    " return t && t.textContent && t.textContent !== before; }", arg=before)
            return phone.get_by_test_id("sealed-tracker").inner_text()

        # yes 0, no 1: Can, Elif and Ali yes, Oya no, Deniz yes then no (the last counts).
        trackers = {name: vote(name, option) for name, option in
                    (("Can Er", 0), ("Elif Su", 0), ("Oya Tan", 1), ("Deniz Ay", 0), ("Ali Şen", 0))}
        trackers["Deniz Ay"] = vote("Deniz Ay", 1)

        # The hall's box held two paper ballots (one yes, one no): two keyholders sign the counts.
        for name in KEYHOLDERS[:2]:
            phone = phones[name]
            phone.get_by_test_id("paper-ballots").fill("2")
            for option, count in enumerate((1, 1, 0)):
                phone.get_by_test_id(f"paper-{option}").fill(str(count))
            phone.get_by_test_id("paper-sign").click()
            phone.get_by_test_id("paper-said").get_by_text("(", exact=False).wait_for()

        # The desk closes; the keyholders' phones open the count; the vote is judged.
        desk.reload()
        block = desk.locator("[data-testid=vote]").last
        if block.get_by_test_id("confirm-close").count():
            block.get_by_test_id("confirm-close").check()
        block.get_by_role("button", name="Oylamayı kapat").click()
        desk.wait_for_load_state()
        # Two keyholders see the frozen board (five sealed ballots, two on paper) and open their parts of the count.
        for name in KEYHOLDERS[:2]:
            phones[name].get_by_test_id("key-decrypt").click()
        for name in PHONES:
            phones[name].locator('[data-sealed-stage][data-stage="counted"]').wait_for(timeout=30_000)
        assert phones[KEYHOLDERS[2]].get_by_test_id("key-decrypt").is_hidden()
        desk.reload()
        assert desk.get_by_test_id("sealed-box").get_attribute("data-stage") == "counted"
        # 4 yes of the 8 present is not more than half of those present: rejected.
        assert "4 evet, 3 hayır, 0 çekimser" in desk.get_by_test_id("counts").last.inner_text()

        # The published record: anyone checks it; the voter finds their ballot by its tracker.
        box_id = phones["Can Er"].get_by_test_id("sealed").get_attribute("data-box")
        record = json.loads(desk.request.get(f"{live_server}/izmir/sealed/{box_id}.json").body())
        report = verify(record)
        assert report.ok, report.problems
        assert record["result"] == {"sealed": [3, 2, 0], "paper": [1, 1, 0], "total": [4, 3, 0], "ballots": 5}
        result_page = phones["Deniz Ay"]
        result_page.goto(f"{live_server}/izmir/sealed/{box_id}")
        result_page.locator("input[name=tracker]").fill(trackers["Deniz Ay"])
        result_page.locator("form[method=get] button").click()
        result_page.get_by_test_id("tracker-found").wait_for()
        for alter in (lambda r: r["ballots"][1]["choices"][0].update(b=r["ballots"][2]["choices"][0]["b"]),
                      lambda r: r["ballots"][0]["count_proof"][0].reverse(),
                      lambda r: r["decryptions"][1]["shares"][2].update(d=r["decryptions"][0]["shares"][2]["d"])):
            altered = copy.deepcopy(record)
            alter(altered)
            assert not verify(altered).ok
    finally:
        for context in contexts:
            context.close()
