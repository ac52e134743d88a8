"""The fixed cost of a request: what every request sends to the database besides its own work."""

from __future__ import annotations

from sqlalchemy import event


def test_a_request_does_not_reset_the_council_on_a_transaction_that_is_ending(postgres_app):
    """The council is bound per transaction (set_config(…, true)); at the end of a request the transaction is
    rolled back with the session, so telling it the council is unbound was a wasted round trip per request."""
    from konsey.tenants.db import db
    from support.clients import ApiClient
    from support.world import World

    world = World(postgres_app)
    council = world.council("izmir")
    world.member(council, name="Ayşe Kaya")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    client = ApiClient(postgres_app.test_client(), token)
    client.get("/api/v1/councils/izmir/members")  # warm
    statements = []
    with postgres_app.app_context():
        engine = db.engine

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        response = client.get("/api/v1/councils/izmir/members")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert response.status_code == 200 and response.json[0]["name"] == "Ayşe Kaya"
    settings = [s for s in statements if "set_config" in s]
    assert len(settings) == 1, statements  # the council bound once, at the start of the request's transaction
    assert "set_config" not in statements[-1]
