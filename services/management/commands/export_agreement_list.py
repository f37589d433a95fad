import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.errors import DomainError
from core.tabular import write_rows
from services.actions.catalogue import agreement_resolve
from services.catalogue_files import agreement_list_table
from services.selectors.catalogue import agreement_list_as_of


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "导出通办协议在某日的清单（xlsx 或 csv，可用 import_agreement_list 原样导回）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement", help="协议编号或ID")
        parser.add_argument("file", type=Path)
        parser.add_argument("--as-of", type=iso_date, help="清单日期（默认今天）")

    def handle(self, *args, agreement: str, file: Path, as_of, **options):
        on = as_of or timezone.localdate()
        try:
            found = agreement_resolve(agreement)
            header, rows = agreement_list_table(
                agreement_list_as_of(agreement=found, on=on)
            )
            count = write_rows(file, header, rows)
        except DomainError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {found.code} 在 {on} 的清单 {count} 项到 {file}"
            )
        )
