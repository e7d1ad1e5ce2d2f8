"""The nginx configuration in front of several app processes on one machine.

The http-level rules (sticky sessions by cookie, websockets, timeouts) live in
`nginx.conf.template`, shared with the containers of compose.yaml; this module wraps them in a
whole configuration that runs in the foreground, unprivileged or as root, with every file under
one prefix folder, as the tests, the load benchmark and `make serve` need.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from string import Template

__all__ = ["NGINX", "ROUTE_COOKIE", "TEMPLATE", "nginx_config"]

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX = Path("/usr/sbin/nginx")  # Debian's
# The cookie whose hash picks a browser's app process (named in the template).
ROUTE_COOKIE = "quiz_route"


def nginx_config(prefix: Path, listen: str, upstreams: Sequence[str], as_root: bool = False) -> str:
    """A whole nginx.conf: the template's rules, listening on `listen` ("127.0.0.1:8500"), in
    front of `upstreams` ("127.0.0.1:8501", ...), with pid, logs and temporary files in `prefix`.

    As root, nginx's workers would drop to `nobody`, who cannot write in a folder made by root:
    `as_root` keeps them as root (this configuration only serves loopback and containers).

    Raises:
        ValueError: no upstream.
    """
    if not upstreams:
        raise ValueError("nginx needs at least one app process to send requests to")
    rules = Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
        QUIZ_LISTEN=listen,
        QUIZ_UPSTREAM_SERVERS="\n".join(f"    server {address} max_fails=0;" for address in upstreams),
    )
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    user = "user root;\n" if as_root else ""
    return (
        f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        "events { worker_connections 4096; }\n"
        f"http {{\n    access_log off;\n{temp}\n{rules}\n}}\n"
    )
