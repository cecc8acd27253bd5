"""Ask a question of a collection or of documents, in this process, and print the result."""

import json
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from reflect.models import Collection, Reflection
from reflect.reasoning.pricing import unknown_cost_text
from reflect.reflections import asking, claims, running, shape


class Command(BaseCommand):
    help = (
        "Run a reflection in-process (the same service the worker runs) and print it. "
        "Exit status 0 only when the reflection succeeded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--user", required=True, help="username of the documents' owner"
        )
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--collection", help="collection name")
        source.add_argument(
            "--document",
            type=int,
            action="append",
            dest="documents",
            metavar="ID",
            help="document id (repeat for several)",
        )
        parser.add_argument("--question", default="", help="the question to ask")
        parser.add_argument(
            "--preset",
            default="",
            choices=["", *asking.PRESETS],
            help="a preset question instead of --question",
        )
        parser.add_argument("--effort", choices=Reflection.Effort.values)
        parser.add_argument("--provider", choices=Reflection.Provider.values)
        parser.add_argument(
            "--json", action="store_true", help="print JSON (the default is text)"
        )

    def handle(self, *args, **options):
        owner = self._user(options["user"])
        collection = None
        if options["collection"]:
            collection = Collection.objects.filter(
                owner=owner, name=options["collection"]
            ).first()
            if collection is None:
                raise CommandError(
                    f"{owner.username} has no collection named {options['collection']!r}"
                )
        try:
            reflection = asking.create_reflection(
                owner=owner,
                question=options["question"],
                preset=options["preset"],
                collection=collection,
                document_ids=options["documents"],
                effort=options["effort"],
                provider=options["provider"],
                enqueue=False,
            )
        except asking.ReflectionError as exc:
            raise CommandError(str(exc)) from None
        self._run(reflection.pk)
        reflection.refresh_from_db()
        data = shape.reflection_as_json(reflection)
        if options["json"]:
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            self.stdout.write(self._text(data))
        if reflection.status != Reflection.Status.SUCCEEDED:
            raise SystemExit(1)

    def _user(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None

    def _run(self, reflection_id):
        retries = 0
        while True:
            final = retries >= settings.REFLECT_TASK_MAX_RETRIES
            try:
                running.run_reflection(reflection_id=reflection_id, final_attempt=final)
                return
            except claims.RetryLater as exc:
                delay = running.retry_delay(
                    retries=retries, retry_after=exc.retry_after
                )
                self.stderr.write(f"{exc}; retrying in {delay:.0f} s")
                time.sleep(delay)
                retries += 1

    def _text(self, data):
        lines = [
            f"Reflection {data['id']}: {data['status']}",
            f"Q: {data['question']}",
            "",
        ]
        if data["error"]:
            lines += [f"Error: {data['error']}", ""]
        if data["summary"]:
            lines += [data["summary"], ""]
        for number, finding in enumerate(data["findings"], 1):
            support = "" if finding["supported"] else " [unsupported]"
            lines.append(
                f"{number}. {finding['title']} ({finding['kind']}, {finding['confidence']}){support}"
            )
            lines.append(f"   {finding['observation']}")
            for item in finding["evidence"]:
                mark = (
                    "✓"
                    if item["verified"]
                    else ("≈" if item["match"] == "approximate" else "✗")
                )
                lines.append(
                    f"   {mark} “{item['quote']}” — {item['document_title'] or item['document_id']}"
                )
        usage = data["usage"]
        lines += [
            "",
            f"Tokens: {usage['input_tokens']} in ({usage['cached_tokens']} cached), "
            f"{usage['output_tokens']} out ({usage['reasoning_tokens']} reasoning); "
            f"cost {_cost(data)}",
        ]
        return "\n".join(lines)


def _cost(data: dict) -> str:
    if data["cost_usd"] is None:
        unpriced = (data["manifest"] or {}).get("unpriced_models") or [data["model"]]
        return unknown_cost_text(unpriced)
    return f"${data['cost_usd']:.4f}"
