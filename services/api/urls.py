"""API routes of the services register: catalogue, applications and federation."""

from services.api import application_urls, catalogue_urls, federation_urls

PARTS = [catalogue_urls, application_urls, federation_urls]


def register(router) -> None:
    for part in PARTS:
        part.register(router)


urlpatterns = [pattern for part in PARTS for pattern in part.urlpatterns]
