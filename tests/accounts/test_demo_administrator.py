"""`make run` leaves an administrator to manage people with: the demo user is staff and
superuser, and the start-up text says where to log in."""

import pytest
from django.core.management import call_command

from reflect import devstack
from reflect.models import User

from ..factories import make_user

pytestmark = pytest.mark.django_db


def start_make_run(monkeypatch, *args) -> dict:
    """Run `manage.py runall` without starting anything; the children it would spawn."""
    spawned = {}

    class Recorder(devstack.Supervisor):
        def spawn(self, name, argv, env):
            spawned[name] = (argv, env)

        def wait(self):
            return 0

    monkeypatch.setattr(devstack, "Supervisor", Recorder)
    # Migrating is not what these tests are about (and cannot run inside their transaction).
    monkeypatch.setattr(
        "reflect.management.commands.runall.call_command", lambda *a, **k: None
    )
    with pytest.raises(SystemExit):
        call_command("runall", *args)
    return spawned


def test_the_demo_user_is_an_administrator_who_can_open_the_admin(client):
    password = devstack.ensure_demo_user()

    demo = User.objects.get(username="demo")
    assert demo.is_staff and demo.is_superuser
    client.post("/admin/login/", {"username": "demo", "password": password})
    assert client.get("/admin/reflect/user/").status_code == 200


def test_a_demo_user_from_before_is_promoted_and_keeps_its_password():
    make_user("demo", password="the-old-demo-password")

    assert devstack.ensure_demo_user() is None

    demo = User.objects.get(username="demo")
    assert demo.is_staff and demo.is_superuser
    assert demo.check_password("the-old-demo-password")


def test_make_run_says_how_to_log_in_to_the_admin(monkeypatch, capsys):
    start_make_run(monkeypatch, "--port", "8100")

    out = capsys.readouterr().out
    assert "Demo user: demo   password: " in out
    assert "demo is an administrator: log in at /admin/" in out
    assert "/accounts/password/change/" in out
