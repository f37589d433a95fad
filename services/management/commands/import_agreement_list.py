from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import DomainError
from services.actions.catalogue import agreement_list_import, agreement_resolve


class Command(BaseCommand):
    help = (
        "导入通办协议的清单（xlsx 或 csv：实施编码、批次、生效日期、停止日期、调出原因）。"
        "按（实施编码, 生效日期）新增或更新；任一行有误则整个文件不写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement", help="协议编号或ID")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, agreement: str, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            found = agreement_resolve(agreement)
            result = agreement_list_import(
                actor=None, agreement=found, path=file, dry_run=dry_run
            )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
