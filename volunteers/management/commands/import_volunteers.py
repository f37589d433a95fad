"""Import volunteers from an xlsx/csv (姓名, 身份证号, 联系电话, 是否党员, 所属党支部, …)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from tqdm import tqdm

from core.audit import actor_context
from core.errors import DomainError
from core.management.base import BaseCommand
from core.tabular import read_rows
from volunteers.actions import VOLUNTEER_COLUMNS, volunteers_import


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a volunteer list (xlsx or csv; adds or updates by ID number; checks "
        "every row first and writes nothing if any is wrong)"
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
            rows = read_rows(path, columns=VOLUNTEER_COLUMNS)
            with (
                actor_context(None, source="import_volunteers"),
                tqdm(
                    total=len(rows), disable=None, desc=pgettext("people", "Volunteers")
                ) as bar,
            ):
                counts = volunteers_import(
                    actor=None, rows=rows, dry_run=dry_run, progress=bar.update
                )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        if dry_run:
            summary = _(
                "Check passed (nothing written): %(rows)s rows, %(created)s new, "
                "%(updated)s updated, %(unchanged)s unchanged"
            )
        else:
            summary = _(
                "Import finished: %(rows)s rows, %(created)s new, "
                "%(updated)s updated, %(unchanged)s unchanged"
            )
        self.stdout.write(self.style.SUCCESS(summary % {"rows": len(rows), **counts}))
