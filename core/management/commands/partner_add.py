from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import partner_add
from core.errors import ValidationFailed
from core.management.base import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Register a partner district and issue the API key it uses to call this "
        "system (shown only once). Give the key the partner gave us with "
        "--outbound-key (stored encrypted) or --outbound-key-env (only the "
        "environment variable's name is stored)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "code", help=gettext_lazy("Administrative division code, e.g. 370790")
        )
        parser.add_argument(
            "name",
            help=gettext_lazy(
                "Name, e.g. Weifang Binhai Economic and Technological Development Zone"
            ),
        )
        parser.add_argument(
            "--url",
            default="",
            help=gettext_lazy(
                "The partner's API address, e.g. https://zwfw.example.gov.cn"
            ),
        )
        parser.add_argument(
            "--outbound-key",
            default="",
            help=gettext_lazy("The key the partner issued to our district"),
        )
        parser.add_argument(
            "--outbound-key-env",
            default="",
            help=gettext_lazy("The environment variable holding the partner's key"),
        )
        parser.add_argument(
            "--days",
            type=int,
            default=365,
            help=gettext_lazy("Days the key we issue stays valid"),
        )

    def handle(self, *args, **options):
        try:
            issued = partner_add(
                actor=None,
                code=options["code"],
                name=options["name"],
                api_base_url=options["url"],
                outbound_key=options["outbound_key"],
                outbound_key_env=options["outbound_key_env"],
                days_valid=options["days"],
            )
        except ValidationFailed as error:
            for item in error.errors:
                self.stderr.write(f"{item['field']}: {item['message']}")
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Registered the partner district %(name)s (%(code)s). Hand this "
                    "key to the partner securely (shown only this once):\n%(key)s"
                )
                % {
                    "name": issued.key.district.name,
                    "code": issued.key.district.code,
                    "key": issued.secret,
                }
            )
        )
