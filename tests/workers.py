"""Start a real Celery worker process against real Redis and the test database."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.db import connection

REPO = Path(__file__).resolve().parents[1]


def database_url() -> str:
    """A DATABASE_URL naming the test database this pytest process created."""
    s = connection.settings_dict
    if s["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}:{s.get('PORT') or 5432}/{s['NAME']}"


def process_env(*, media_root: Path, queue: str, env: dict | None) -> dict:
    """The environment of a worker or web process sharing this run's database, media and queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "reflect.settings",
        "DATABASE_URL": database_url(),
        "REFLECT_MEDIA_ROOT": str(media_root),
        "REFLECT_QUEUE": queue,
        # A worker running beat scans the inbox; it must never create folders in the repo's var/.
        "REFLECT_INBOX_DIR": str(media_root.parent / "inbox"),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }


def stop_process_group(process: subprocess.Popen | None, *, timeout: float) -> None:
    """SIGTERM a process group started with start_new_session; SIGKILL it if it lingers."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


class Worker:
    def __init__(
        self,
        *,
        queue: str,
        media_root: Path,
        log_path: Path,
        env: dict | None = None,
        concurrency: int = 1,
        extra_args: tuple[str, ...] = (),
        queues: tuple[str, ...] = ("", ".maintenance", ".interactive"),
    ):
        self.queue = queue
        # Suffixes of this run's queue to consume: every latency class unless told.
        self.queues = ",".join(f"{queue}{suffix}" for suffix in queues)
        self.extra_args = tuple(
            extra_args
        )  # e.g. ("-B", "--schedule", path): beat inside
        self.log_path = log_path
        self.env = process_env(media_root=media_root, queue=queue, env=env)
        self.concurrency = concurrency
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "Worker":
        self._log = open(self.log_path, "ab")
        start_offset = self.log_path.stat().st_size
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "reflect",
                "worker",
                "-Q",
                self.queues,
                "--pool=prefork",
                f"--concurrency={self.concurrency}",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{self.queue}-{time.time_ns()}@%h",
                *self.extra_args,
            ],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log()}")
            with open(self.log_path, "rb") as handle:
                handle.seek(start_offset)
                if b" ready." in handle.read():
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"worker not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def kill(self) -> None:
        """SIGKILL the whole worker process group, as a crash or OOM kill would."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        stop_process_group(self.process, timeout=15)
        if getattr(self, "_log", None):
            self._log.close()


def wait_for(
    predicate, *, timeout: float = 30, interval: float = 0.1, message: str = "condition"
):
    """Poll `predicate` until it returns a truthy value; fail with `message` after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


class WebServer:
    """The ASGI app under uvicorn in its own process, on the test database (like production)."""

    def __init__(
        self, *, media_root: Path, log_path: Path, queue: str, env: dict | None = None
    ):
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.env = process_env(media_root=media_root, queue=queue, env=env)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> "WebServer":
        import urllib.request

        self._log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "reflect.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=REPO,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"web server exited early:\n{self.log_path.read_text()[-3000:]}"
                )
            try:
                urllib.request.urlopen(self.url + "/accounts/login/", timeout=1)
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("web server not ready")

    def stop(self) -> None:
        stop_process_group(self.process, timeout=10)
        if getattr(self, "_log", None):
            self._log.close()
