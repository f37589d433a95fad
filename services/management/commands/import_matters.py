from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from services.actions.catalogue import matters_import


class Command(BaseCommand):
    help = (
        "导入政务服务事项（xlsx 或 csv，列见 docs/catalogue.md，中英文列名均可）。"
        "按实施编码新增或更新；任一行有误则整个文件不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = matters_import(actor=None, path=file, dry_run=dry_run)
        except ValidationFailed as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(f"警告：{warning}"))
        self.stdout.write(self.style.SUCCESS(result.summary()))
