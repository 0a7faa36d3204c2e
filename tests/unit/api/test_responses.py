"""API JSON bodies: the same JSON the standard library writes, in UTF-8."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from registry_service.api.errors import NotFound
from registry_service.api.responses import json_response

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(json_values)
def test_body_decodes_to_the_data(data):
    response = json_response(data)
    assert json.loads(response.body.decode("utf-8")) == data


def test_content_type_status_and_headers():
    response = json_response({"a": "é"}, status=201, headers={"Retry-After": "3"})
    assert response.status == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Retry-After"] == "3"
    assert response.body == '{"a":"é"}'.encode()


def test_non_string_keys_written_as_strings_like_json_dumps():
    data = {1: "a", 2.5: "b", None: "c"}
    assert json.loads(json_response(data).body) == json.loads(json.dumps(data))


def test_api_error_body():
    response = NotFound("no_such_key", "There is no key x:y.").to_response()
    assert response.status == 404
    assert json.loads(response.body) == {
        "error": {"code": "no_such_key", "message": "There is no key x:y."}
    }


lone_surrogates = st.integers(0xD800, 0xDFFF).map(chr)


@given(st.lists(lone_surrogates | st.characters(), min_size=1).map("".join))
def test_text_that_is_not_unicode_is_escaped_not_an_error(text):
    # A client may send "\ud800" in JSON; an answer that echoes it must still be JSON.
    # (the same JSON the standard library writes: a surrogate pair reads back as one char)
    assert json.loads(json_response({"url": text}).body) == json.loads(json.dumps({"url": text}))
