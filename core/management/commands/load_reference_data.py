from django.core.management.base import BaseCommand

from core.actions import reference_data_load, superuser_ensure


class Command(BaseCommand):
    help = "载入基础数据：本区、部门、角色；没有超级用户时创建一个并打印一次性密码。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-superuser", action="store_true", help="不创建首个超级用户"
        )

    def handle(self, *args, **options):
        result = reference_data_load()
        self.stdout.write(
            self.style.SUCCESS(f"基础数据已就绪（新建 {result['created']} 条）")
        )
        if options["no_superuser"]:
            return
        password = superuser_ensure()
        if password:
            self.stdout.write(
                self.style.WARNING(
                    f"已创建超级用户 admin，初始密码：{password}（仅显示这一次，请登录后修改）"
                )
            )
