"""Page routes of the services register: catalogue, applications, federation."""

from services.urls import applications, catalogue, federation

app_name = "services"

urlpatterns = [
    *catalogue.urlpatterns,
    *applications.urlpatterns,
    *federation.urlpatterns,
]
