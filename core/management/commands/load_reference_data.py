from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.actions import reference_data_load, superuser_ensure
from core.management.base import BaseCommand


class Command(BaseCommand):
    help = gettext_lazy(
        "Load the reference data: our district, departments, roles; without a "
        "superuser, create one and print its one-time password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-superuser",
            action="store_true",
            help=gettext_lazy("Do not create the first superuser"),
        )

    def handle(self, *args, **options):
        result = reference_data_load()
        self.stdout.write(
            self.style.SUCCESS(
                _("Reference data is ready (%(count)s rows created)")
                % {"count": result["created"]}
            )
        )
        if options["no_superuser"]:
            return
        password = superuser_ensure()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Created the superuser admin with the initial password "
                        "%(password)s (shown only this once; change it after "
                        "logging in)"
                    )
                    % {"password": password}
                )
            )
