"""gunicorn reads this file from the directory it starts in (`make run`, the
test servers, a deployment's working directory): access log lines have their
ID and mobile numbers masked (core.logs.AccessLogger)."""

logger_class = "core.logs.AccessLogger"
