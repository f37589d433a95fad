"""Certificate serials now come from core.NumberSequence: start each year's scope
after the highest serial already issued."""

from django.db import migrations
from django.db.models import Max


def carry_serials(apps, schema_editor):
    Certificate = apps.get_model("volunteers", "Certificate")
    Sequence = apps.get_model("core", "NumberSequence")
    for row in Certificate.objects.values("year").annotate(last=Max("sequence")):
        Sequence.objects.update_or_create(
            scope=f"volunteer-certificate:{row['year']}", defaults={"last": row["last"]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_number_sequence"),
        ("volunteers", "0002_service_categories"),
    ]

    operations = [migrations.RunPython(carry_serials, migrations.RunPython.noop)]
