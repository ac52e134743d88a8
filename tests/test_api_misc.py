"""The API's shared surface: the OpenAPI document, reference data, and problem+json for every error."""

from __future__ import annotations

import re

import pytest


def test_openapi_document_lists_every_api_route(sqlite_app):
    client = sqlite_app.test_client()
    spec = client.get("/api/v1/openapi.json").json
    assert spec["info"]["title"] == "Konsey API"
    documented = set(spec["paths"])
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)  # Flask's <uuid:x> is OpenAPI's {x}
        for rule in sqlite_app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and not rule.rule.endswith("openapi.json")
    }
    assert routes <= documented, routes - documented


def test_reference_endpoints(sqlite_app):
    client = sqlite_app.test_client()
    provinces = client.get("/api/v1/reference/provinces").json
    assert len(provinces) == 81 and provinces[33]["code"] == 34 and provinces[33]["name"] == "İstanbul"
    municipalities = client.get("/api/v1/reference/provinces/16/municipalities").json
    assert any(m["name"].startswith("Nilüfer") and m["type"] == "metropolitan_district" for m in municipalities)
    missing = client.get("/api/v1/reference/provinces/82/municipalities")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_unknown_api_path_and_wrong_method_are_problems(sqlite_app):
    client = sqlite_app.test_client()
    unknown = client.get("/api/v1/nothing-here", headers={"Accept-Language": "tr"})
    assert unknown.status_code == 404 and unknown.mimetype == "application/problem+json"
    assert unknown.json["title"] == "Bulunamadı."
    wrong = client.delete("/api/v1/reference/provinces")
    assert wrong.status_code == 405 and wrong.mimetype == "application/problem+json"
    assert set(wrong.headers["Allow"].replace(" ", "").split(",")) >= {"GET"}
    assert "DELETE" not in wrong.headers["Allow"]
    page = client.put("/health")
    assert page.status_code == 405 and "GET" in page.headers["Allow"]


def test_health(sqlite_app):
    assert sqlite_app.test_client().get("/health").json == {"status": "ok"}


def test_the_meetings_and_motions_lists_are_bounded(app, world, api):
    """Every list is paged: ``per_page`` at most 200, the next page in ``Link`` (the motions list was 295 KB
    for one council); the pages show Previous / Next."""
    import re

    from conftest import adopted_motion

    council = world.council("izmir")
    member = world.member(council, name="Ayşe Kaya")
    world.body_with_seat(council, member)
    for index in range(3):
        adopted_motion(app, world, council, title=f"Önerge {index}", member_id=member)
    admin = world.user("gs@izmir.example.org", roles={council: "administrator"})
    client = api(world.token(admin, council))
    for path in ("meetings", "motions"):
        url, seen = f"/api/v1/councils/izmir/{path}?per_page=2", []
        while url:
            page = client.get(url)
            assert page.status_code == 200 and len(page.json) <= 2
            seen += [row["id"] for row in page.json]
            link = page.headers.get("Link")
            url = re.match(r"<([^>]+)>", link).group(1) if link else None
        assert len(seen) == len(set(seen)) >= 3, path
        assert client.get(f"/api/v1/councils/izmir/{path}?per_page=500").status_code == 422


def test_the_document_says_how_to_authenticate_and_what_errors_look_like(app, world, api):
    """Each operation has a unique operationId; the bearer scheme is declared and required but where an operation is
    public; every error is documented as problem details, and the errors the server sends match that schema."""
    import jsonschema_rs  # schemathesis's validator

    document = app.test_client().get("/api/v1/openapi.json").json
    assert document["components"]["securitySchemes"]["bearer"] == {**document["components"]["securitySchemes"]
                                                                  ["bearer"], "type": "http", "scheme": "bearer"}
    assert document["security"] == [{"bearer": []}]
    operations = [(path, method, op) for path, item in document["paths"].items() for method, op in item.items()
                  if method in ("get", "post", "put", "patch", "delete")]
    ids = [op["operationId"] for _path, _method, op in operations]
    assert len(ids) == len(set(ids)) == len(operations)
    # Named by the job (the use case), in every app the process makes (each document names its own afresh).
    assert document["paths"]["/api/v1/councils/{council_slug}/members"]["post"]["operationId"] == "add_member"
    public = {(path, method) for path, method, op in operations if op.get("security") == []}
    assert ("/api/v1/councils/{council_slug}/applications", "post") in public
    assert ("/api/v1/councils/{council_slug}/members", "get") not in public
    for path, method, op in operations:
        expected = {"404", "422", "429", "503"} | (set() if (path, method) in public else {"401", "403", "409"})
        assert expected <= set(op["responses"]), (path, method)
    not_found = document["components"]["responses"]["NOT_FOUND"]["content"]
    assert list(not_found) == ["application/problem+json"]
    problem = document["components"]["schemas"]["Problem"]
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    answers = [api(None).get("/api/v1/councils/izmir/members"),
               api("kns_forged").get("/api/v1/councils/izmir/members"),
               admin.get("/api/v1/councils/izmir/members/00000000-0000-0000-0000-000000000000"),
               admin.post("/api/v1/councils/izmir/members", json={"category": "individual", "name": "A\x03b"}),
               app.test_client().delete("/api/v1/reference/provinces")]
    assert [a.status_code for a in answers] == [401, 401, 404, 422, 405]
    for answer in answers:
        assert answer.mimetype == "application/problem+json"
        jsonschema_rs.validate(problem, answer.json)


