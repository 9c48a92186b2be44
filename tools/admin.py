"""Tokens and time zones of owners: `python -m tools.admin COMMAND ...`.

By default it works on the database of the running local server (`make run`),
found through the file that server keeps in its data folder while it runs. With
--entries-table and --tokens-table (the stack outputs EntriesTableName and
TokensTableName) it works on a deployed stack, with your own AWS credentials.
Exit status: 0 done, 1 failed, 2 bad usage.
"""

import argparse
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import available_timezones

import boto3
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
)

from tools import dynamodb_local
from tools.local_api import (
    DEFAULT_DATA_DIR,
    endpoint_path,
    process_alive,
    put_layers_on_path,
    read_endpoint,
)
from tools.template import load_template

EXIT_FAILED = 1
TOKEN_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TOKEN_NAME = 100
MAX_EXPIRY_DAYS = 3650


class AdminError(Exception):
    """The command could not be done; the message says why."""


@dataclass
class Target:
    """The two tables a command works on, and where feed URLs begin."""

    client: Any
    entries_table: str
    tokens_table: str
    local: bool
    feed_url: str | None = None


# --- arguments --------------------------------------------------------------------


def owner_name(text: str) -> str:
    from clocks.tokens import check_owner

    try:
        return check_owner(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def token_name(text: str) -> str:
    name = text.strip()
    if not name or len(name) > MAX_TOKEN_NAME or not name.isprintable():
        raise argparse.ArgumentTypeError(
            f"a token name is 1 to {MAX_TOKEN_NAME} printable characters"
        )
    return name


def token_id(text: str) -> str:
    if not TOKEN_ID_PATTERN.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a token id; list-tokens shows them"
        )
    return text


def expiry_days(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_EXPIRY_DAYS:
        raise argparse.ArgumentTypeError(
            f"give a whole number of days from 1 to {MAX_EXPIRY_DAYS}, not {text!r}"
        )
    return int(text)


def zone_name(text: str) -> str:
    if text not in available_timezones():
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an IANA time zone such as Europe/Berlin or "
            "America/New_York"
        )
    return text


def feed_base(text: str) -> str:
    if not re.match(r"https?://[^/?#\s]+", text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an http(s) URL such as the stack output CalendarFeedUrl"
        )
    return text


def parser() -> argparse.ArgumentParser:
    where = argparse.ArgumentParser(add_help=False)
    group = where.add_argument_group("where (default: the running local server)")
    group.add_argument(
        "--data-dir",
        type=Path,
        help="data folder of the local server (default: CLOCKS_DATA_DIR "
        "or .clocks-data)",
    )
    group.add_argument(
        "--entries-table", metavar="NAME", help="stack output EntriesTableName"
    )
    group.add_argument(
        "--tokens-table", metavar="NAME", help="stack output TokensTableName"
    )
    group.add_argument(
        "--region", help="region of the deployed tables (default: your AWS config)"
    )
    owner = argparse.ArgumentParser(add_help=False)
    owner.add_argument(
        "--owner", required=True, type=owner_name, help="whose tokens or zone"
    )

    main_parser = argparse.ArgumentParser(
        prog="python -m tools.admin",
        description="Tokens and time zones of Clocks owners.",
    )
    commands = main_parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND"
    )
    create = commands.add_parser(
        "create-token",
        parents=[owner, where],
        help="make a token; its secret is shown this once",
    )
    create.add_argument("--name", required=True, type=token_name, help="a label")
    create.add_argument(
        "--scope",
        required=True,
        choices=("api", "feed"),
        help="api: Bearer token of the JSON API; feed: ?token= of the calendar feed",
    )
    create.add_argument(
        "--expires-in-days", type=expiry_days, metavar="N", help="default: never"
    )
    create.add_argument(
        "--feed-url",
        type=feed_base,
        metavar="BASE",
        help="feed address to print the ready URL with, e.g. the stack output "
        "CalendarFeedUrl (default for the local server: its /calendar.ics)",
    )
    commands.add_parser(
        "list-tokens", parents=[owner, where], help="the owner's tokens, no secrets"
    )
    revoke = commands.add_parser(
        "revoke-token", parents=[owner, where], help="delete one of the owner's tokens"
    )
    revoke.add_argument("token_id", metavar="TOKEN_ID", type=token_id)
    zone = commands.add_parser(
        "set-time-zone",
        parents=[owner, where],
        help="the zone of the owner's wall-clock times and periods",
    )
    zone.add_argument("zone", metavar="ZONE", type=zone_name, help="IANA name")
    week = commands.add_parser(
        "set-week-start",
        parents=[owner, where],
        help="the day the owner's weeks start on",
    )
    week.add_argument("day", metavar="DAY", choices=("monday", "sunday"))
    for command_parser in commands.choices.values():
        # Usage errors found after parsing are told with the command's own usage.
        command_parser.set_defaults(usage=command_parser)
    return main_parser


