"""What bench/load, bench/pipeline and bench/corpus share: a throwaway data folder and
database, the web process, the machine line and percentiles.

Import it before Django: `environment()` sets the variables the settings read.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (str(REPO), str(REPO / "tests")):
    if path not in sys.path:
        sys.path.insert(0, path)


def environment(name: str, **extra: str) -> dict:
    """A temp data folder, its own SQLite database and queue, production-like settings.

    DEBUG is off (DEBUG keeps every query in memory and changes timings); HTTPS redirects are
    off because the benches speak plain HTTP on loopback.
    """
    data = Path(tempfile.mkdtemp(prefix=f"reflect-bench-{name}-"))
    env = {
        "DJANGO_SETTINGS_MODULE": "reflect.settings",
        "REFLECT_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'bench.sqlite3'}",
        "REFLECT_QUEUE": f"bench-{name}-{os.getpid()}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": f"bench-{name}-not-secret",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SESSION_COOKIE_SECURE": "false",
        "DJANGO_CSRF_COOKIE_SECURE": "false",
        "OPENAI_API_KEY": "sk-bench",
        "REFLECT_PROVIDER": "",
        "REFLECT_RETRY_BACKOFF_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        # As docker-compose.yml: one connection per process, not one per request (0 to compare).
        "DATABASE_CONN_MAX_AGE": os.environ.get("DATABASE_CONN_MAX_AGE", "60"),
        **extra,
    }
    os.environ.update(env)
    return env


def machine() -> str:
    mem = next(
        line
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} cores, {int(mem.split()[1]) / 1024 / 1024:.0f} GiB, "
        f"load {load:.1f} at start (shared machine: figures are noisy)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pct(values, p: float) -> float:
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def start_web(
    env: dict, *, workers: int = 1, server: str = "uvicorn", threads: int = 8
) -> tuple[subprocess.Popen, str]:
    """A web server as in docker-compose.yml: `gunicorn` (pages, the API) or `uvicorn` (the
    events stream, and everything before gunicorn); returns the process and its base URL once
    /healthz answers."""
    port = free_port()
    if server == "gunicorn":
        args = [sys.executable, "-m", "gunicorn", "reflect.wsgi:application", "--bind",
                f"127.0.0.1:{port}", "--worker-class", "gthread", "--workers", str(workers),
                "--threads", str(threads), "--log-level", "warning"]  # fmt: skip
    else:
        args = [
            sys.executable,
            "-m",
            "uvicorn",
            "reflect.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ]
        if workers > 1:
            args += ["--workers", str(workers)]
    process = subprocess.Popen(
        args, cwd=REPO, env={**os.environ, **env}, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("web server exited early")
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return process, url
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("web server not ready after 30 s")


def start_worker(
    env: dict, *, concurrency: int = 1, name: str = "w"
) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "reflect",
            "worker",
            "-Q",
            env["REFLECT_QUEUE"],
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}-{os.getpid()}-{time.time_ns()}@%h",
        ],
        cwd=REPO,
        env={**os.environ, **env},
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stop(*processes: subprocess.Popen | None) -> None:
    for process in processes:
        if process is None or process.poll() is not None:
            continue
        try:
            os.killpg(process.pid, 15)
            process.wait(15)
        except Exception:
            os.killpg(process.pid, 9)
            process.wait(5)


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (a Celery worker and its pool)."""
    total = 0
    pids = [pid] + [
        int(p)
        for p in subprocess.run(
            ["pgrep", "-P", str(pid)], capture_output=True, text=True
        ).stdout.split()
    ]
    for child in pids:
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"
