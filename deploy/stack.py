"""The processes a deployment on one machine starts and always stops: Streamlit servers, an
nginx in front of several of them, a PostgreSQL of our own; and what /proc says they cost.
Used by `python -m deploy.serve` (make serve) and by the load benchmark (make load).

Ports: Streamlit cannot be told to bind port 0, so a free port is picked by binding port 0,
then released and handed to the server; another process can take it in between, so a server
that exits before it answers `/_stcore/health` (or logs that the port is in use) is started
again on another port, a few times. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeVar

from deploy.proxy import NGINX, nginx_config

HOST: Final = "127.0.0.1"
START_ATTEMPTS: Final = 5
HEALTH_TIMEOUT: Final = 60.0
STOP_TIMEOUT: Final = 10.0
PG_SUPERUSER: Final = "postgres"
CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")
PAGE_KB: Final = os.sysconf("SC_PAGE_SIZE") // 1024

T = TypeVar("T")


class StartError(RuntimeError):
    """A server did not come up; the message holds the end of its log."""


class PortTakenError(StartError):
    """The port was taken between picking it and binding it: try another."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def on_free_port(start: Callable[[int], T]) -> T:
    """`start(port)` on a fresh free port, again on another while it raises PortTakenError."""
    for attempt in range(START_ATTEMPTS):
        try:
            return start(free_port())
        except PortTakenError:
            if attempt == START_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _says_port_taken(text: str) -> bool:
    lowered = text.lower()
    return "already in use" in lowered or "address in use" in lowered or "could not bind" in lowered


@dataclass
class Process:
    """A child process with its log file; stopped by its own PID (and its process group)."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.popen.poll() is not None:
            return
        # Each child leads its own process group (start_new_session): signal only that group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(STOP_TIMEOUT)


def spawn(name: str, argv: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path) -> Process:
    with log.open("wb") as out:
        popen = subprocess.Popen(
            list(argv), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    return Process(name, popen, log)


def wait_healthy(process: Process, url: str, timeout: float = HEALTH_TIMEOUT) -> None:
    """Poll `url` until it answers 200; PortTakenError or StartError if the process dies first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            text = process.tail()
            if _says_port_taken(text):
                raise PortTakenError(text)
            raise StartError(f"{process.name} exited with {process.popen.returncode}:\n{text}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise StartError(f"{process.name} did not answer {url} within {timeout:.0f} s:\n{process.tail()}")


@dataclass
class Stack:
    """Everything started for one target; `close()` stops it all, newest first."""

    folder: Path
    processes: list[Process] = field(default_factory=list)
    cleanups: list[Callable[[], None]] = field(default_factory=list)
    server_pids: list[int] = field(default_factory=list)
    url: str = ""  # ws://host:port of the entry point (nginx or the only server)

    def close(self) -> None:
        """Stop the processes (newest first: the proxy, then the app servers), then run the
        cleanups (the database last, once nothing uses it). Ctrl-C cannot cut it short."""
        # Only the main thread may set signal handlers (the load driver closes from a worker).
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
        try:
            for process in reversed(self.processes):
                with contextlib.suppress(Exception):
                    process.stop()
            self.processes.clear()
            for cleanup in reversed(self.cleanups):
                with contextlib.suppress(Exception):
                    cleanup()
            self.cleanups.clear()
        finally:
            if main:
                signal.signal(signal.SIGINT, previous)


def start_streamlit(
    stack: Stack,
    script: str,
    cwd: Path,
    env: Mapping[str, str],
    extra: Sequence[str],
    index: int,
    port: int | None = None,
) -> int:
    """One `python -m streamlit run` on `port` (default: a free one); returns the port."""

    def start(port: int) -> int:
        argv = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            HOST,
            "--browser.gatherUsageStats",
            "false",
            *extra,
        ]
        process = spawn(f"streamlit-{index}", argv, cwd, env, stack.folder / f"streamlit-{index}.log")
        try:
            wait_healthy(process, f"http://{HOST}:{port}/_stcore/health")
        except StartError:
            process.stop()
            raise
        stack.processes.append(process)
        stack.server_pids.append(process.pid)
        return port

    return start(port) if port is not None else on_free_port(start)


