from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.errors import ValidationFailed
from core.management.base import BaseCommand
from services.actions.catalogue_import import matters_import


class Command(BaseCommand):
    help = _(
        "Import service matters (xlsx, xls, ods or csv; the columns are in "
        "docs/catalogue.md, with Chinese or English headers). Creates or updates "
        "by implementation code; every row is checked first and, unless "
        "--skip-invalid, nothing is written if any row is wrong."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help=gettext("Only check; write nothing")
        )
        parser.add_argument(
            "--create-departments",
            action="store_true",
            help=gettext(
                "Create the implementing departments the file names that do not "
                "exist yet"
            ),
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

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(
                gettext("The file does not exist: %(file)s") % {"file": file}
            )
        try:
            result = matters_import(
                actor=None,
                path=file,
                dry_run=dry_run,
                create_departments=options["create_departments"],
                skip_invalid=options["skip_invalid"],
                errors_file=options["errors"],
            )
        except ValidationFailed as error:
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


def report(command, result, errors_file) -> None:
    """Refused rows and warnings on stderr, the summary on stdout."""
    for line in result.errors:
        command.stderr.write(command.style.ERROR(line))
    for warning in result.warnings:
        command.stderr.write(
            command.style.WARNING(
                gettext("Warning: %(warning)s") % {"warning": warning}
            )
        )
    if errors_file and result.refused:
        command.stderr.write(
            gettext("The refused rows were written to %(file)s") % {"file": errors_file}
        )
    command.stdout.write(command.style.SUCCESS(result.summary()))
