"""Load the standard service categories (义务劳动, 矛盾调解, 禁烧巡查 …)."""

from django.db import migrations

CATEGORIES = [
    ("labour", "义务劳动"),
    ("mediation", "矛盾调解"),
    ("burn_patrol", "禁烧巡查"),
    ("policy", "政策宣讲"),
    ("culture", "文化宣传"),
    ("clinic", "义诊"),
    ("vaccination", "疫苗接种"),
    ("traffic", "交通安全宣传"),
    ("rescue", "应急救援"),
    ("environment", "环境卫生整治"),
    ("gov_service", "政务帮办代办"),
]


def load(apps, schema_editor):
    ServiceCategory = apps.get_model("volunteers", "ServiceCategory")
    for code, name in CATEGORIES:
        ServiceCategory.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