# --- where the tables are ---------------------------------------------------------


def _local_target(data_dir: Path) -> Target:
    path = endpoint_path(data_dir)
    try:
        endpoint = read_endpoint(data_dir)
    except FileNotFoundError:
        raise AdminError(
            f"no local server runs on the data in {data_dir}: start it with "
            "`make run` (or point --data-dir at its CLOCKS_DATA_DIR), or name a "
            "deployed stack's tables with --entries-table and --tokens-table"
        ) from None
    except (OSError, ValueError) as error:
        raise AdminError(f"cannot read {path}: {error}") from None
    if not process_alive(endpoint.pid):
        raise AdminError(
            f"the local server that wrote {path} (pid {endpoint.pid}) has stopped; "
            "start it again with `make run`"
        )
    if endpoint.endpoint_url is None:
        raise AdminError(
            "the local server keeps its database in memory (moto) inside its own "
            "process, out of this command's reach; let it run DynamoDB Local "
            "(Java 17+) or start it with DYNAMODB_ENDPOINT_URL"
        )
    if endpoint.dummy_credentials:
        client = dynamodb_local.local_client(endpoint.endpoint_url)
    else:
        client = boto3.client(
            "dynamodb", endpoint_url=endpoint.endpoint_url, region_name=endpoint.region
        )
    return Target(
        client,
        endpoint.entries_table,
        endpoint.tokens_table,
        local=True,
        feed_url=endpoint.feed_url,
    )


def target_of(args: argparse.Namespace) -> Target:
    """The tables named on the command line, or the local server's."""
    usage = args.usage
    deployed = args.entries_table or args.tokens_table
    if deployed and not (args.entries_table and args.tokens_table):
        usage.error("--entries-table and --tokens-table go together")
    if deployed and args.data_dir:
        usage.error("--data-dir is for the local server, not for deployed tables")
    if args.region and not deployed:
        usage.error("--region goes with --entries-table and --tokens-table")
    if not deployed:
        data_dir = (
            args.data_dir or os.environ.get("CLOCKS_DATA_DIR") or DEFAULT_DATA_DIR
        )
        return _local_target(Path(data_dir).resolve())
    try:
        client = boto3.client("dynamodb", region_name=args.region)
    except NoRegionError:
        raise AdminError(
            "no AWS region is configured: pass --region, or set AWS_DEFAULT_REGION "
            "or a region in your AWS profile"
        ) from None
    return Target(client, args.entries_table, args.tokens_table, local=False)


def _database_error(error: Exception, target: Target) -> AdminError:
    if isinstance(error, NoCredentialsError):
        return AdminError("no AWS credentials found; configure them as for the AWS CLI")
    if isinstance(error, EndpointConnectionError):
        where = "the local server's database" if target.local else "DynamoDB"
        return AdminError(f"cannot reach {where}: {error}")
    if isinstance(error, ClientError):
        code = error.response["Error"]["Code"]
        if code == "ResourceNotFoundException":
            return AdminError(
                f"table {target.entries_table} or {target.tokens_table} does not "
                "exist there; check the names and the region"
            )
        return AdminError(f"DynamoDB refused ({code}): {error}")
    return AdminError(f"DynamoDB failed: {error}")


# --- commands ---------------------------------------------------------------------


def feed_url_with(base: str, secret: str) -> str:
    """The feed URL carrying the token; `base` may end in ?token= like the output."""
    token = quote(secret, safe="")
    if base.endswith("token="):
        return base + token
    return f"{base}{'&' if '?' in base else '?'}token={token}"


