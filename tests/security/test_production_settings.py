"""With production environment variables the deploy checklist is clean and every response carries
the HTTPS, framing, sniffing and referrer protections."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from ..conftest import REPO


def production_env(tmp_path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "REFLECT_BEHIND"))
    }
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "reflect.settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "reflect.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        **extra,
    }


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_nothing_with_production_environment(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_a_production_that_turned_https_off(tmp_path):
    """The check is live: switching a protection off by environment is reported."""
    env = production_env(
        tmp_path, DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_HSTS_SECONDS="0"
    )

    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode != 0
    assert (
        "security.W004" in result.stderr + result.stdout
        and "security.W008" in result.stderr + result.stdout
    )


# Requests a page through the real settings module of a fresh process and prints what came back.
PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="reflect.example.org")
plain = client.get("/accounts/login/", secure=False, **{"HTTP_X_FORWARDED_PROTO": "http"})
page = client.get("/accounts/login/", secure=False, **{"HTTP_X_FORWARDED_PROTO": "https"})
health = client.get("/healthz", secure=False, **{"HTTP_X_FORWARDED_PROTO": "http"})
print(json.dumps({"health_status": health.status_code,
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "status": page.status_code, "headers": dict(page.headers),
    "cookies": {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"])} for name, c in page.cookies.items()},
}))
"""


@pytest.mark.django_db
def test_production_responses_carry_security_headers_behind_a_tls_proxy(tmp_path):
    env = production_env(tmp_path, REFLECT_BEHIND_PROXY="true")
    run(["manage.py", "migrate", "--run-syncdb", "-v", "0"], env)

    result = run(["-c", PROBE], env)

    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith(
        "https://reflect.example.org/"
    )
    assert seen["status"] == 200
    assert seen["health_status"] == 200, (
        "health probes speak plain HTTP inside the network"
    )
    headers = seen["headers"]
    assert (
        headers["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert seen["cookies"]["csrftoken"]["secure"] is True


def test_development_keeps_plain_http_working(tmp_path):
    """The defaults of a developer machine (DEBUG on) do not force HTTPS on localhost."""
    env = production_env(tmp_path)
    for name in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        env.pop(name)
    code = "import django; django.setup(); from django.conf import settings as s; "
    code += "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"

    result = run(["-c", code], env)

    assert result.stdout.split() == ["True", "False", "False", "0"], result.stderr[
        -2000:
    ]
