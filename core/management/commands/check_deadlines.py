"""Flag near-due and overdue records in every register; safe to run from cron at any rate.

Each register that has deadlines provides ``<app>.deadlines.check(*, now) -> str``
(idempotent: it only sets flags that are not yet set and returns a summary line).
"""

from importlib import import_module

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.management.base import BaseCommand

DEADLINE_MODULES = ["services.deadlines", "enforcement.deadlines"]


class Command(BaseCommand):
    help = _(
        "Check the deadlines of applications and enforcement cases and flag those "
        "near due or overdue (cron may run it at any rate)."
    )

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
