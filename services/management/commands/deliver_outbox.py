import signal
import time

from django.utils.translation import gettext_lazy as _

from core.management.base import BaseCommand
from services.outbox import deliver_due


class Command(BaseCommand):
    help = _(
        "Deliver the messages to partner districts (transactional outbox). Runs "
        "until stopped; --once delivers one round (for cron and tests). Several "
        "processes may run at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once",
            action="store_true",
            help=_("Deliver the messages now due, then exit"),
        )
        parser.add_argument(
            "--batch", type=int, default=50, help=_("Most messages delivered per round")
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=2.0,
            help=_("Polling interval when idle (seconds)"),
        )

    def handle(self, *args, once: bool, batch: int, interval: float, **options):
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            report = deliver_due(limit=batch)
            if once:
                self.stdout.write(self.style.SUCCESS(str(report)))
                return
            if report.delivered or report.retried or report.dead:
                self.stdout.write(str(report))
            if stopping:
                return
            if not (report.delivered or report.retried or report.dead):
                time.sleep(interval)
