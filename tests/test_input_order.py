"""A use case that owns its input loads it after the rows its address names, so every front answers alike: an
unknown (or another council's) motion is 404 whatever the body, and a bad body to a real one is 422 naming the
field. Before, the API judged the body first (422 for an unknown motion) and the pages looked the motion up
twice to answer 404 first."""

from __future__ import annotations

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
