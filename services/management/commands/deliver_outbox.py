import signal
import time

from django.core.management.base import BaseCommand

from services.outbox import deliver_due


class Command(BaseCommand):
    help = (
        "投递发往合作地区的消息（事务性发件箱）。默认常驻运行；--once 只投递一轮（供 cron 与测试）。"
        "可多进程同时运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="投递当前到期的消息后退出"
        )
        parser.add_argument("--batch", type=int, default=50, help="每轮最多投递条数")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="空闲时轮询间隔（秒）"
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
