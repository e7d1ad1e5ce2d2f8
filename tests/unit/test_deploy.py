"""The deployment files: the nginx rules, the Dockerfile and the compose file.

nginx checks the configuration itself (`nginx -t`), and docker-compose validates the compose
file against its schema without a Docker daemon. The image is built only where a Docker daemon
answers; where none does, the test says so with a warning in the summary instead of pretending.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from deploy.proxy import NGINX, TEMPLATE, nginx_config
from tests.support.paths import ROOT

DEPLOY = ROOT / "deploy"
DOCKERFILE = DEPLOY / "Dockerfile"
COMPOSE = DEPLOY / "compose.yaml"


class DockerUnavailableWarning(UserWarning):
    """No Docker daemon here: the image was checked but not built."""


def run(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), cwd=cwd, capture_output=True, text=True, timeout=600, check=False)


class TestNginxConfig:
    def test_nginx_accepts_the_configuration_for_two_local_processes(self, tmp_path: Path) -> None:
        if not NGINX.exists():
            pytest.fail(f"nginx is not installed at {NGINX}: `apt-get install nginx` (or `make test-tools`).")
        conf = tmp_path / "nginx.conf"
        conf.write_text(nginx_config(tmp_path, "127.0.0.1:18500", ["127.0.0.1:18501", "127.0.0.1:18502"], as_root=True))

        result = run(str(NGINX), "-t", "-c", str(conf), "-p", str(tmp_path))

        assert result.returncode == 0, result.stderr

    def test_every_process_is_an_upstream_and_requests_stick_by_cookie(self, tmp_path: Path) -> None:
        text = nginx_config(tmp_path, "127.0.0.1:18500", ["127.0.0.1:18501", "127.0.0.1:18502"])

        assert re.findall(r"server (127\.0\.0\.1:\d+)", text) == ["127.0.0.1:18501", "127.0.0.1:18502"]
        assert "hash $quiz_route consistent;" in text
        assert "ip_hash" not in text  # a classroom shares one address
        assert "proxy_set_header Upgrade $http_upgrade;" in text

    def test_no_upstream_is_refused_with_a_message(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="at least one app process"):
            nginx_config(tmp_path, "127.0.0.1:18500", [])


class TestDockerfile:
    def test_every_file_it_copies_exists(self) -> None:
        sources = [
            part
            for line in DOCKERFILE.read_text(encoding="utf-8").splitlines()
            if line.startswith("COPY ")
            for part in line.split()[1:-1]
        ]

        assert sources
        assert [s for s in sources if not (ROOT / s).exists()] == []

    def test_it_runs_the_app_on_the_port_the_proxy_expects(self) -> None:
        text = DOCKERFILE.read_text(encoding="utf-8")

        assert '"app.py"' in text
        assert "EXPOSE 8501" in text
        assert "server app:8501;" in COMPOSE.read_text(encoding="utf-8")

    def test_the_image_builds_where_docker_runs(self, tmp_path: Path) -> None:
        docker = shutil.which("docker")
        if docker is None or run(docker, "info").returncode != 0:
            warnings.warn(
                "No Docker daemon answers on this machine: deploy/Dockerfile was checked but NOT built.",
                DockerUnavailableWarning,
                stacklevel=1,
            )
            return
        result = run(docker, "build", "-f", str(DOCKERFILE), "-t", "career-quiz-test", ".")

        assert result.returncode == 0, result.stderr[-3000:]


class TestComposeFile:
    def test_docker_compose_validates_it(self) -> None:
        compose = shutil.which("docker-compose")
        if compose is None:
            pytest.fail("docker-compose is not installed: `apt-get install docker-compose` (or `make test-tools`).")

        result = run(compose, "-f", str(COMPOSE), "config", cwd=DEPLOY)

        assert result.returncode == 0, result.stderr
        config = result.stdout
        assert "dockerfile: deploy/Dockerfile" in config
        assert "DATABASE_URL: postgresql+psycopg://" in config
        assert "replicas: 2" in config

    def test_the_proxy_uses_the_same_template_as_loopback(self) -> None:
        text = COMPOSE.read_text(encoding="utf-8")

        assert f"./{TEMPLATE.name}:/etc/nginx/templates/default.conf.template" in text
