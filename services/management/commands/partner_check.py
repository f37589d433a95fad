from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ValidationFailed
from core.management.base import BaseCommand
from core.models import District
from services.federation import partner_ping


class Command(BaseCommand):
    help = gettext_lazy(
        "Call a partner district's /api/v1/federation/ping/ with the key we hold "
        "for it, to check its address and key."
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
            answer = partner_ping(district)
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                _("%(name)s (%(code)s) is online and knows us as %(partner)s")
                % {
                    "name": answer["district_name"],
                    "code": answer["district"],
                    "partner": answer["partner"],
                }
            )
        )
