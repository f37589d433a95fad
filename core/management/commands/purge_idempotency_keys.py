import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from core.models import IdempotencyRecord


class Command(BaseCommand):
    help = (
        "删除超过保存期（IDEMPOTENCY_KEY_TTL_HOURS，默认72小时）的 Idempotency-Key 记录；"
        "之后同一密钥的重放不再返回首次结果。可由 cron 每日运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="保存小时数")

    def handle(self, *args, hours, **options):
        hours = hours if hours is not None else settings.IDEMPOTENCY_KEY_TTL_HOURS
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(
            self.style.SUCCESS(f"已删除 {deleted} 条超过 {hours} 小时的幂等记录")
        )
