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

router = DefaultRouter()
extra_patterns = []
for module_name in APP_API_MODULES:
    module = import_module(module_name)
    module.register(router)
    extra_patterns.extend(module.urlpatterns)

urlpatterns = [*extra_patterns, path("", include(router.urls))]
