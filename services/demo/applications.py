"""Demo data of the services register: applications."""


def seed(stdout=None) -> str:
    return ""
