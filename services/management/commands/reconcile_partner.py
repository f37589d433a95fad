import sys

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ValidationFailed
from core.management.base import BaseCommand
from core.models import District
from services.federation import reconcile


class Command(BaseCommand):
    help = gettext_lazy(
        "Reconcile with a partner district: compare the applications both share "
        "(missing at the partner, missing here, status differs), leaving out those "
        "in transit. Exits with 1 when there are differences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "code",
            help=gettext_lazy("The partner district's administrative division code"),
        )

    def handle(self, *args, code: str, **options):
        district = District.objects.filter(code=code, kind="partner").first()
        if district is None:
            raise CommandError(
                _("There is no partner district with the code %(code)s")
                % {"code": code}
            )
        try:
            differences, compared = reconcile(district)
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        for difference in differences:
            self.stdout.write(self.style.WARNING(difference.describe()))
        self.stdout.write(
            _(
                "Reconciliation with %(district)s: %(compared)s compared, "
                "%(differences)s differences"
            )
            % {
                "district": district.name,
                "compared": compared,
                "differences": len(differences),
            }
        )
        if differences:
            sys.exit(1)
