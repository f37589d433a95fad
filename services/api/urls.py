"""API routes of the services register: catalogue and applications register their own."""

from services.api import application_urls, catalogue_urls


def register(router) -> None:
    catalogue_urls.register(router)
    application_urls.register(router)


urlpatterns = [*catalogue_urls.urlpatterns, *application_urls.urlpatterns]
