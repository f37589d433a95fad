"""Developer machine: `make run`. Debug on, a fixed insecure key unless one is set."""

from .base import *  # noqa: F403
from .base import database_config, env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-dev-only-not-secret-" + "x" * 32)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
DATABASES = {"default": database_config(env("DATABASE_URL", default=None))}
