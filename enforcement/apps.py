from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("Comprehensive administrative enforcement")

    def ready(self) -> None:
        from enforcement import scopes, sensitive  # noqa: F401  (register on import)
