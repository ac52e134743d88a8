"""The plugin mechanism: discovery, per-council enablement, and every hook working where a council enabled the
plugin and silent in its neighbour. The example third-party plugin (tests/example_plugin, installed through
its entry point) changes the quorum rule for one council only."""

from __future__ import annotations

import ast
import inspect
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from konsey.core import hookspecs, votes
from support.clock import first_of_a_month_ahead
from support.world import sitting_now

ROOT = Path(__file__).resolve().parent.parent
A, B = "/api/v1/councils/alpha", "/api/v1/councils/beta"


# --- the mechanism -------------------------------------------------------------------------------------------


def _hooks() -> dict:
    return {name: fn for name, fn in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("konsey_")}


def test_every_hook_has_a_docstring_and_a_section_in_the_plugin_guide():
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### `(konsey_\w+)`", guide, flags=re.MULTILINE))
    assert len(_hooks()) >= 15
    for name, function in _hooks().items():
        assert function.__doc__ and len(function.__doc__.split()) >= 10, f"{name} needs a docstring"
        assert name in documented, f"docs/plugins.md has no section for {name}"
    assert documented <= set(_hooks()), f"docs/plugins.md documents hooks that do not exist: {documented - set(_hooks())}"


def test_builtins_and_entry_point_plugins_are_found_the_same_way(sqlite_app):
    from konsey.core.plugins import installed

    names = set(installed())
    assert {"children_assembly", "youth_assembly", "womens_assembly"} <= names
    assert "bespoke_rules" in names, "tests/example_plugin is installed through its `konsey` entry point"


def test_built_in_assemblies_import_only_the_plugin_facade():
    for path in (ROOT / "plugins").rglob("*.py"):
        own = f"konsey.plugins.{path.relative_to(ROOT / 'plugins').parts[0]}"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            for module in modules:
                if module.startswith("konsey"):
                    assert module == "konsey.pluginkit" or module.startswith(own), f"{path}: imports {module}"


@pytest.fixture
def councils(world, api):
    alpha, beta = world.council("alpha"), world.council("beta", province=16)
    admin_a = api(world.token(world.user("admin@alpha.example.org", roles={alpha: "administrator"}), alpha))
    admin_b = api(world.token(world.user("admin@beta.example.org", roles={beta: "administrator"}), beta))
    return {"alpha": alpha, "beta": beta, "admin_a": admin_a, "admin_b": admin_b}


def test_enabling_checks_the_plugin_and_its_configuration_and_changes_nothing_on_error(app, councils):
    admin = councils["admin_a"]
    assert admin.post(f"{A}/plugins/no_such_plugin", json={}).status_code == 422
    bad = admin.post(f"{A}/plugins/youth_assembly", json={"config": {"age_min": 30, "age_max": 20}})
    assert bad.status_code == 422 and "config" in bad.json["errors"]
    wrong_type = admin.post(f"{A}/plugins/youth_assembly", json={"config": {"age_min": "genç"}})
    assert wrong_type.status_code == 422
    states = {p["name"]: p["state"] for p in admin.get(f"{A}/plugins").json}
    assert states["youth_assembly"] == "available"

    enabled = admin.post(f"{A}/plugins/youth_assembly", json={"config": {"age_max": 24}})
    assert enabled.status_code == 201
    assert enabled.json["state"] == "enabled" and enabled.json["config"] == {"age_min": 15, "age_max": 24}
    twice = admin.post(f"{A}/plugins/youth_assembly", json={})
    assert twice.status_code == 409 and "plugin" in twice.json["errors"]
    # The assembly's body was created, proposed to the general assembly.
    bodies = admin.get(f"{A}/bodies").json
    youth = [b for b in bodies if b["name"] == "Gençlik Meclisi"]
    assert len(youth) == 1 and youth[0]["status"] == "proposed"

    assert admin.patch(f"{A}/plugins/youth_assembly", json={"config": {"age_max": 12}}).status_code == 422
    assert admin.patch(f"{A}/plugins/youth_assembly", json={"config": {"age_max": 29}}).json["config"]["age_max"] == 29
    assert admin.delete(f"{A}/plugins/youth_assembly").json["state"] == "disabled"
    assert admin.delete(f"{A}/plugins/youth_assembly").status_code == 409
    again = admin.post(f"{A}/plugins/youth_assembly", json={})
    assert again.status_code == 201
    assert len([b for b in admin.get(f"{A}/bodies").json if b["name"] == "Gençlik Meclisi"]) == 1  # reused
    actions = [e["action"] for e in admin.get(f"{A}/audit").json]
    assert {"plugin.enabled", "plugin.reconfigured", "plugin.disabled"} <= set(actions)
    # The neighbour saw none of it.
    assert {p["name"]: p["state"] for p in councils["admin_b"].get(f"{B}/plugins").json}["youth_assembly"] == "available"
    member = councils["admin_b"]
    assert member.post(f"{A}/plugins/youth_assembly", json={}).status_code == 404


