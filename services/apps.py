from django.apps import AppConfig


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = "通办事项与办件"
