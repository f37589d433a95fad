"""Load the demo data of the seed story (shared/seed-news-page.txt) into every register."""

from importlib import import_module

from django.utils.translation import gettext_lazy as _

from core.actions import reference_data_load
from core.management.base import BaseCommand

# Each register's demo module exposes seed(stdout) -> str (a one-line summary).
DEMO_MODULES = ["core.demo", "services.demo", "volunteers.demo", "enforcement.demo"]


class Command(BaseCommand):
    help = _(
        "Load the demo data (the Jining development zone in 2021: cross-region "
        "service, volunteering and the used-car market campaign). May be run again."
    )

    def handle(self, *args, **options):
        reference_data_load()
        for module_name in DEMO_MODULES:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name != module_name:
                    raise
                continue  # a register without demo data yet
            summary = module.seed(stdout=self.stdout)
            self.stdout.write(self.style.SUCCESS(summary))
