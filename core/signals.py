"""After migrate: keep the role groups' permissions in step with the models, and
create the shared cache's table."""

from django.apps import apps


def sync_roles_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app; permissions of every app exist by the last.
    if sender.label != list(apps.get_app_configs())[-1].label:
        return
    from core.roles import roles_sync

    roles_sync()


def create_cache_table_after_migrate(sender, using="default", **kwargs):
    """The database cache's table (rate limits), on every database migrated: so
    `make run`, the test database and a production `migrate` all have it."""
    if sender.label != "core":
        return
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
