"""`python -m tools.admin` against the running local server and as for a stack."""

import os
import re

import pytest

pytestmark = pytest.mark.e2e


def _created(output: str) -> tuple[str, str]:
    """The token id and the secret that create-token printed."""
    token_id = re.search(r"token (\w+) \(", output)[1]
    secret = re.search(r"^ +(clk_\S+)$", output, re.MULTILINE)[1]
    return token_id, secret


def test_tokens_are_created_listed_and_revoked_without_showing_secrets(
    admin, api, new_owner
):
    owner = new_owner()
    made = admin(
        "create-token",
        *("--owner", owner.name, "--name", "ci job", "--scope", "api"),
        *("--expires-in-days", "7"),
    )
    token_id, secret = _created(made.stdout)
    works = api.with_token(secret).get("/active").status

    listed = admin("list-tokens", "--owner", owner.name)
    revoked = admin("revoke-token", "--owner", owner.name, token_id)
    refused = api.with_token(secret).get("/active").status
    listed_after = admin("list-tokens", "--owner", owner.name)

    assert made.returncode == listed.returncode == revoked.returncode == 0
    assert works == 200
    assert refused == 403
    header, *rows = listed.stdout.splitlines()
    assert header.split() == ["ID", "SCOPE", "CREATED", "EXPIRES", "NAME"]
    instant = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert any(
        re.fullmatch(rf"{token_id} +api +{instant} +{instant} +ci job", row)
        for row in rows
    ), listed.stdout
    assert "clk_" not in listed.stdout
    assert not re.search(r"[0-9a-f]{64}", listed.stdout)
    assert token_id not in listed_after.stdout


def test_revoking_an_unknown_token_fails_with_a_message(admin, new_owner):
    owner = new_owner()

    answer = admin("revoke-token", "--owner", owner.name, "0123456789ab")

    assert answer.returncode == 1
    assert "0123456789ab" in answer.stderr
    assert "list-tokens" in answer.stderr


def test_without_a_running_server_the_command_says_what_to_do(admin_command, tmp_path):
    answer = admin_command(
        "list-tokens", "--owner", "local", "--data-dir", str(tmp_path)
    )

    assert answer.returncode == 1
    assert "make run" in answer.stderr
    assert "--entries-table" in answer.stderr


def test_deployed_tables_are_reached_with_the_usual_aws_settings(
    server, http, admin_command
):
    # The stack's tables, as boto3 finds them: here DynamoDB Local stands in.
    endpoint = server.endpoint
    if endpoint.endpoint_url is None:
        pytest.skip("the server keeps its database in memory (moto), out of reach")
    aws = {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ENDPOINT_URL_DYNAMODB": endpoint.endpoint_url,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    tables = ("--entries-table", endpoint.entries_table)
    tables += ("--tokens-table", endpoint.tokens_table)
    # The form of the stack output CalendarFeedUrl.
    feed_output = f"{http.base_url}/calendar.ics?token="

    made = admin_command(
        "create-token",
        *("--owner", "e2e-stack-owner", "--name", "phone", "--scope", "feed"),
        *("--feed-url", feed_output, *tables),
        environment=aws,
    )
    zoned = admin_command(
        "set-time-zone", "--owner", "e2e-stack-owner", "Asia/Tokyo", *tables,
        environment=aws,
    )  # fmt: skip
    listed = admin_command(
        "list-tokens", "--owner", "e2e-stack-owner", *tables, environment=aws
    )

    assert made.returncode == zoned.returncode == listed.returncode == 0, made.stderr
    feed_url = re.search(r"^ +(http://\S+)$", made.stdout, re.MULTILINE)[1]
    assert feed_url.startswith(feed_output + "clk_")
    assert http.get(feed_url.removeprefix(http.base_url)).status == 200
    assert "phone" in listed.stdout
    assert "Asia/Tokyo" in zoned.stdout
