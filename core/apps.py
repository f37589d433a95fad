from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from axes.signals import user_locked_out

        import core.api.schema  # noqa: F401  (registers the OpenAPI auth extension)
        from core import sensitive
        from core.admin import history_permission_first
        from core.lockout import log_lockout
        from core.models import User
        from core.signals import (
            create_cache_table_after_migrate,
            sync_roles_after_migrate,
        )

        sensitive.register(User, fields={"phone": sensitive.PHONE})
        # After every app (admin's autodiscover, pghistory's admin) registered.
        history_permission_first()

        # Runs after auth's own post_migrate handler has created the permissions.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="core.roles_sync")
        post_migrate.connect(
            create_cache_table_after_migrate, dispatch_uid="core.cache_table"
        )
        user_locked_out.connect(log_lockout, dispatch_uid="core.lockout.log")
