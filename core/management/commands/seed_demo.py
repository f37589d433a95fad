"""Load the demo data of the seed story (shared/seed-news-page.txt) into every register."""

from importlib import import_module

from django.core.management.base import BaseCommand

from core.actions import reference_data_load

# Each register's demo module exposes seed(stdout) -> str (a one-line summary).
DEMO_MODULES = ["core.demo", "services.demo", "volunteers.demo", "enforcement.demo"]


class Command(BaseCommand):
    help = "载入演示数据（济宁经开区2021年的通办、志愿服务和二手车市场整治情形）。可重复运行。"

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
