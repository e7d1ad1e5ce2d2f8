"""`python -m deploy.serve --servers 2`: several app processes behind nginx on this machine,
sharing one database, until Ctrl-C (what `make serve SERVERS=2` runs).

The database is `DATABASE_URL` when it is set. Otherwise one server uses the default SQLite
file, and several use a PostgreSQL of their own whose data is kept in `var/postgres/` (made on
first use, with the PostgreSQL programs Debian's `postgresql` package installs): Streamlit keeps
each person's session in one process, so the processes share nothing but the database, and
PostgreSQL is the database made for several writers.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from deploy.stack import HOST, Stack, StartError, start_nginx, start_postgres, start_streamlit

ROOT = Path(__file__).resolve().parent.parent
KEPT_POSTGRES = Path("var") / "postgres"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="app processes (default: 2)")
    parser.add_argument("--port", type=int, default=8500, help="the port nginx listens on (default: 8500)")
    return parser


def serve(servers: int, port: int) -> int:
    """Start everything, say where it is, wait for Ctrl-C or SIGTERM, stop everything."""
    stack = Stack(Path(tempfile.mkdtemp(prefix="quiz-serve-")))
    try:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if "DATABASE_URL" not in env and servers > 1:
            env["DATABASE_URL"] = start_postgres(stack, keep=(ROOT / KEPT_POSTGRES).resolve())
            print(f"PostgreSQL of its own, data in {KEPT_POSTGRES}/", flush=True)
        if servers == 1:
            ports = [start_streamlit(stack, "app.py", ROOT, env, [], 0, port=port)]
            entry = port
        else:
            ports = [start_streamlit(stack, "app.py", ROOT, env, [], i) for i in range(servers)]
            entry = start_nginx(stack, ports, listen=port)
        print(f"{servers} app process(es) on ports {', '.join(map(str, ports))}", flush=True)
        print(f"Open http://{HOST}:{entry}  (Ctrl-C stops everything)", flush=True)
        # Explicitly: a process started in the background of a script inherits SIGINT ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        while all(process.popen.poll() is None for process in stack.processes):
            time.sleep(1)
        print("A process stopped; stopping the others.", file=sys.stderr)
        return 1
    except StartError as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stack.close()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.servers < 1:
        print("--servers must be at least 1", file=sys.stderr)
        return 2
    return serve(args.servers, args.port)


if __name__ == "__main__":
    sys.exit(main())
