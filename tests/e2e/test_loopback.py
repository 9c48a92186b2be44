"""The local server and its database are reachable from this machine only."""

import re
import socket
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

LISTEN = "0A"
LOOPBACK = {"127.0.0.1", "::ffff:127.0.0.1"}


def _listening_addresses(port: int) -> set[str]:
    """Addresses with a listening TCP socket on `port`, read from /proc/net."""
    found = set()
    for name, family in (("tcp", socket.AF_INET), ("tcp6", socket.AF_INET6)):
        table = Path("/proc/net") / name
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state != LISTEN or int(port_hex, 16) != port:
                continue
            # The kernel prints each 32-bit word of the address in host byte order.
            words = bytes.fromhex(address)
            raw = b"".join(words[i : i + 4][::-1] for i in range(0, len(words), 4))
            found.add(socket.inet_ntop(family, raw))
    return found


@pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc/net/tcp"
)
def test_the_api_and_its_database_listen_on_loopback_only(server):
    ports = [server.port]
    database = re.search(r"DynamoDB Local on http://127\.0\.0\.1:(\d+)", server.output)
    if database:
        ports.append(int(database[1]))

    for port in ports:
        addresses = _listening_addresses(port)
        assert addresses, f"nothing listens on port {port}"
        assert addresses <= LOOPBACK, f"port {port} listens on {addresses}"
