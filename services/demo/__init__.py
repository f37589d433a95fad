"""Demo data of the services register: the catalogue first, then applications."""

from services.demo import applications, catalogue


def seed(stdout=None) -> str:
    parts = [catalogue.seed(stdout=stdout), applications.seed(stdout=stdout)]
    return "；".join(part for part in parts if part)
