"""A use case that owns its input loads it after the rows its address names, so every front answers alike: an
unknown (or another council's) motion is 404 whatever the body, and a bad body to a real one is 422 naming the
field. Before, the API judged the body first (422 for an unknown motion) and the pages looked the motion up
twice to answer 404 first."""

from __future__ import annotations

import re
import uuid

import pytest

from conftest import adopted_motion, login

OPERATIONS = [("status", {"status": "nonsense"}, "status"), ("answer", {"answer": 7}, "answer"),
              ("milestones", {"state": "somewhere"}, "state")]


@pytest.fixture
def two_councils(world, api):
    izmir, nilufer = world.council("izmir"), world.council("nilufer", province=16)
    world.user("gs@izmir.example.org", roles={izmir: "administrator"})
    token = world.token(world.user("api@izmir.example.org", roles={izmir: "administrator"}), izmir)
    return {"izmir": izmir, "nilufer": nilufer, "api": api(token)}


@pytest.mark.parametrize(("operation", "body", "field"), OPERATIONS)
def test_the_api_answers_404_for_an_unknown_motion_before_looking_at_the_body(app, world, two_councils,
                                                                              operation, body, field):
    api = two_councils["api"]
    mine = adopted_motion(app, world, two_councils["izmir"])
    theirs = adopted_motion(app, world, two_councils["nilufer"])
    base = "/api/v1/councils/izmir/motions"
    for motion_id in (uuid.uuid4(), theirs):
        assert api.post(f"{base}/{motion_id}/{operation}", json=body).status_code == 404
    refused = api.post(f"{base}/{mine}/{operation}", json=body)
    assert refused.status_code == 422 and field in refused.json["errors"]
    assert api.post(f"{base}/{mine}/{operation}", data="not json",
                    headers={"Content-Type": "text/plain"}).status_code == 422


@pytest.mark.parametrize(("operation", "body", "field"), OPERATIONS)
def test_the_pages_answer_404_for_an_unknown_motion_and_say_a_bad_form(app, world, two_councils,
                                                                            operation, body, field):
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    mine = adopted_motion(app, world, two_councils["izmir"])
    theirs = adopted_motion(app, world, two_councils["nilufer"])
    form = {key: str(value) for key, value in body.items()}
    for motion_id in (uuid.uuid4(), theirs):
        assert client.post(f"/izmir/motions/{motion_id}/{operation}", data=form).status_code == 404
    refused = client.post(f"/izmir/motions/{mine}/{operation}", data=form, follow_redirects=True)
    said = refused.get_data(as_text=True)
    assert refused.status_code == 200 and said.count('<div class="flash error" role="alert">') >= 1, said


def test_a_use_case_that_owns_its_input_says_its_schema_and_the_api_documents_it(app):
    from konsey.schemas.motions import AnswerSchema, MilestoneSchema, StatusSchema
    from konsey.usecases import follow_up, motions

    assert (motions.advance_motion.takes, motions.record_answer.takes, follow_up.add_milestone.takes) == (
        StatusSchema, AnswerSchema, MilestoneSchema)
    spec = app.test_client().get("/api/v1/openapi.json").json
    operation = spec["paths"]["/api/v1/councils/{council_slug}/motions/{motion_id}/status"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Status"} and "422" in operation["responses"]


def _owning_routes(app):
    """Every (method, rule, use case) whose use case loads its own input (``takes``)."""
    found = []
    for rule in app.url_map.iter_rules():
        if "council_slug" not in rule.arguments:
            continue
        view = app.view_functions[rule.endpoint]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS", "GET"}):
            handler = getattr(getattr(view, "view_class", None), method.lower(), None) or view
            use_case = getattr(handler, "konsey_use_case", None)
            if use_case is not None and getattr(use_case, "takes", None) is not None:
                found.append((method, rule.rule, use_case))
    return found


def _names_a_row(rule: str) -> bool:
    return "<uuid:" in rule or "<int:" in rule or "<token>" in rule


def test_every_front_of_a_use_case_that_owns_its_input_answers_404_for_unknown_rows_whatever_the_input(
        app, two_councils):
    """Walked over the URL map: every API operation and page whose use case loads its own input, sent a body its
    schema refuses to rows that do not exist, answers 404 (the meetings' desk forms, the motions' follow-up)."""
    routes = [route for route in _owning_routes(app) if _names_a_row(route[1])]
    assert len({use_case.name for _m, _r, use_case in routes}) >= 44
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    api = two_councils["api"]
    for method, rule, use_case in routes:
        path = re.sub(r"<uuid:\w+>", lambda _m: str(uuid.uuid4()), rule.replace("<council_slug>", "izmir"))
        path = re.sub(r"<int:\w+>", "1", path)
        if path.startswith("/api/"):
            answer = getattr(api, method.lower())(path, json={"no_such_field": "x"})
        else:
            answer = client.open(path, method=method, data={"no_such_field": "x"})
        assert answer.status_code == 404, (method, path, use_case.name, answer.status_code)


def test_every_use_case_that_makes_something_owns_its_input_and_refuses_a_body_its_schema_refuses(
        app, world, two_councils):
    """The creations (a member, a meeting, a motion, a body, an election, money, …) own their input too: the API
    hands the body as it came and the use case refuses what its schema refuses, naming the field (422); the
    page says the refusal. Every state-changing use case with input declares its schema."""
    from konsey.core.plugins import builtin_plugins
    from konsey.usecases.base import REGISTRY

    for plugin in builtin_plugins():
        world.enable(two_councils["izmir"], plugin)
    routes = [route for route in _owning_routes(app) if not _names_a_row(route[1])]
    names = {use_case.name for _m, _r, use_case in routes}
    for expected in ("members.add_member", "meetings.call_meeting", "motions.adopt_motion", "bodies.propose_body",
                     "elections.call_election", "reports.draft_report", "money.add_expense", "people.invite",
                     "applications.submit_application", "notifications.set_preferences",
                     "elders_assembly.usecases.record_concern", "disabled_assembly.usecases.record_consent"):
        assert any(name.endswith(expected) for name in names), expected
    api = two_councils["api"]
    client = app.test_client()
    login(client, "gs@izmir.example.org")
    for method, rule, use_case in routes:
        path = rule.replace("<council_slug>", "izmir")
        if path.startswith("/api/"):
            answer = getattr(api, method.lower())(path, json={"no_such_field": "x"})
            if answer.status_code == 403:  # an operator's (the platform's) job, not a council administrator's
                assert use_case.permission is not None and use_case.permission.name.startswith("COUNCILS_"), rule
                continue
            assert answer.status_code == 422, (method, path, use_case.name, answer.status_code)
            assert answer.headers["Content-Type"] == "application/problem+json" and answer.json["errors"], path
        else:
            answer = client.open(path, method=method, data={"no_such_field": "x"}, follow_redirects=True)
            said = answer.get_data(as_text=True)
            assert answer.status_code in (200, 403, 422) and "error" in said, (method, path, answer.status_code)
    # Whatever takes a person's input as a dict declares the schema it loads it with; the keyholder's steps each
    # have their own (STEP_SCHEMAS, loaded after the box and the holder).
    undeclared = []
    for name, use_case in REGISTRY.items():
        parameters = use_case.function.__code__.co_varnames[:use_case.function.__code__.co_argcount]
        if use_case.changes_state and "data" in parameters and use_case.takes is None:
            undeclared.append(name)
    assert undeclared == ["sealed.keyholder_step"]
