from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Service matters and applications")

    def ready(self) -> None:
        from services import (  # noqa: F401  (register on import)
            scopes,
            scopes_catalogue,
            sensitive,
        )
