"""After migrate: keep the role groups' permissions in step with the models."""

from django.apps import apps


def sync_roles_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app; permissions of every app exist by the last.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from core.roles import roles_sync

    roles_sync()
