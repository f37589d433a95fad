from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.management.base import BaseCommand
from services.actions.catalogue import agreement_resolve
from services.actions.catalogue_import import agreement_list_import
from services.management.commands.import_matters import report


class Command(BaseCommand):
    help = _(
        "Import a cross-region agreement's list (xlsx or csv: implementation code, "
        "batch, effective date, end date, removal reason). Creates or updates by "
        "(implementation code, effective date); unless --skip-invalid, nothing in "
        "the file is written if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement", help=gettext("Agreement number or ID"))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("Only check; write nothing")
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help=gettext("Write the valid rows and leave out the refused ones"),
        )
        parser.add_argument(
            "--errors",
            type=Path,
            metavar="FILE",
            help=gettext(
                "Write every refused row, with its reasons, to this xlsx file to "
                "correct and import again"
            ),
        )

    def handle(self, *args, agreement: str, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(
                gettext("The file does not exist: %(file)s") % {"file": file}
            )
        try:
            found = agreement_resolve(agreement)
            result = agreement_list_import(
                actor=None,
                agreement=found,
                path=file,
                dry_run=dry_run,
                skip_invalid=options["skip_invalid"],
                errors_file=options["errors"],
            )
        except DomainError as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            written = getattr(error, "errors_file", None)
            if written:
                self.stderr.write(
                    gettext("The refused rows were written to %(file)s")
                    % {"file": written}
                )
            raise CommandError(error.message) from None
        report(self, result, options["errors"])