def test_every_operation_is_summarised_and_every_property_typed(app):
    """A client generator needs a summary per operation, a type per property and the server's address; money is a
    decimal string (as it is sent), never a number a float would round."""
    document = app.test_client().get("/api/v1/openapi.json").json
    assert document["servers"] == [{"url": "http://konsey.test", "description": "This installation"}]
    unsummarised = [f"{method} {path}" for path, item in document["paths"].items() for method, op in item.items()
                    if method in ("get", "post", "put", "patch", "delete") and not op.get("summary")]
    assert unsummarised == []
    untyped = []

    def walk(schema, where):
        if not isinstance(schema, dict) or {"$ref", "allOf", "oneOf", "anyOf"} & set(schema):
            return
        if "type" not in schema:
            untyped.append(where)
        for name, inner in (schema.get("properties") or {}).items():
            walk(inner, f"{where}.{name}")
        walk(schema.get("items"), f"{where}[]")
        if schema.get("type") == "object" and not schema.get("properties") and "additionalProperties" not in schema:
            untyped.append(f"{where}{{}}")  # an object saying nothing of what it holds
        if isinstance(schema.get("additionalProperties"), dict):
            walk(schema["additionalProperties"], f"{where}{{*}}")
        elif schema.get("additionalProperties") is True:
            untyped.append(f"{where}{{any}}")  # extra properties of no stated type

    for name, schema in document["components"]["schemas"].items():
        walk(schema, name)
    # What the operations take and give: every body and every answer but "no content" says its media type.
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            for status, answer in operation["responses"].items():
                if status.startswith("2") and status != "204" and not answer.get("content"):
                    untyped.append(f"{method} {path} {status} (no content)")
                for media, described in (answer.get("content") or {}).items():
                    if media.endswith("json"):
                        walk(described.get("schema"), f"{method} {path} {status}")
            for media, described in ((operation.get("requestBody") or {}).get("content") or {}).items():
                walk(described.get("schema"), f"{method} {path} body")
    assert untyped == []
    # What the server also answers: a body that is not JSON (400), an archived council (410), a suspended one's
    # writes (423); the challenge of a 401 and the wait of a 429 are said as headers.
    members = document["paths"]["/api/v1/councils/{council_slug}/members"]
    assert {"400", "410", "423"} <= set(members["post"]["responses"]) and "423" not in members["get"]["responses"]
    answers = document["components"]["responses"]
    assert "WWW-Authenticate" in answers["UNAUTHORIZED"]["headers"]
    assert "Retry-After" in answers["TOO_MANY_REQUESTS"]["headers"]
    amount = document["components"]["schemas"]["Expense"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["format"] == "decimal"
    assert document["components"]["schemas"]["Vote"]["properties"]["turnout"]["type"] == "integer"
    assert document["components"]["schemas"]["Vote"]["properties"]["kind"]["type"] == "string"


def test_every_api_answer_the_suite_sees_is_held_to_the_document(app, world, api):
    """The apps' test client validates each API answer against the OpenAPI document (tests/support/contract.py):
    a body, a status or a media type the document does not describe fails the test that received it."""
    from support.contract import DocumentedClient, check_answer

    assert app.test_client_class is DocumentedClient
    provinces = api(None).get("/api/v1/reference/provinces")
    check_answer(app, provinces)  # as it came: what the document says
    provinces.set_data(b'[{"code": "35"}]')  # a name the document requires is missing
    with pytest.raises(AssertionError, match="provinces"):
        check_answer(app, provinces)
    council = world.council("izmir")
    admin = api(world.token(world.user("gs@izmir.example.org", roles={council: "administrator"}), council))
    missing = admin.get("/api/v1/councils/izmir/members/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    missing.set_data(b'{"status": "404", "title": "Not found"}')  # a string status, as flask-smorest's own said
    with pytest.raises(AssertionError, match="404"):
        check_answer(app, missing)
