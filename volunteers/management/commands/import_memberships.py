"""Import team memberships from an xlsx/csv (身份证号, 服务队, 职务, 加入日期, 离队日期)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from core.audit import actor_context
from core.errors import DomainError
from core.management.base import BaseCommand
from core.tabular import read_rows
from volunteers.actions import MEMBERSHIP_COLUMNS, memberships_import


class Command(BaseCommand):
    help = gettext_lazy(
        "Import team member lists (xlsx or csv; checks every row first and writes "
        "nothing if any is wrong; safe to run again)"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Only check; write nothing"),
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            rows = read_rows(path, columns=MEMBERSHIP_COLUMNS)
            with (
                actor_context(None, source="import_memberships"),
                tqdm(total=len(rows), disable=None, desc=_("Team members")) as bar,
            ):
                counts = memberships_import(
                    actor=None, rows=rows, dry_run=dry_run, progress=bar.update
                )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        if dry_run:
            summary = _(
                "Check passed (nothing written): %(rows)s rows, %(created)s new, "
                "%(ended)s left, %(unchanged)s unchanged"
            )
        else:
            summary = _(
                "Import finished: %(rows)s rows, %(created)s new, "
                "%(ended)s left, %(unchanged)s unchanged"
            )
        self.stdout.write(self.style.SUCCESS(summary % {"rows": len(rows), **counts}))
