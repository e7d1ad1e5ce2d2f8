"""A throwaway PostgreSQL server for the tests: started once, a fresh database per test, stopped
and deleted at the end. No system service is involved (Debian's refuses to start here).

The server is PostgreSQL's own `initdb` + `pg_ctl`, as pytest-postgresql does: a data folder in
/tmp owned by the `postgres` user (initdb refuses to run as root, so as root the commands run
through `runuser -u postgres`), trust authentication, listening on 127.0.0.1 at a free port and
on a Unix socket inside the data folder. Durability is switched off: a test database is never
worth an fsync.

Binaries are looked for on PATH, then through `pg_config --bindir`, then in
/usr/lib/postgresql/*/bin (Debian), newest version first. Without them the tests fail, never
skip, and say how to install them.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.support.ports import PortTakenError, says_port_taken, start_on_free_port

SUPERUSER = "postgres"
START_TIMEOUT_SECONDS = 60
# Each Store pools up to 15 connections; the concurrency tests run two of them, plus Streamlit
# servers sharing one database in the browser tests.
MAX_CONNECTIONS = 200
SETTINGS = {
    "listen_addresses": "127.0.0.1",
    "max_connections": str(MAX_CONNECTIONS),
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
INSTALL_HINT = (
    "The storage tests need a PostgreSQL server's programs (initdb, pg_ctl). Install them with "
    "`apt-get install postgresql` on Debian (as root; `make test-tools` does it), or put a "
    "PostgreSQL bin folder on PATH."
)


def find_bindir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    on_path = shutil.which("pg_ctl")
    if on_path and (Path(on_path).parent / "initdb").exists():
        return Path(on_path).parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(result.stdout.strip())
        if result.returncode == 0 and (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder

    def version(folder: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", folder.parent.name))

    debian = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=version, reverse=True)
    return next((folder for folder in debian if (folder / "pg_ctl").exists() and (folder / "initdb").exists()), None)


@dataclass
class PostgresServer:
    """A running server; `url(name)` for SQLAlchemy, `create_database()` for a fresh database."""

    bindir: Path
    folder: Path
    port: int

    @property
    def datadir(self) -> Path:
        return self.folder / "data"

    def url(self, dbname: str) -> str:
        """The SQLAlchemy URL of a database on this server (psycopg 3 driver, superuser, no password)."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a random name unless given) and return its name."""
        name = name or f"test_{secrets.token_hex(6)}"
        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, disconnecting whoever still uses it (a Streamlit server, a pool)."""
        with self._admin() as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True, connect_timeout=10
        )

    # -- life cycle ----------------------------------------------------------------------------

    @classmethod
    def start(cls) -> PostgresServer:
        """initdb into a new folder and start the server; pytest.fail with the log if it does not come up."""
        bindir = find_bindir()
        if bindir is None:
            pytest.fail(INSTALL_HINT, pytrace=False)
        # Not under pytest's tmp_path: its folders are private to root, and the server runs as postgres.
        folder = Path(tempfile.mkdtemp(prefix="quiz-pg-"))
        server = cls(bindir, folder, 0)
        if _as_root():
            try:
                shutil.chown(folder, user=SUPERUSER, group=SUPERUSER)
            except LookupError:
                server.remove()
                pytest.fail(
                    f"Running the tests as root needs a `{SUPERUSER}` user to run PostgreSQL as. {INSTALL_HINT}",
                    pytrace=False,
                )
        server._run("initdb", "-D", str(server.datadir), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        return start_on_free_port(server._listen)

    def _listen(self, port: int) -> PostgresServer:
        """Start the server on `port`; PortTakenError if another process holds it."""
        self.port = port
        options = " ".join([f"-p {port}", f"-k {self.folder}", *(f"-c {k}={v}" for k, v in SETTINGS.items())])
        log = self.folder / "server.log"
        log.unlink(missing_ok=True)
        try:
            self._run(
                "pg_ctl",
                "-D",
                str(self.datadir),
                "-o",
                options,
                "-l",
                str(log),
                "-w",
                "-t",
                str(START_TIMEOUT_SECONDS),
                "start",
            )
        except subprocess.CalledProcessError as error:
            text = log.read_text(errors="replace") if log.exists() else ""
            if says_port_taken(text):
                raise PortTakenError(port) from error
            self.remove()
            pytest.fail(f"PostgreSQL did not start: {error}\n{error.stdout}\n{error.stderr}\n{text}", pytrace=False)
        return self

    def stop(self) -> None:
        """Stop the server at once (its data is thrown away) and delete its folder."""
        try:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        finally:
            self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if _as_root():
            if shutil.which("runuser") is None:
                pytest.fail("As root, the tests need `runuser` (util-linux) to start PostgreSQL as postgres.")
            command = ["runuser", "-u", SUPERUSER, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, cwd=self.folder)


def _as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
