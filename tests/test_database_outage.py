"""While the database cannot be reached, every request answers 503 with Retry-After (problem+json on the API,
a plain translated page elsewhere), never 500; the same app answers normally once the database is back."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def app_without_database(tmp_path):
    from konsey.app import create_app

    with socket.socket() as probe:  # a port where nothing listens: the database is "down"
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql+psycopg://konsey_app@127.0.0.1:{port}/konsey"
    from support.contract import DocumentedClient

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                       "KONSEY_MIGRATION_DATABASE_URL": url, "KONSEY_READER_DATABASE_URL": url,
                       "RATELIMIT_ENABLED": False,
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}},
                      instance_path=tmp_path)
    app.test_client_class = DocumentedClient  # the 503 is held to the OpenAPI document too
    return app


@pytest.mark.parametrize("path", ["/izmir/", "/izmir/members", "/izmir/apply", "/health", "/"])
def test_a_page_answers_503_while_the_database_is_down(app_without_database, path):
    response = app_without_database.test_client().get(path, headers={"Accept-Language": "tr"})
    assert response.status_code == 503, response.get_data(as_text=True)[:300]
    assert response.headers["Retry-After"].isdigit()


def test_the_api_answers_problem_json_503(app_without_database):
    response = app_without_database.test_client().get("/api/v1/councils/izmir/members",
                                                      headers={"Authorization": "Bearer kns_x"})
    assert response.status_code == 503 and response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"].isdigit() and response.json["status"] == 503


def test_a_reading_request_that_meets_a_dropped_connection_is_answered(tmp_path):
    """No ping at each checkout: when the server was restarted under a pooled connection, a GET is run once
    more on a fresh one and answers 200 (a POST would get the 503 and its Retry-After, having maybe begun)."""
    from flask_migrate import upgrade

    from konsey.app import create_app
    from konsey.tenants.db import db
    from support.private_servers import PrivatePostgres
    from support.services import need_service
    from support.world import World

    need_service("a private PostgreSQL (initdb, pg_ctl)", PrivatePostgres.available(),
                 "install postgresql; the dropped-connection test skipped")
    server = PrivatePostgres()
    try:
        server.start()
        database = server.platform_database()
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "RATELIMIT_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": database["app"],
                          "KONSEY_MIGRATION_DATABASE_URL": database["migration"],
                          "KONSEY_READER_DATABASE_URL": database["reader"],
                          "KONSEY_PASSWORD_HASHING": "cheapest"}, instance_path=tmp_path)
        assert "pool_pre_ping" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        with app.app_context():
            upgrade(revision="heads")
        World(app).council("izmir")
        client = app.test_client()
        assert client.get("/izmir/apply").status_code == 200  # a connection now waits in the pool
        server.stop()
        server.start()
        again = client.get("/izmir/apply")
        assert again.status_code == 200, again.get_data(as_text=True)[:300]
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        server.destroy()
