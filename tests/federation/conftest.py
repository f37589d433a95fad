import os

import pytest

from tests.federation.instances import create_pair, pair_as_partners


@pytest.fixture(scope="module")
def pair(django_db_blocker):
    """Two running instances registered as each other's partners (module-wide)."""
    with django_db_blocker.unblock():
        a, b = create_pair(f"fed_{os.getpid()}")
        try:
            a.start()
            b.start()
            pair_as_partners(a, b)
            yield a, b
        finally:
            a.drop()
            b.drop()
