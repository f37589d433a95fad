from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.management.base import BaseCommand
from services.actions.catalogue import matters_import


class Command(BaseCommand):
    help = _(
        "Import service matters (xlsx or csv; the columns are in docs/catalogue.md, "
        "with Chinese or English headers). Creates or updates by implementation "
        "code; if any row is wrong, nothing in the file is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("Only check; write nothing")
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(
                gettext("The file does not exist: %(file)s") % {"file": file}
            )
        try:
            result = matters_import(actor=None, path=file, dry_run=dry_run)
        except ValidationFailed as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        for warning in result.warnings:
            self.stderr.write(
                self.style.WARNING(
                    gettext("Warning: %(warning)s") % {"warning": warning}
                )
            )
        self.stdout.write(self.style.SUCCESS(result.summary()))
