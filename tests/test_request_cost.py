"""The fixed cost of a request: what every request sends to the database besides its own work."""

from __future__ import annotations


def _statements_of(app, client, path: str):
    """(the answer, the SQL statements sent) of a GET of ``path``, after a first one warmed the caches."""
    from support.statements import statements_sent

    client.get(path)
    with statements_sent(app) as statements:
        response = client.get(path)
    return response, statements


def test_a_request_does_not_reset_the_council_on_a_transaction_that_is_ending(postgres_app):
    """The council is bound per transaction (set_config(…, true)); at the end of a request the transaction is
    rolled back with the session, so telling it the council is unbound was a wasted round trip per request."""
    from support.clients import ApiClient
    from support.world import World

    world = World(postgres_app)
    council = world.council("izmir")
    world.member(council, name="Ayşe Kaya")
    token = world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council)
    client = ApiClient(postgres_app.test_client(), token)
    response, statements = _statements_of(postgres_app, client, "/api/v1/councils/izmir/members")
    assert response.status_code == 200 and response.json[0]["name"] == "Ayşe Kaya"
    settings = [s for s in statements if "set_config" in s]
    assert len(settings) == 1, statements  # the council bound once, at the start of the request's transaction
    assert "set_config" not in statements[-1]


def test_the_council_and_the_callers_token_come_in_one_round_trip(postgres_app):
    """A council API request needs the council, the token, its owner and the owner's grants before anything
    else: one statement, then the council bound (set_config), then the view's own work."""
    from support.clients import ApiClient
    from support.world import World

    world = World(postgres_app)
    council = world.council("izmir")
    world.council("nilufer")
    user = world.user("gs@izmir.example.org", roles={council: "administrator"})
    client = ApiClient(postgres_app.test_client(), world.token(user, council))
    response, statements = _statements_of(postgres_app, client, "/api/v1/councils/izmir/bodies")
    assert response.status_code == 200
    statements = [s for s in statements if not s.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]  # the test's
    first = statements[0]
    assert "FROM councils" in first and "access_tokens" in first and "council_roles" in first, statements[:3]
    assert "set_config" in statements[1]
    assert not any("access_tokens" in s or "FROM councils" in s for s in statements[2:]), statements
    # Refusals are unchanged: a wrong token is 401, another council's token 404.
    assert ApiClient(postgres_app.test_client(), "kns_wrong").get("/api/v1/councils/izmir/bodies").status_code \
        == 401
    assert client.get("/api/v1/councils/nilufer/bodies").status_code == 404
