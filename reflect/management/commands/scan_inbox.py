import json

from django.core.management.base import BaseCommand

from ...inbox import scan_inbox


class Command(BaseCommand):
    help = "Scan the inbox folders once (beat does this every REFLECT_INBOX_SCAN_SECONDS); one JSON line per file."

    def handle(self, *args, **options):
        for outcome in scan_inbox():
            self.stdout.write(json.dumps(outcome, ensure_ascii=False))
