from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        import core.api.schema  # noqa: F401  (registers the OpenAPI auth extension)
        from core import sensitive
        from core.admin import history_permission_first, superuser_only_admin
        from core.lockout import log_lockout
        from core.middleware import stamp_session_at_login
        from core.models import User
        from core.signals import sync_roles_after_migrate

        sensitive.register(User, fields={"phone": sensitive.PHONE})
        # Uploads are refused above UPLOAD_MAX_IMAGE_PIXELS (core.validators);
        # anything that decodes an image refuses twice that (a decompression bomb).
        from django.conf import settings
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = settings.UPLOAD_MAX_IMAGE_PIXELS
        # After every app (admin's autodiscover, pghistory's admin) registered.
        history_permission_first()
        superuser_only_admin()
        import core.scopes  # noqa: F401  (core's own scopes register on import)

        # Runs after auth's own post_migrate handler has created the permissions.
        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="core.roles_sync")
        user_locked_out.connect(log_lockout, dispatch_uid="core.lockout.log")
        user_logged_in.connect(
            stamp_session_at_login, dispatch_uid="core.session_clocks"
        )
