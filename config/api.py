"""The one DRF router for /api/v1/; each app's ``api/urls.py`` registers into it."""

from importlib import import_module

from django.urls import include, path
from rest_framework.routers import DefaultRouter

APP_API_MODULES = [
    "core.api.urls",
    "services.api.urls",
    "volunteers.api.urls",
    "enforcement.api.urls",
]


class Router(DefaultRouter):
    """An object's id in a path is a whole number in ASCII digits unless the viewset
    names its own ``lookup_value_regex`` (DRF's default took any text, and
    ``int()`` reads "1_0" as 10 and "٣" as 3); any other id is the API's 404."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", "[0-9]+")
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{value})"


router = Router()
extra_patterns = []
for module_name in APP_API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_patterns.extend(module.urlpatterns)

urlpatterns = [*extra_patterns, path("", include(router.urls))]
