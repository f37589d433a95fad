import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.management.base import BaseCommand
from core.tabular import write_rows
from services.actions.catalogue import agreement_resolve
from services.catalogue_files import agreement_list_table
from services.selectors.catalogue import agreement_list_as_of


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            gettext("The date “%(value)s” is not valid; it should be YYYY-MM-DD.")
            % {"value": value}
        ) from None


class Command(BaseCommand):
    help = _(
        "Export a cross-region agreement's list on a date (xlsx or csv; "
        "import_agreement_list reads it back unchanged)."
    )

    def add_arguments(self, parser):
        parser.add_argument("agreement", help=gettext("Agreement number or ID"))
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--as-of", type=iso_date, help=gettext("List date (today by default)")
        )

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
                ngettext(
                    "Exported %(count)s entry of the list of %(agreement)s on "
                    "%(date)s to %(file)s",
                    "Exported %(count)s entries of the list of %(agreement)s on "
                    "%(date)s to %(file)s",
                    count,
                )
                % {"count": count, "agreement": found.code, "date": on, "file": file}
            )
        )
