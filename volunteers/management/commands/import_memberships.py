"""Import team memberships from an xlsx/csv (身份证号, 服务队, 职务, 加入日期, 离队日期)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from tqdm import tqdm

from core.audit import actor_context
from core.errors import DomainError
from core.management.base import BaseCommand
from core.tabular import RowErrors, read_table, write_refused_rows
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
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=gettext_lazy("Write the valid rows and leave out the refused ones"),
        )
        parser.add_argument(
            "--errors",
            type=Path,
            metavar="FILE",
            help=gettext_lazy(
                "Write every refused row, with its reasons, to this xlsx file to "
                "correct and import again"
            ),
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        try:
            table = read_table(
                path,
                columns=MEMBERSHIP_COLUMNS,
                required=set(MEMBERSHIP_COLUMNS.values()),
            )
            rows = table.rows
            errors = RowErrors()
            with (
                actor_context(None, source="import_memberships"),
                tqdm(total=len(rows), disable=None, desc=_("Team members")) as bar,
            ):
                counts = memberships_import(
                    actor=None,
                    rows=rows,
                    dry_run=dry_run,
                    progress=bar.update,
                    skip_invalid=options["skip_invalid"],
                    errors=errors,
                )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            if options["errors"] and getattr(error, "row_errors", None):
                write_refused_rows(options["errors"], table, error.row_errors)
                self.stderr.write(
                    _("The refused rows were written to %(file)s")
                    % {"file": options["errors"]}
                )
            raise CommandError(error.message) from None
        for line in errors.lines():
            self.stderr.write(self.style.ERROR(line))
        if options["errors"] and errors:
            write_refused_rows(options["errors"], table, errors)
            self.stderr.write(
                _("The refused rows were written to %(file)s")
                % {"file": options["errors"]}
            )
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
        summary = summary % {"rows": len(rows), **counts}
        if counts["refused"]:
            summary += ngettext(
                "; %(count)s row refused (not written)",
                "; %(count)s rows refused (not written)",
                counts["refused"],
            ) % {"count": counts["refused"]}
        self.stdout.write(self.style.SUCCESS(summary))
