import sys

from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from core.models import District
from services.federation import reconcile


class Command(BaseCommand):
    help = (
        "与合作地区对账：比较双方共有办件（对方没有、本区没有、状态不一致），"
        "投递中的办件不计。有差异时退出码为 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="合作地区的行政区划代码")

    def handle(self, *args, code: str, **options):
        district = District.objects.filter(code=code, kind="partner").first()
        if district is None:
            raise CommandError(f"没有代码为 {code} 的合作地区")
        try:
            differences, compared = reconcile(district)
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        for difference in differences:
            self.stdout.write(self.style.WARNING(difference.describe()))
        self.stdout.write(
            f"与{district.name}对账：比较 {compared} 件，差异 {len(differences)}"
        )
        if differences:
            sys.exit(1)
