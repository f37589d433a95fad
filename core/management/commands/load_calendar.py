from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import calendar_overrides_load
from core.errors import ValidationFailed
from core.management.base import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Load calendar overrides (csv: date,kind,name; kind is workday or holiday). "
        "For years chinese-calendar does not know yet, e.g. the State Council's "
        "2027 holiday schedule."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=gettext_lazy("Only check; write nothing"),
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        if not file.exists():
            raise CommandError(_("The file does not exist: %(file)s") % {"file": file})
        try:
            result = calendar_overrides_load(actor=None, path=file, dry_run=dry_run)
        except ValidationFailed as error:
            for item in error.errors:
                self.stderr.write(item["message"])
            raise CommandError(error.message) from None
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _(
                "(Dry run, nothing written) %(created)s new, %(updated)s updated, "
                "%(unchanged)s unchanged"
            )
        else:
            summary = _("%(created)s new, %(updated)s updated, %(unchanged)s unchanged")
        self.stdout.write(self.style.SUCCESS(summary % counts))
