"""With DEBUG off (compose, any production), the web process itself serves the CSS, JS and htmx
the pages need, from what collectstatic gathered; nothing else has to be deployed for them."""

import os
import subprocess
import sys

from tests.workers import REPO

PROBE = """
import django
django.setup()
from django.test import Client
for path in ("/static/js/htmx.min.js", "/static/css/reflect.css", "/static/ninja/swagger-ui-bundle.js"):
    response = Client().get(path, secure=True)
    print(path, response.status_code, response.get("Cache-Control", ""))
"""


def test_production_serves_collected_static_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "reflect.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "static-test-only",
            "REFLECT_DATA_DIR": str(tmp_path),
            "REFLECT_STATIC_ROOT": str(tmp_path / "static"),
            "DJANGO_ALLOWED_HOSTS": "testserver",
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )

    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.split("\n")
    for path in (
        "/static/js/htmx.min.js",
        "/static/css/reflect.css",
        "/static/ninja/swagger-ui-bundle.js",
    ):
        assert any(
            line.startswith(f"{path} 200 ") and "max-age" in line for line in lines
        ), result.stdout
