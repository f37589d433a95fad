"""Demo data of the services register: catalogue."""


def seed(stdout=None) -> str:
    return ""