def test_only_administrators_and_operators_switch_plugins(app, world, api, councils):
    viewer = api(world.token(world.user("v@alpha.example.org", roles={councils["alpha"]: "viewer"}), councils["alpha"]))
    assert viewer.get(f"{A}/plugins").status_code == 200
    assert viewer.post(f"{A}/plugins/womens_assembly", json={}).status_code == 403


def test_a_changed_enablement_is_seen_at_once_through_the_version_key(app, world, councils):
    from konsey.core.plugins import council_hooks, disable, enable
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(councils["alpha"]):
        before = council_hooks()
        assert not before.enabled("bespoke_rules")
        by_laws = {"tie_rule": "chair_decides"}
        assert before.hook.konsey_tie_rule(body=None, bylaws=by_laws) == "chair_decides"  # the statute's answer
        enable("bespoke_rules", {})
        db.session.commit()
        after = council_hooks()
        assert after.version == before.version + 1 and after.enabled("bespoke_rules")
        assert after.hook.konsey_tie_rule(body=None, bylaws=by_laws) == "fails"
        disable("bespoke_rules")
        db.session.commit()
        assert council_hooks().hook.konsey_tie_rule(body=None, bylaws=by_laws) == "chair_decides"


# --- the example plugin: a bespoke quorum for one council ----------------------------------------------------


def _board_of(app, council_id, names):
    from konsey.core.bodies import Body, BodyKind
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        board = db.session.scalar(select(Body).where(Body.kind == BodyKind.EXECUTIVE_BOARD))
        for member_id in names:
            assign_seat(board, db.session.get(Member, member_id), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
        db.session.commit()
        return board.id


def _meeting(app, council_id, board_id, present):
    from konsey.core import meetings
    from konsey.core.bodies import Body
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(council_id):
        board = db.session.get(Body, board_id)
        when, called = sitting_now()
        meeting = meetings.schedule(board, meetings.MeetingKind.ORDINARY, "Kurul", when, None, ["Gündem"],
                                    now=called)
        for member_id in present:
            meetings.check_in(meeting, db.session.get(Member, member_id), online=False)
        db.session.commit()
        return meeting.id, meetings.quorum_status(meeting, board)


@pytest.fixture
def bespoke(app, world, councils):
    """Both councils have a board of nine; only alpha enables the bespoke rules."""
    people = {}
    for key in ("alpha", "beta"):
        people[key] = [world.member(councils[key], name=f"Üye {i}", gender="female" if i % 2 else "male")
                       for i in range(9)]
    boards = {key: _board_of(app, councils[key], people[key]) for key in ("alpha", "beta")}
    world.enable(councils["alpha"], "bespoke_rules", {"banned_names": ["Yasaklı Kişi"]})
    return {**councils, "people": people, "boards": boards}


def test_the_bespoke_quorum_holds_in_its_council_and_the_neighbour_keeps_the_statute(app, bespoke):
    _meeting_a, quorum_a = _meeting(app, bespoke["alpha"], bespoke["boards"]["alpha"], bespoke["people"]["alpha"][:5])
    _meeting_b, quorum_b = _meeting(app, bespoke["beta"], bespoke["boards"]["beta"], bespoke["people"]["beta"][:5])
    assert quorum_b == {"full_membership": 9, "present": 5, "needed": 5, "quorum_met": True}  # ⌊9/2⌋ + 1
    assert quorum_a == {"full_membership": 9, "present": 5, "needed": 6, "quorum_met": False}  # two thirds


def test_bespoke_majority_and_tie_rule_only_where_enabled(app, bespoke):
    from konsey.core.bodies import Body
    from konsey.core.meetings import AgendaItem, Choice, Meeting, VoteKind
    from konsey.core.membership import Member
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    verdicts = {}
    for key in ("alpha", "beta"):
        people = bespoke["people"][key]
        meeting_id, _quorum = _meeting(app, bespoke[key], bespoke["boards"][key], people[:7])
        with app.app_context(), bound_council(bespoke[key]):
            meeting = db.session.get(Meeting, meeting_id)
            board = db.session.get(Body, meeting.body_id)
            item = db.session.scalar(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id))
            vote = votes.open_vote(meeting, board, item, VoteKind.OPEN)
            for member_id, choice in zip(people[:7], ["yes"] * 4 + ["no"] * 3, strict=True):
                votes.cast(vote, meeting, board, db.session.get(Member, member_id), Choice(choice))
            verdicts[key] = votes.close_vote(vote, meeting, board)
            db.session.commit()
    assert verdicts["beta"].outcome.value == "adopted"  # 4 of 7 present: an absolute majority
    assert verdicts["alpha"].outcome.value == "rejected" and verdicts["alpha"].needed == 5  # two thirds of 7 cast


