from django.core.management.base import BaseCommand, CommandError

from core.errors import ValidationFailed
from core.models import District
from services.federation import partner_ping


class Command(BaseCommand):
    help = "用本区持有的对方密钥调用合作地区的 /api/v1/federation/ping/，检查地址与密钥是否可用。"

    def add_arguments(self, parser):
        parser.add_argument("code", help="合作地区的行政区划代码")

    def handle(self, *args, code: str, **options):
        district = District.objects.filter(code=code, kind="partner").first()
        if district is None:
            raise CommandError(f"没有代码为 {code} 的合作地区")
        try:
            answer = partner_ping(district)
        except ValidationFailed as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"{answer['district_name']}（{answer['district']}）在线，识别本区为 {answer['partner']}"
            )
        )
