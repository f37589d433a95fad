"""Create the staff roles as groups with their model permissions.

Permissions of models migrated later are added by the post_migrate hook
(core.signals), which runs the same ``roles_sync``.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    from core.roles import roles_sync

    roles_sync(Group=apps.get_model("auth", "Group"), Permission=apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from core.roles import ROLE_RULES

    apps.get_model("auth", "Group").objects.filter(name__in=[str(r) for r in ROLE_RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_roles, remove_roles)]