def test_membership_eligibility_and_seat_events_only_where_enabled(app, world, bespoke):
    import konsey_bespoke_rules

    from konsey.core.bodies import BodyKind, create_body
    from konsey.core.membership import Member
    from konsey.core.seats import SeatRole, assign_seat
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    outcomes = {}
    for key in ("alpha", "beta"):
        banned = world.member(bespoke[key], name="Yasaklı Kişi")
        seen = len(konsey_bespoke_rules.SEATS_SEEN)
        with app.app_context(), bound_council(bespoke[key]):
            group = create_body(BodyKind.WORKING_GROUP, "Deneme Grubu")
            try:
                assign_seat(group, db.session.get(Member, banned), SeatRole.PRINCIPAL, date(2026, 1, 1), None)
                outcomes[key] = "seated"
            except Exception as error:  # noqa: BLE001 - the refusal is what we look at
                outcomes[key] = str(error)
            db.session.rollback()
        outcomes[f"{key}_events"] = len(konsey_bespoke_rules.SEATS_SEEN) - seen
    assert outcomes["beta"] == "seated" and outcomes["beta_events"] == 0
    assert "may not take a seat" in outcomes["alpha"] and outcomes["alpha_events"] == 0
    with app.app_context(), bound_council(bespoke["alpha"]):
        group = create_body(BodyKind.WORKING_GROUP, "Deneme Grubu")
        seat = assign_seat(group, db.session.get(Member, bespoke["people"]["alpha"][0]), SeatRole.PRINCIPAL,
                           date(2026, 1, 1), None)
        assert str(seat.id) in konsey_bespoke_rules.SEATS_SEEN
        db.session.rollback()


def test_election_hooks_only_where_enabled(app, world, bespoke):
    """Candidate eligibility and the seat-allocation check of the plugin."""
    results = {}
    for key, base, admin in (("alpha", A, bespoke["admin_a"]), ("beta", B, bespoke["admin_b"])):
        banned = str(world.member(bespoke[key], name="Yasaklı Kişi"))
        bodies = {b["kind"]: b["id"] for b in admin.get(f"{base}/bodies").json}
        election = admin.post(f"{base}/elections", json={
            "electing_body_id": bodies["general_assembly"], "target_body_id": bodies["executive_board"],
            "office": "executive_board", "seats": 2, "term_start": first_of_a_month_ahead(6).isoformat()}).json
        url = f"{base}/elections/{election['id']}"
        results[f"{key}_banned"] = admin.post(f"{url}/candidates", json={"member_id": banned}).status_code
        men = [str(m) for m in (world.member(bespoke[key], name=f"Aday {i}", gender="male") for i in range(2))]
        for member_id in men:
            admin.post(f"{url}/candidates", json={"member_id": member_id})
        from conftest import sitting

        everyone = [str(m) for m in bespoke["people"][key]] + [banned, *men]
        results[f"{key}_round"] = admin.post(f"{url}/rounds", json={
            "votes": {men[0]: 9, men[1]: 8}, "ballots_cast": 12,
            "meeting_id": sitting(admin, base, bodies["general_assembly"], everyone)})
    assert results["beta_banned"] == 201 and results["alpha_banned"] == 422
    assert results["beta_round"].status_code == 200
    assert results["alpha_round"].status_code == 422 and "one gender" in str(results["alpha_round"].json["errors"])


