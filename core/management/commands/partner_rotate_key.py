from django.core.management.base import BaseCommand, CommandError

from core.actions import partner_key_rotate, partner_outbound_key_set
from core.errors import ValidationFailed
from core.models import District


class Command(BaseCommand):
    help = (
        "轮换合作地区调用本系统的密钥：签发新密钥，旧密钥在宽限期内继续有效"
        "（默认 PARTNER_KEY_GRACE_HOURS 小时）。--outbound-key 同时更新对方给本区的新密钥。"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="合作地区的行政区划代码")
        parser.add_argument("--grace-hours", type=int, default=None)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument(
            "--outbound-key", default="", help="对方的新密钥（加密保存）"
        )
        parser.add_argument("--outbound-key-env", default="")
        parser.add_argument(
            "--outbound-only", action="store_true", help="只更新对方给本区的密钥"
        )

    def handle(self, *args, **options):
        district = District.objects.filter(code=options["code"], kind="partner").first()
        if district is None:
            raise CommandError(f"没有代码为 {options['code']} 的合作地区")
        try:
            if options["outbound_key"] or options["outbound_key_env"]:
                partner_outbound_key_set(
                    actor=None,
                    district=district,
                    key=options["outbound_key"],
                    env_var=options["outbound_key_env"],
                )
                self.stdout.write(self.style.SUCCESS("已更新对方签发给本区的密钥"))
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
                f"已为 {district.name} 签发新密钥，旧密钥在宽限期后失效。新密钥（仅显示这一次）：\n"
                f"{issued.secret}"
            )
        )
