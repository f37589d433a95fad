"""One pair of running instances for every test in tests/federation.

The instances are started once per session (the pair is the slow part: two
databases, two servers); tests keep apart by their data (each takes its own
application across), not by restarting the pair. A test that stops an instance
starts it again before it ends.
"""

import os

import pytest

from tests.database import template_name
from tests.federation.instances import create_pair, pair_as_partners


@pytest.fixture(scope="session")
def pair(django_db_setup, django_db_blocker):
    """Two running instances registered as each other's partners."""
    with django_db_blocker.unblock():
        a, b = create_pair(f"fed_{os.getpid()}", template_name())
        try:
            a.start()
            b.start()
            pair_as_partners(a, b)
            yield a, b
        finally:
            a.drop()
            b.drop()
