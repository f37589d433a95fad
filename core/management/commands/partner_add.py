from django.core.management.base import BaseCommand, CommandError

from core.actions import partner_add
from core.errors import ValidationFailed


class Command(BaseCommand):
    help = (
        "登记合作地区并签发其调用本系统所用的接口密钥（只显示一次）。"
        "对方给我们的密钥用 --outbound-key（加密保存）或 --outbound-key-env（只存环境变量名）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="行政区划代码，如 370790")
        parser.add_argument("name", help="名称，如 潍坊滨海经济技术开发区")
        parser.add_argument(
            "--url", default="", help="对方接口地址，如 https://zwfw.example.gov.cn"
        )
        parser.add_argument("--outbound-key", default="", help="对方签发给本区的密钥")
        parser.add_argument(
            "--outbound-key-env", default="", help="存放对方密钥的环境变量名"
        )
        parser.add_argument(
            "--days", type=int, default=365, help="本区签发密钥的有效天数"
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
                f"已登记合作地区 {issued.key.district.name}（{issued.key.district.code}）。"
                f"请将以下密钥安全交给对方（仅显示这一次）：\n{issued.secret}"
            )
        )
