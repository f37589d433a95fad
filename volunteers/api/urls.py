"""This register's API routes: ``register`` adds viewsets to the shared router."""


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""


urlpatterns: list = []