def create_token(args: argparse.Namespace, target: Target) -> int:
    from clocks.periods import utc_now
    from clocks.times import format_instant
    from clocks.tokens import TokenStore

    store = TokenStore(target.client, target.tokens_table)
    now = utc_now()
    expires = None
    if args.expires_in_days:
        expires = now + timedelta(days=args.expires_in_days)

    secret, token = store.create(args.owner, args.name, args.scope, now, expires)

    until = f"expires {format_instant(expires)}" if expires else "never expires"
    print(
        f"Created {token.scope} token {token.token_id} ({token.name}) for "
        f"{token.owner}; it {until}."
    )
    print("Its secret, shown only this once:")
    print(f"\n    {secret}\n")
    if token.scope == "api":
        print("Send it as the header  Authorization: Bearer <secret>")
        return 0
    base = args.feed_url or target.feed_url
    if base:
        print("Feed URL to subscribe to in a calendar app:")
        print(f"\n    {feed_url_with(base, secret)}\n")
    else:
        print("Append it to the stack output CalendarFeedUrl (or pass --feed-url).")
    return 0


def list_tokens(args: argparse.Namespace, target: Target) -> int:
    from clocks.periods import utc_now
    from clocks.times import format_instant
    from clocks.tokens import TokenStore

    tokens = TokenStore(target.client, target.tokens_table).list(args.owner)

    if not tokens:
        print(f"{args.owner} has no tokens.")
        return 0
    now = utc_now()
    rows = [("ID", "SCOPE", "CREATED", "EXPIRES", "NAME")]
    for token in tokens:
        expires = "never"
        if token.expires_at is not None:
            expires = format_instant(token.expires_at)
            expires += " (expired)" if token.expires_at <= now else ""
        created = format_instant(token.created_at)
        rows.append((token.token_id, token.scope, created, expires, token.name))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        cells = [row[column].ljust(widths[column]) for column in range(4)]
        print("  ".join([*cells, row[4]]))
    return 0


def revoke_token(args: argparse.Namespace, target: Target) -> int:
    from clocks.tokens import TokenStore

    revoked = TokenStore(target.client, target.tokens_table).revoke(
        args.owner, args.token_id
    )

    if not revoked:
        raise AdminError(
            f"{args.owner} has no token {args.token_id}; list-tokens shows the ids"
        )
    print(f"Revoked token {args.token_id} of {args.owner}.")
    if not target.local:
        print(
            "The feed refuses it at once; API Gateway may still let it through for "
            "as long as it caches answers (AuthorizerCacheSeconds, 300 s by default)."
        )
    return 0


def set_time_zone(args: argparse.Namespace, target: Target) -> int:
    from clocks.storage import EntryStore
    from clocks.tokens import TokenStore

    entries = EntryStore(target.client, target.entries_table)
    before = entries.time_zone_of(args.owner)

    entries.set_time_zone(args.owner, args.zone)

    print(
        f"{args.owner} now sees wall-clock times and periods in {args.zone} "
        f"(before: {before or 'the stack default TimeZone'})."
    )
    if not TokenStore(target.client, target.tokens_table).list(args.owner):
        print(f"note: {args.owner} has no tokens yet", file=sys.stderr)
    return 0


def set_week_start(args: argparse.Namespace, target: Target) -> int:
    from clocks.storage import EntryStore

    EntryStore(target.client, target.entries_table).set_week_start(args.owner, args.day)
    print(f"{args.owner}'s weeks now start on {args.day.capitalize()}.")
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace, Target], int]] = {
    "create-token": create_token,
    "list-tokens": list_tokens,
    "revoke-token": revoke_token,
    "set-time-zone": set_time_zone,
    "set-week-start": set_week_start,
}


def main(argv: list[str] | None = None) -> int:
    # The commands use the layer's rules and stores, as the functions do.
    put_layers_on_path(load_template())
    args = parser().parse_args(argv)
    if args.command == "create-token" and args.feed_url and args.scope != "feed":
        args.usage.error("--feed-url goes with --scope feed")
    try:
        target = target_of(args)
        try:
            return COMMANDS[args.command](args, target)
        except (BotoCoreError, ClientError) as error:
            raise _database_error(error, target) from None
    except AdminError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
