from django.utils.translation import gettext_lazy, ngettext

from core import ratelimit
from core.management.base import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Delete the rate-limit counters whose window has passed (PostgreSQL "
        "store; Redis expires its own). Requests never do it; cron may run it "
        "hourly."
    )

    def handle(self, *args, **options):
        deleted = ratelimit.purge_expired()
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Deleted %(count)s expired rate-limit counter",
                    "Deleted %(count)s expired rate-limit counters",
                    deleted,
                )
                % {"count": deleted}
            )
        )
