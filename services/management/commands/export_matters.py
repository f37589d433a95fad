from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.management.base import BaseCommand
from core.tabular import write_rows
from services.catalogue_files import matter_table
from services.choices import MatterStatus
from services.selectors.catalogue import matter_export_rows


class Command(BaseCommand):
    help = _(
        "Export the service matter catalogue (xlsx or csv, with the columns of "
        "import_matters, so that it imports back unchanged)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--status",
            choices=MatterStatus.values,
            help=gettext("Export only the matters with this status (all by default)."),
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
        self.stdout.write(
            self.style.SUCCESS(
                ngettext(
                    "Exported %(count)s matter to %(file)s",
                    "Exported %(count)s matters to %(file)s",
                    count,
                )
                % {"count": count, "file": file}
            )
        )
