"""The per-request stack on a real server: error model, metrics of every answer, access log."""

from __future__ import annotations

import io
import json
import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from registry_service.api.boundary import add_fallback, add_route
from registry_service.api.errors import BadRequest
from registry_service.api.proxies import parse_networks, proxy_middleware
from registry_service.logs import AccessLogger, JsonFormatter, access_logger_class
from registry_service.metrics import HTTP


def requests_counted(method: str, route: str, status: int) -> int:
    return HTTP.requests(method, route, status)


async def ok(request: web.Request) -> web.Response:
    return web.json_response({"id": request.match_info["id"]})


async def bad(request: web.Request) -> web.Response:
    raise BadRequest("bad_thing", "That thing is bad.")


async def moved(request: web.Request) -> web.Response:
    raise web.HTTPFound("/stack-test/items/1")


async def broken(request: web.Request) -> web.Response:
    raise RuntimeError("a bug")


@pytest.fixture
def access_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("omniflattr.test-access")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.INFO)
    yield logger, stream
    logger.handlers.clear()


@pytest.fixture
async def client(aiohttp_client, access_log):
    app = web.Application()
    add_route(app, "GET", "/stack-test/items/{id}", ok)
    add_route(app, "GET", "/stack-test/bad", bad)
    add_route(app, "GET", "/stack-test/moved", moved)
    add_route(app, "GET", "/stack-test/broken", broken)
    add_fallback(app)
    server = TestServer(app)  # the runner's options are only taken by start_server
    await server.start_server(access_log=access_log[0], access_log_class=AccessLogger)
    return await aiohttp_client(server)


async def test_answers_are_counted_by_route_template(client):
    before = requests_counted("GET", "/stack-test/items/{id}", 200)
    for n in range(3):
        assert (await client.get(f"/stack-test/items/{n}")).status == 200
    assert requests_counted("GET", "/stack-test/items/{id}", 200) == before + 3


async def test_errors_keep_the_error_model_and_are_counted(client):
    counted = {
        status: requests_counted("GET", route, status)
        for route, status in (("/stack-test/bad", 400), ("/stack-test/broken", 500))
    }
    response = await client.get("/stack-test/bad")
    assert response.status == 400
    expected = {"error": {"code": "bad_thing", "message": "That thing is bad."}}
    assert await response.json() == expected
    response = await client.get("/stack-test/broken")
    assert response.status == 500
    body = await response.json()
    assert body["error"]["code"] == "internal_error"
    assert "a bug" not in json.dumps(body)
    assert requests_counted("GET", "/stack-test/bad", 400) == counted[400] + 1
    assert requests_counted("GET", "/stack-test/broken", 500) == counted[500] + 1


async def test_unmatched_path_is_a_json_404_counted_as_unmatched(client):
    before = requests_counted("GET", "unmatched", 404)
    response = await client.get("/stack-test/nowhere")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"
    assert requests_counted("GET", "unmatched", 404) == before + 1


async def test_a_path_with_an_encoded_newline_is_a_json_404_too(client):
    response = await client.get("/stack-test/a%0Ab")
    assert response.status == 404
    assert (await response.json())["error"]["code"] == "not_found"


async def test_a_known_path_with_another_method_is_a_json_405_naming_the_allowed(client):
    before = requests_counted("DELETE", "unmatched", 405)
    response = await client.delete("/stack-test/items/3")
    assert response.status == 405
    assert response.headers["Allow"] == "GET"
    assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert requests_counted("DELETE", "unmatched", 405) == before + 1


async def test_redirect_passes_through_and_is_counted(client):
    before = requests_counted("GET", "/stack-test/moved", 302)
    response = await client.get("/stack-test/moved", allow_redirects=False)
    assert response.status == 302
    assert response.headers["Location"] == "/stack-test/items/1"
    assert requests_counted("GET", "/stack-test/moved", 302) == before + 1


async def test_access_log_line_has_the_request_fields(client, access_log):
    _, stream = access_log
    await client.get("/stack-test/items/7?x=1")
    await client.get("/stack-test/bad")
    await client.close()  # the line is written after the answer is sent
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [(e["method"], e["path"], e["status"]) for e in lines] == [
        ("GET", "/stack-test/items/7", 200),
        ("GET", "/stack-test/bad", 400),
    ]
    first = lines[0]
    assert first["logger"] == "omniflattr.test-access" and first["level"] == "info"
    assert first["message"].startswith("GET /stack-test/items/7 200 ")
    assert first["duration_ms"] >= 0 and first["remote"] == "127.0.0.1"


async def test_access_log_silent_below_its_level(client, access_log):
    logger, stream = access_log
    logger.setLevel(logging.WARNING)
    assert (await client.get("/stack-test/items/1")).status == 200
    await client.close()
    assert stream.getvalue() == ""


async def test_a_lone_surrogate_echoed_in_an_answer_is_not_a_500(api):
    body = '{"urls": ["https://example.org/a\\ud800"]}'
    resp = await api.post(
        "/api/v1/resolve", data=body, headers={"Content-Type": "application/json"}
    )
    assert resp.status == 200, await resp.text()
    [result] = (await resp.json())["results"]
    assert result["url"] == "https://example.org/a\ud800"


async def test_a_body_its_content_encoding_cannot_decode_is_a_json_400(api):
    resp = await api.post(
        "/api/v1/resolve",
        data=b"this is not gzip",
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
    )
    assert resp.status == 400
    assert (await resp.json())["error"]["code"] == "invalid_body"


async def whoami(request: web.Request) -> web.Response:
    return web.json_response({"remote": request.remote})


async def test_behind_a_trusted_proxy_the_client_is_the_forwarded_address(
    aiohttp_client, access_log
):
    app = web.Application(middlewares=[proxy_middleware(parse_networks("127.0.0.1"))])
    app.router.add_get("/stack-test/whoami", whoami)
    server = TestServer(app)
    await server.start_server(
        access_log=access_log[0], access_log_class=access_logger_class("127.0.0.1")
    )
    client = await aiohttp_client(server)
    forwarded = {"X-Forwarded-For": "198.51.100.1, 203.0.113.7"}
    assert (await (await client.get("/stack-test/whoami", headers=forwarded)).json()) == {
        "remote": "203.0.113.7"
    }
    await client.close()
    [line] = [json.loads(line) for line in access_log[1].getvalue().splitlines()]
    assert line["remote"] == "203.0.113.7"


@pytest.mark.parametrize(("proxies", "logged"), [("127.0.0.1", "203.0.113.9"), ("", "127.0.0.1")])
async def test_behind_trusted_proxies_the_access_log_names_the_client(
    aiohttp_client, access_log, proxies, logged
):
    logger, stream = access_log
    networks = parse_networks(proxies)
    app = web.Application(middlewares=[proxy_middleware(networks)] if networks else [])
    add_route(app, "GET", "/stack-test/items/{id}", ok)
    server = TestServer(app)
    await server.start_server(access_log=logger, access_log_class=access_logger_class(proxies))
    client = await aiohttp_client(server)
    await client.get("/stack-test/items/1", headers={"X-Forwarded-For": "203.0.113.9"})
    await client.close()
    [line] = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert line["remote"] == logged
