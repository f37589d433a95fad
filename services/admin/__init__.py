"""Admin of the services register; each part registers its own models."""

from services.admin import applications, catalogue  # noqa: F401