def start_nginx(stack: Stack, ports: Sequence[int], listen: int | None = None) -> int:
    """Debian's nginx in the foreground with the repository's rules (`deploy.proxy`), in front
    of the app processes on `ports`, listening on `listen` (default: a free port); returns the
    port it listens on."""
    prefix = stack.folder / "nginx"
    prefix.mkdir(exist_ok=True)

    def start(port: int) -> int:
        conf = prefix / "nginx.conf"
        upstreams = [f"{HOST}:{p}" for p in ports]
        conf.write_text(nginx_config(prefix, f"{HOST}:{port}", upstreams, as_root=os.geteuid() == 0))
        argv = [str(NGINX), "-c", str(conf), "-p", str(prefix), "-g", "daemon off;"]
        process = spawn("nginx", argv, prefix, os.environ, prefix / "stdout.log")
        try:
            wait_healthy(process, f"http://{HOST}:{port}/_stcore/health", timeout=15)
        except StartError as error:
            process.stop()
            log = (prefix / "error.log").read_text(errors="replace") if (prefix / "error.log").exists() else ""
            if _says_port_taken(log):
                raise PortTakenError(log) from error
            raise StartError(f"{error}\n{log[-2000:]}") from error
        stack.processes.append(process)
        return port

    return start(listen) if listen is not None else on_free_port(start)


def _pg_bindir() -> Path | None:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / "pg_ctl").exists() and (folder / "initdb").exists():
            return folder
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path else None


def _ignore(_: object) -> None:
    return None


def start_postgres(stack: Stack, keep: Path | None = None) -> str:
    """A PostgreSQL of our own (initdb + pg_ctl, as the `postgres` user when we are root);
    returns its SQLAlchemy URL; `stack.close()` stops it. Throwaway by default (a temporary
    folder, no fsync, deleted at the end); with `keep`, its data lives in that folder, made on
    first use and kept across runs, with the durability settings left as PostgreSQL has them."""
    bindir = _pg_bindir()
    if bindir is None:
        raise StartError("PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)")
    # Not inside stack.folder: a root-only temp folder is closed to the postgres user.
    folder = keep if keep is not None else Path(tempfile.mkdtemp(prefix="quiz-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    as_root = os.geteuid() == 0
    if as_root:
        shutil.chown(folder, user=PG_SUPERUSER, group=PG_SUPERUSER)
    if keep is None:
        stack.cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        command = [str(bindir / argv[0]), *argv[1:]]
        if as_root:
            command = ["runuser", "-u", PG_SUPERUSER, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    data = folder / "data"
    if not (data / "PG_VERSION").exists():
        done = run("initdb", "-D", str(data), "-U", PG_SUPERUSER, "--auth=trust", "-E", "UTF8", "--no-sync")
        if done.returncode:
            raise StartError(f"initdb failed:\n{done.stderr[-2000:]}")

    def start(port: int) -> str:
        settings = "-c max_connections=300"
        if keep is None:  # a throwaway database is never worth an fsync
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options = f"-p {port} -k {folder} -c listen_addresses={HOST} {settings}"
        log = folder / "server.log"
        done = run("pg_ctl", "-D", str(data), "-o", options, "-l", str(log), "-w", "-t", "60", "start")
        if done.returncode:
            text = log.read_text(errors="replace") if log.exists() else done.stderr
            if _says_port_taken(text):
                raise PortTakenError(text)
            raise StartError(f"pg_ctl start failed:\n{text[-2000:]}")
        stack.cleanups.append(lambda: _ignore(run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")))
        return f"postgresql+psycopg://{PG_SUPERUSER}@{HOST}:{port}/postgres"

    return on_free_port(start)


# ---------------------------------------------------------------------------------------------
# What the servers cost, from /proc
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Usage:
    """CPU seconds used so far and resident memory now (MiB), summed over some processes."""

    cpu: float
    rss_mib: float


def _tree(pids: Sequence[int]) -> Iterator[int]:
    """The processes and their children (a server may start helpers)."""
    seen = set(pids)
    yield from pids
    for pid in pids:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            if child not in seen:
                seen.add(child)
                yield child


def usage(pids: Sequence[int]) -> Usage:
    cpu = 0.0
    rss = 0.0
    for pid in _tree(pids):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            statm = Path(f"/proc/{pid}/statm").read_text().split()
        except OSError:
            continue
        # Fields after the command name (which may hold spaces): utime is the 14th field.
        fields = stat.rpartition(")")[2].split()
        cpu += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        rss += int(statm[1]) * PAGE_KB / 1024
    return Usage(cpu, rss)
