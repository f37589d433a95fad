"""Staff and public pages speak the district's language; the API follows the caller."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class DistrictLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for ``/api/`` (partners read English with
    ``Accept-Language: en``); every other page is in ``LANGUAGE_CODE`` whatever the
    browser prefers, because the district's staff work in Chinese."""

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()
        return None