def test_bylaw_fields_of_a_plugin_belong_to_its_council(app, bespoke):
    from konsey.core.bylaws import parameters_on
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(bespoke["alpha"]):
        assert parameters_on(date.today())["bespoke_minutes_signed_by_all"] is False
    with app.app_context(), bound_council(bespoke["beta"]):
        assert "bespoke_minutes_signed_by_all" not in parameters_on(date.today())
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    ok = bespoke["admin_a"].post(f"{A}/bylaws", json={"effective_from": tomorrow,
                                                     "parameters": {"bespoke_minutes_signed_by_all": True}})
    assert ok.status_code == 201 and ok.json["parameters"]["bespoke_minutes_signed_by_all"] is True
    refused = bespoke["admin_b"].post(f"{B}/bylaws", json={"effective_from": tomorrow,
                                                          "parameters": {"bespoke_minutes_signed_by_all": True}})
    assert refused.status_code == 422 and "parameters" in refused.json["errors"]


def test_pages_navigation_and_gate(app, world, bespoke):
    from conftest import login

    world.user("gs@alpha.example.org", roles={bespoke["alpha"]: "administrator"})
    world.user("gs@beta.example.org", roles={bespoke["beta"]: "administrator"})
    alpha, beta = app.test_client(), app.test_client()
    login(alpha, "gs@alpha.example.org")
    login(beta, "gs@beta.example.org")
    assert alpha.get("/alpha/p/bespoke_rules/").json["quorum_share"] == pytest.approx(2 / 3)
    assert beta.get("/beta/p/bespoke_rules/").status_code == 404  # never enabled there
    assert "Bespoke rules" in alpha.get("/alpha/").get_data(as_text=True)
    assert "Bespoke rules" not in beta.get("/beta/").get_data(as_text=True)
    assert alpha.post("/alpha/p/bespoke_rules/").status_code == 200

    from konsey.core.plugins import disable
    from konsey.tenants.db import db
    from konsey.tenants.scoping import bound_council

    with app.app_context(), bound_council(bespoke["alpha"]):
        disable("bespoke_rules")
        db.session.commit()
    assert alpha.get("/alpha/p/bespoke_rules/").status_code == 200  # records stay readable
    refused = alpha.post("/alpha/p/bespoke_rules/")
    assert refused.status_code == 409
    assert "Bespoke rules" not in alpha.get("/alpha/").get_data(as_text=True)


def test_commands_jobs_indicators_templates_and_package_files_only_where_enabled(app, bespoke):
    import konsey_bespoke_rules

    from konsey.core import plugins
    from konsey.tenants.scoping import bound_council
    from konsey.worker.tasks import run_plugin_job

    runner = app.test_cli_runner()
    shown = runner.invoke(args=["plugin", "bespoke_rules", "show", "alpha"])
    assert shown.exit_code == 0 and "quorum_share=0.67" in shown.output
    refused = runner.invoke(args=["plugin", "bespoke_rules", "show", "beta"])
    assert refused.exit_code != 0 and "has not enabled" in refused.output

    konsey_bespoke_rules.RUNS.clear()
    with app.app_context():
        assert run_plugin_job(plugin="bespoke_rules", job="bespoke_rules.tick") == 1
    assert [str(bespoke["alpha"])] == konsey_bespoke_rules.RUNS
    assert "plugin:bespoke_rules:bespoke_rules.tick" in app.extensions["celery"].conf.beat_schedule

    class Motion:  # package files need only what the plugin reads
        number = 7

    with app.app_context(), bound_council(bespoke["alpha"]):
        assert plugins.indicator_values()["bespoke_quorum_share"] == pytest.approx(2 / 3)
        assert plugins.notification_template("bespoke.hello") == ("Hello", "Hello from {council}")
        assert [f.name for f in plugins.package_files(Motion())] == ["bespoke.txt"]
    with app.app_context(), bound_council(bespoke["beta"]):
        assert "bespoke_quorum_share" not in plugins.indicator_values()
        with pytest.raises(KeyError):
            plugins.notification_template("bespoke.hello")
        assert plugins.package_files(Motion()) == []


