from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import partner_key_rotate, partner_outbound_key_set
from core.errors import ValidationFailed
from core.management.base import BaseCommand
from core.models import District


class Command(BaseCommand):
    help = gettext_lazy(
        "Rotate the key a partner district uses to call this system: issue a new "
        "key; the old ones keep working for a grace period (PARTNER_KEY_GRACE_HOURS "
        "hours by default). --outbound-key also records the partner's new key for "
        "our district."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "code",
            help=gettext_lazy("The partner district's administrative division code"),
        )
        parser.add_argument("--grace-hours", type=int, default=None)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--outbound-key",
            default="",
            help=gettext_lazy("The partner's new key (stored encrypted)"),
        )
        parser.add_argument("--outbound-key-env", default="")
        parser.add_argument(
            "--outbound-only",
            action="store_true",
            help=gettext_lazy("Only update the key the partner gave our district"),
        )

    def handle(self, *args, **options):
        district = District.objects.filter(code=options["code"], kind="partner").first()
        if district is None:
            raise CommandError(
                _("There is no partner district with the code %(code)s")
                % {"code": options["code"]}
            )
        try:
            if options["outbound_key"] or options["outbound_key_env"]:
                partner_outbound_key_set(
                    actor=None,
                    district=district,
                    key=options["outbound_key"],
                    env_var=options["outbound_key_env"],
                )
                self.stdout.write(
                    self.style.SUCCESS(
                        _("Updated the key the partner issued to our district")
                    )
                )
            if options["outbound_only"]:
                return
            issued = partner_key_rotate(
                actor=None,
                district=district,
                grace_hours=options["grace_hours"],
                days_valid=options["days"],
            )
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Issued a new key for %(name)s; the old keys stop working after "
                    "the grace period. The new key (shown only this once):\n%(key)s"
                )
                % {"name": district.name, "key": issued.secret}
            )
        )
