"""What every function answers to requests it cannot read."""

import pytest

BODY_FUNCTIONS = ["start_timer", "quick_book", "update_entry", "batch_invoice"]


@pytest.mark.parametrize("function", BODY_FUNCTIONS)
@pytest.mark.parametrize("body", ["{", '{"customer": "Acme",}', "customer=Acme", "'x'"])
def test_malformed_json_is_400(api, function, body):
    reply = api(function, body=body)

    assert reply.status == 400
    assert reply.message == "the body is not valid JSON"


@pytest.mark.parametrize("function", BODY_FUNCTIONS)
@pytest.mark.parametrize("body", ["[]", "null", "42", '"text"'])
def test_json_that_is_not_an_object_is_400(api, function, body):
    reply = api(function, body=body)

    assert reply.status == 400
    assert "object" in reply.message


@pytest.mark.parametrize("function", BODY_FUNCTIONS)
def test_a_missing_body_is_400(api, function):
    reply = api(function, body=None)

    assert reply.status == 400
    assert "body" in reply.message


@pytest.mark.parametrize("function", BODY_FUNCTIONS)
@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "text/json"]
)
def test_a_body_of_another_content_type_is_415(api, function, content_type):
    reply = api(function, headers={"content-type": content_type})

    assert reply.status == 415
    assert "application/json" in reply.message


def test_a_charset_parameter_and_upper_case_are_fine(api):
    reply = api(
        "start_timer", headers={"content-type": "Application/JSON; charset=UTF-8"}
    )

    assert reply.status == 201


def test_a_base64_encoded_body_is_read(api):
    reply = api("start_timer", body='{"customer": "Café Ünal"}'.encode())

    assert reply.status == 201
    assert reply.json["customer"] == "Café Ünal"


def test_a_body_that_is_not_utf8_is_a_client_error(api):
    reply = api("start_timer", body=b'{"customer": "Caf\xe9"}')

    assert 400 <= reply.status < 500
    assert reply.message


def test_an_unknown_path_is_404_json(api):
    reply = api("list_entries", path="/api/clocks/entry")

    assert reply.status == 404
    assert reply.message


def test_a_function_answers_only_its_own_method(api):
    reply = api("list_entries", method="DELETE")

    assert reply.status in {404, 405}
    assert reply.message


def test_too_many_query_parameters_are_422(api):
    reply = api("list_entries", query="&".join(f"p{number}=1" for number in range(60)))

    assert reply.status == 422


@pytest.mark.parametrize(
    "query", ["customer=%ZZ", "customer=%FF%FE", "customer=a%00b", "=x", "&&&"]
)
def test_odd_query_strings_never_cause_a_server_error(api, query):
    reply = api("list_entries", query=query)

    assert reply.status < 500


@pytest.mark.parametrize("function", BODY_FUNCTIONS)
def test_a_body_over_64_kib_is_refused_with_413_and_nothing_is_written(
    api, listed, function
):
    body = {"customer": "Acme Corp", "notes": "x" * (65 * 1024)}

    reply = api(function, body=body)

    assert reply.status == 413
    assert "64 KiB" in reply.message
    assert listed() == []
    assert api("get_active_timer").json == {"active": False}


@pytest.mark.parametrize(("size", "status"), [(64 * 1024, 201), (64 * 1024 + 1, 413)])
def test_the_limit_is_exactly_64_kib(api, size, status):
    # JSON allows any amount of blank space between its tokens.
    start, end = '{"customer": "Acme Corp"', "}"
    body = start + " " * (size - len(start) - len(end)) + end

    reply = api("start_timer", body=body)

    assert len(body) == size
    assert reply.status == status


def test_the_limit_counts_bytes_not_characters(api, listed):
    # 60,000 euro signs are 180,000 bytes of UTF-8.
    body = '{"customer": "Acme Corp", "notes": "' + "€" * 60_000 + '"}'

    reply = api("start_timer", body=body)

    assert reply.status == 413
    assert api("get_active_timer").json == {"active": False}
