"""API routes of the services register: catalogues."""


def register(router) -> None:
    """Add the viewsets to the /api/v1/ router."""


urlpatterns: list = []
