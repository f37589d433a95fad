from django.utils.functional import SimpleLazyObject

from core.models import District
from core.navigation import registry_nav


def district(request):
    """The local district's name and the navigation, each computed only if used."""

    def local_name():
        found = (
            District.objects.filter(kind="local").values_list("name", flat=True).first()
        )
        return found or "经开区"  # i18n: data (the district's own short name)

    user = getattr(request, "user", None)
    return {
        "local_district_name": SimpleLazyObject(local_name),
        "registry_nav": SimpleLazyObject(
            lambda: registry_nav(user) if user and user.is_authenticated else []
        ),
    }
