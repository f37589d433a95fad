import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy, ngettext

from core.management.base import BaseCommand
from core.models import IdempotencyRecord


class Command(BaseCommand):
    help = gettext_lazy(
        "Delete Idempotency-Key records older than their retention "
        "(IDEMPOTENCY_KEY_TTL_HOURS, 72 hours by default); a replay with the same "
        "key then no longer returns the first answer. Cron may run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=int, default=None, help=gettext_lazy("Hours to keep")
        )

    def handle(self, *args, hours, **options):
        hours = hours if hours is not None else settings.IDEMPOTENCY_KEY_TTL_HOURS
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Deleted %(count)s idempotency record older than %(hours)s hours",
                    "Deleted %(count)s idempotency records older than %(hours)s hours",
                    deleted,
                )
                % {"count": deleted, "hours": hours}
            )
        )
