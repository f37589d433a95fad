from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from core.tabular import write_rows
from services.catalogue_files import matter_table
from services.choices import MatterStatus
from services.selectors.catalogue import matter_export_rows


class Command(BaseCommand):
    help = (
        "导出政务服务事项目录（xlsx 或 csv，与 import_matters 的列一致，可原样导回）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--status",
            choices=MatterStatus.values,
            help="只导出该状态的事项（默认全部）",
        )

    def handle(self, *args, file: Path, status: str | None, **options):
        matters = matter_export_rows(user=None)
        if status:
            matters = matters.filter(status=status)
        header, rows = matter_table(matters)
        try:
            count = write_rows(file, header, rows)
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        self.stdout.write(self.style.SUCCESS(f"已导出 {count} 项事项到 {file}"))
