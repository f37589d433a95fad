"""Flag near-due and overdue records in every register; safe to run from cron at any rate.

Each register that has deadlines provides ``<app>.deadlines.check(*, now) -> str``
(idempotent: it only sets flags that are not yet set and returns a summary line).
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.utils import timezone

DEADLINE_MODULES = ["services.deadlines", "enforcement.deadlines"]


class Command(BaseCommand):
    help = "检查办件与执法案件的期限，标记临期和超期（可由 cron 任意频率运行）。"

    def handle(self, *args, **options):
        now = timezone.now()
        for module_name in DEADLINE_MODULES:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue  # a register without deadlines yet
            self.stdout.write(self.style.SUCCESS(module.check(now=now)))
