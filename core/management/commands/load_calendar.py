from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.actions import calendar_overrides_load
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "载入工作日历调整（csv：date,kind,name；kind 为 workday/holiday 或 工作日/休息日）。"
        "用于 chinese-calendar 尚未收录的年份，例如国务院公布的2027年放假安排。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = calendar_overrides_load(actor=None, path=file, dry_run=dry_run)
        except ValidationFailed as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
            )
        )
