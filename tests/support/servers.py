"""Live Streamlit servers for the browser tests: `streamlit run app.py` on a free port, ready
once `/_stcore/health` answers, stopped by its PID."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import IO

import pytest

from tests.support.paths import ROOT
from tests.support.ports import PortTakenError, says_port_taken, start_on_free_port

SERVER_START_TIMEOUT = 60.0


def _log_text(log: IO[bytes]) -> str:
    log.flush()
    log.seek(0)
    return log.read().decode(errors="replace")


def start_server(log: IO[bytes], env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` on a free port with these environment variables added;
    return the process and its base URL once /_stcore/health answers 200. Fails the test (with
    the server's log) otherwise."""

    def launch(port: int) -> tuple[subprocess.Popen[bytes], str]:
        log.seek(0)
        log.truncate()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
        )
        base_url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return process, base_url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        stop_server(process)
        text = _log_text(log)
        if says_port_taken(text):
            raise PortTakenError(port)
        pytest.fail(f"Streamlit did not answer on {base_url}/_stcore/health:\n{text}")

    return start_on_free_port(launch)


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
