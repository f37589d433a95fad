from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.management.base import BaseCommand
from services.actions.catalogue import agreement_list_import, agreement_resolve


class Command(BaseCommand):
    help = _(
        "Import a cross-region agreement's list (xlsx or csv: implementation code, "
        "batch, effective date, end date, removal reason). Creates or updates by "
        "(implementation code, effective date); if any row is wrong, nothing in the "
        "file is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement", help=gettext("Agreement number or ID"))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("Only check; write nothing")
        )

    def handle(self, *args, agreement: str, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(
                gettext("The file does not exist: %(file)s") % {"file": file}
            )
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
