"""Page routes of the services register: the catalogue's and the applications'."""

from services.urls import applications, catalogue

app_name = "services"

urlpatterns = [*catalogue.urlpatterns, *applications.urlpatterns]
