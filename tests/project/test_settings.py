"""Settings that depend on each other default to what the others imply, and start-up refuses a
configuration whose time limits do not nest, naming both settings and both values."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from reflect import settings_checks as checks

from ..conftest import REPO

GOOD = {
    "request_timeout": 600.0,
    "sdk_max_retries": 2,
    "soft_time_limit": 7200,
    "hard_time_limit": 7500,
    "claim_stale_seconds": 7560,
    "visibility_timeout": 10800,
}


def test_limits_that_nest_pass():
    checks.check_time_limits(**GOOD)


@pytest.mark.parametrize(
    "change, names, values",
    [
        (
            {"soft_time_limit": 1800},
            [
                "REFLECT_SOFT_TIME_LIMIT",
                "REFLECT_REQUEST_TIMEOUT",
                "REFLECT_SDK_MAX_RETRIES",
            ],
            ["=1800 ", "=600 ", "=2 ", "= 1800"],
        ),
        (
            {"hard_time_limit": 7200},
            ["REFLECT_HARD_TIME_LIMIT", "REFLECT_SOFT_TIME_LIMIT"],
            ["REFLECT_HARD_TIME_LIMIT=7200", "REFLECT_SOFT_TIME_LIMIT=7200"],
        ),
        (
            {"hard_time_limit": 7000},
            ["REFLECT_HARD_TIME_LIMIT", "REFLECT_SOFT_TIME_LIMIT"],
            ["REFLECT_HARD_TIME_LIMIT=7000", "REFLECT_SOFT_TIME_LIMIT=7200"],
        ),
        (
            {"claim_stale_seconds": 7500},
            ["REFLECT_CLAIM_STALE_SECONDS", "REFLECT_HARD_TIME_LIMIT"],
            ["REFLECT_CLAIM_STALE_SECONDS=7500", "REFLECT_HARD_TIME_LIMIT=7500"],
        ),
        (
            {"visibility_timeout": 3600},
            ["REFLECT_VISIBILITY_TIMEOUT", "REFLECT_HARD_TIME_LIMIT"],
            ["REFLECT_VISIBILITY_TIMEOUT=3600", "REFLECT_HARD_TIME_LIMIT=7500"],
        ),
    ],
    ids=[
        "soft-within-request",
        "hard-equals-soft",
        "hard-below-soft",
        "stale",
        "visibility",
    ],
)
def test_limits_that_do_not_nest_are_refused_by_name_and_value(change, names, values):
    with pytest.raises(ImproperlyConfigured) as refused:
        checks.check_time_limits(**{**GOOD, **change})

    message = str(refused.value)
    for part in names + values:
        assert part in message, message


def test_computed_defaults_are_the_limits_reflect_always_had():
    soft = checks.default_soft_time_limit(600.0, 2)
    hard = checks.default_hard_time_limit(soft)

    assert (soft, hard) == (7200, 7500)
    assert checks.default_claim_stale_seconds(hard) == 7560
    assert checks.default_visibility_timeout(hard) == 10800


@pytest.mark.parametrize("request_timeout", [0.2, 10.0, 600.0, 2400.0, 9000.5])
@pytest.mark.parametrize("sdk_max_retries", [0, 2, 7])
def test_computed_defaults_always_nest(request_timeout, sdk_max_retries):
    soft = checks.default_soft_time_limit(request_timeout, sdk_max_retries)
    hard = checks.default_hard_time_limit(soft)

    checks.check_time_limits(
        request_timeout=request_timeout,
        sdk_max_retries=sdk_max_retries,
        soft_time_limit=soft,
        hard_time_limit=hard,
        claim_stale_seconds=checks.default_claim_stale_seconds(hard),
        visibility_timeout=checks.default_visibility_timeout(hard),
    )


@pytest.mark.parametrize(
    "check, values, parts",
    [
        (
            checks.check_token_budget,
            {"context_tokens": 1000, "output_reserve_tokens": 1000},
            ["REFLECT_CONTEXT_TOKENS=1000", "REFLECT_OUTPUT_RESERVE_TOKENS=1000"],
        ),
        (
            checks.check_liveness,
            {"ttl_seconds": 9, "interval_seconds": 5.0},
            ["REFLECT_LIVENESS_TTL_SECONDS=9", "REFLECT_LIVENESS_INTERVAL_SECONDS=5"],
        ),
        (
            checks.check_extraction,
            {"give_up_seconds": 100, "soft_time_limit": 120},
            [
                "REFLECT_EXTRACTION_GIVE_UP_SECONDS=100",
                "REFLECT_EXTRACTION_SOFT_TIME_LIMIT=120",
            ],
        ),
    ],
    ids=["tokens", "liveness", "extraction"],
)
def test_other_settings_that_must_agree_are_refused_by_name_and_value(
    check, values, parts
):
    with pytest.raises(ImproperlyConfigured) as refused:
        check(**values)

    for part in parts:
        assert part in str(refused.value)


# --- Through the environment, as a deployment starts -------------------------------------------

SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.REFLECT_SOFT_TIME_LIMIT, s.REFLECT_HARD_TIME_LIMIT, "
    "s.REFLECT_CLAIM_STALE_SECONDS, s.CELERY_BROKER_TRANSPORT_OPTIONS['visibility_timeout']]))"
)


def start(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REFLECT_")}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env={**clean, "DJANGO_SETTINGS_MODULE": "reflect.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, message",
    [
        (
            {"REFLECT_CLAIM_STALE_SECONDS": "600"},
            "REFLECT_CLAIM_STALE_SECONDS=600 must exceed REFLECT_HARD_TIME_LIMIT=7500",
        ),
        (
            {"REFLECT_HARD_TIME_LIMIT": "20000", "REFLECT_VISIBILITY_TIMEOUT": "10800"},
            "REFLECT_VISIBILITY_TIMEOUT=10800 must exceed REFLECT_HARD_TIME_LIMIT=20000",
        ),
        (
            {"REFLECT_SOFT_TIME_LIMIT": "7500", "REFLECT_HARD_TIME_LIMIT": "7500"},
            "REFLECT_HARD_TIME_LIMIT=7500 must exceed REFLECT_SOFT_TIME_LIMIT=7500",
        ),
    ],
    ids=["stale", "visibility", "soft-equals-hard"],
)
def test_django_refuses_to_start_with_limits_that_do_not_nest(env, message):
    result = start("import django; django.setup()", **env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_raising_the_request_timeout_alone_moves_every_limit_out():
    """Once refused (a request longer than the fixed soft limit), now the limits follow."""
    result = start(SHOW, REFLECT_REQUEST_TIMEOUT="3000")

    assert result.returncode == 0, result.stderr
    soft, hard, stale, visibility = json.loads(result.stdout)
    assert soft == 4 * 3000 * 3
    assert (hard, stale, visibility) == (soft + 300, soft + 360, soft + 2100)


def test_an_overridden_derived_limit_wins_and_what_follows_it_moves():
    result = start(SHOW, REFLECT_HARD_TIME_LIMIT="12000")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [7200, 12000, 12060, 13800]


def test_an_unknown_default_effort_stops_start_up_naming_the_levels():
    """The levels come from the model (one home), so the check runs once apps are loaded."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=REPO,
        env={**os.environ, "REFLECT_EFFORT": "extreme"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "REFLECT_EFFORT must be one of low, medium, high" in result.stderr
