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
    """DRF's router, with an object's id in ASCII digits unless the viewset says
    otherwise (``lookup_value_regex``): "/matters/٣/" is no route (404), where
    ``int("٣")`` would have found matter 3."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_value_pattern = "[0-9]+"


router = Router()
extra_patterns = []
for module_name in APP_API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_patterns.extend(module.urlpatterns)

urlpatterns = [*extra_patterns, path("", include(router.urls))]
