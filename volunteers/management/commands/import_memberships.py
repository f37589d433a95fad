"""Import team memberships from an xlsx/csv (身份证号, 服务队, 职务, 加入日期, 离队日期)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from core.audit import actor_context
from core.errors import DomainError
from core.tabular import read_rows
from volunteers.actions import MEMBERSHIP_COLUMNS, memberships_import


class Command(BaseCommand):
    help = "导入服务队队员名单（xlsx 或 csv；先检查全部行，有错则不写入；可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            rows = read_rows(path, columns=MEMBERSHIP_COLUMNS)
            with (
                actor_context(None, source="import_memberships"),
                tqdm(total=len(rows), disable=None, desc="队员") as bar,
            ):
                counts = memberships_import(
                    actor=None, rows=rows, dry_run=dry_run, progress=bar.update
                )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        prefix = "检查通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}：共 {len(rows)} 行，新增 {counts['created']}，"
                f"离队 {counts['ended']}，未变 {counts['unchanged']}"
            )
        )
