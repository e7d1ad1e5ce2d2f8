"""Free ports for test servers, without the bind-release race.

Asking the system for a free port (bind to port 0, read it, close) and handing it to a server
that binds it a moment later is a race: another process may take the port in between. Servers
that cannot be given an open socket (Streamlit, PostgreSQL) are instead started on a candidate
port, and started again on another one when they report that the port is taken.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

ATTEMPTS = 5
# What Streamlit and PostgreSQL print when their port is taken.
PORT_TAKEN = ("already in use", "could not bind", "address in use")


class PortTakenError(Exception):
    """The server could not bind its port: another process took it first."""


def candidate_port() -> int:
    """A port that was free a moment ago (it may be taken by the time it is used)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def says_port_taken(log: str) -> bool:
    """Whether a server's log says it could not bind its port."""
    lowered = log.lower()
    return any(phrase in lowered for phrase in PORT_TAKEN)


def start_on_free_port(start: Callable[[int], T]) -> T:
    """`start(port)` on a candidate port, again on a new one each time it raises `PortTakenError`."""
    for _ in range(ATTEMPTS - 1):
        try:
            return start(candidate_port())
        except PortTakenError:
            continue
    return start(candidate_port())
