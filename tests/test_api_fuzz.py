"""Property-based requests generated from the API's own OpenAPI document (schemathesis): whatever the input,
an administrator's request never gets a server error. (It found three: an out-of-range year, an audit cursor
too large for the database, and money bounds the OpenAPI document wrote as strings.)"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from conftest import World

# schemathesis's generated items share one node id, and xdist's group scheduling (the README's command) ran
# none of them without a word: scripts/dev.py runs this file in a process of its own, without xdist.


@pytest.fixture(scope="session")
def fuzz_app():
    """The app under fuzzing, built once per session when the fuzz test runs (not at collection)."""
    from flask_migrate import upgrade

    from konsey.app import create_app

    folder = Path(tempfile.mkdtemp(prefix="konsey-fuzz-"))
    url = f"sqlite:///{folder / 'konsey.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "KONSEY_MIGRATION_DATABASE_URL": url, "TESTING": True,
                      "SECRET_KEY": "fuzz", "KONSEY_TASKS_EAGER": True, "KONSEY_MAIL_BACKEND": "file",
                      "KONSEY_PASSWORD_HASHING": "cheapest"}, instance_path=folder)
    with app.app_context():
        upgrade(revision="heads")
    world = World(app)
    council = world.council("izmir")
    member = world.member(council, name="Ayşe Kaya")
    world.body_with_seat(council, member)
    for plugin in ("children_assembly", "youth_assembly", "womens_assembly"):
        world.enable(council, plugin)
    app.konsey_token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    return app


def _document_app():
    """An app that only serves its OpenAPI document (no database is touched): cheap at collection time."""
    from konsey.app import create_app

    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "fuzz"})


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _document_app())


@schema.parametrize()
@settings(max_examples=8, suppress_health_check=list(HealthCheck), deadline=None)
def test_no_input_makes_a_server_error(case, fuzz_app):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {fuzz_app.konsey_token}"}
    if "council_slug" in (case.path_parameters or {}):
        case.path_parameters["council_slug"] = "izmir"
    response = case.call(app=fuzz_app)  # to the app with a database and a council, not the document's
    assert response.status_code < 500, (case.method, case.formatted_path, response.status_code, response.text[:300])