def test_plugin_commands_from_the_command_line(app, councils):
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["plugins", "enable", "alpha", "youth_assembly", "--config", '{"age_min": 40}'])
    assert bad.exit_code == 2 and "config.age" in bad.output
    assert runner.invoke(args=["plugins", "enable", "alpha", "youth_assembly"]).exit_code == 0
    listed = runner.invoke(args=["plugins", "list", "alpha"])
    assert re.search(r"youth_assembly\s+enabled", listed.output)
    assert re.search(r"youth_assembly\s+available", runner.invoke(args=["plugins", "list", "beta"]).output)
    assert runner.invoke(args=["plugins", "disable", "alpha", "youth_assembly"]).exit_code == 0


def test_a_plugin_adds_a_delivery_channel_for_its_council_only(app, world, bespoke):
    import konsey_bespoke_rules

    from conftest import adopted_motion

    member = world.member(bespoke["alpha"], name="Ayşe Kaya")  # sits only in the working group
    world.body_with_seat(bespoke["alpha"], member)
    adopted_motion(app, world, bespoke["alpha"], member_id=member)
    chosen = bespoke["admin_a"].put(f"{A}/delivery", json={"channel": "bespoke_registered_letter",
                                                           "address": "Belediye Yazı İşleri, İzmir"})
    assert chosen.status_code == 200 and "bespoke_registered_letter" in chosen.json["channels"]
    refused = bespoke["admin_b"].put(f"{B}/delivery", json={"channel": "bespoke_registered_letter",
                                                           "address": "Belediye"})
    assert refused.status_code == 422 and "channel" in refused.json["errors"]
    konsey_bespoke_rules.RegisteredLetter.sent.clear()
    from konsey.worker.relay import relay

    with app.app_context():
        while relay():
            pass
    assert len(konsey_bespoke_rules.RegisteredLetter.sent) == 2
    statuses = {m["status"] for m in bespoke["admin_a"].get(f"{A}/motions").json}
    assert statuses == {"sent"}


def _documented_parameters(guide: str) -> dict[str, tuple[str, ...]]:
    """Each hook's parameters as its section in the plugin guide writes them: the first ``(…)`` code span,
    or none at all for a hook that takes nothing."""
    sections = re.split(r"^### `(konsey_\w+)`\n", guide, flags=re.MULTILINE)
    documented = {}
    for name, text in zip(sections[1::2], sections[2::2], strict=True):
        text = text.split("\n## ")[0]
        span = re.search(r"`\(([^`]*)\)`", text)
        documented[name] = tuple(p.strip() for p in span.group(1).split(",") if p.strip()) if span else ()
    return documented


def test_the_plugin_guide_gives_each_hook_the_parameters_of_its_specification():
    guide = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
    documented = _documented_parameters(guide)
    for name, function in _hooks().items():
        assert documented[name] == tuple(inspect.signature(function).parameters), (
            f"docs/plugins.md says {name}{documented[name]}, hookspecs.py says "
            f"{name}{tuple(inspect.signature(function).parameters)}")


def test_the_statute_answers_for_every_council_last_and_is_no_plugin_to_enable(app, world, api):
    """The quorum, majority, tie and channel defaults are the statute's hook implementations (trylast): every
    council gets an answer from them with no plugin enabled, and the statute is not offered as a plugin."""
    from konsey.core import delivery
    from konsey.core.plugins import council_hooks, installed
    from konsey.tenants.scoping import bound_council

    council = world.council("izmir")
    admin = api(world.token(world.user("admin@izmir.example.org", roles={council: "administrator"}), council))
    with app.app_context(), bound_council(council):
        hooks = council_hooks().hook
        assert "statute" not in installed()
        assert hooks.konsey_tie_rule(body=None, bylaws={"tie_rule": "lot"}) == "lot"
        assert hooks.konsey_quorum_rule(body=None, full_membership=10, bylaws={
            "meeting_quorum_rule": "absolute_majority_of_members", "reconvene_rule": "no_quorum_required",
            "executive_board_min_size": 7}, reconvened=False, on=None) == 6
        assert sorted(delivery.channels()) == ["download", "email", "webhook"]
    assert admin.post("/api/v1/councils/izmir/plugins/statute", json={}).status_code == 422  # not a plugin
    assert "statute" not in [p["name"] for p in admin.get("/api/v1/councils/izmir/plugins").json]
