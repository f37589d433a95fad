"""The test database: migrated once per set of migrations, then copied; the demo
data seeded once per session.

**The template.** Migrating an empty database takes one to two minutes here (for
each of several hundred field changes Django renders the related model states
again), which was the first fifth of every run. So the first run on a server
migrates ``test_…`` as usual and keeps a copy of the result as a template
database, ``regtpl_<digest>``; the digest covers Django's version and every
installed app's migration files. Later runs, each xdist worker and the federation
instances clone the template (``CREATE DATABASE … TEMPLATE``, a fraction of a
second) and run ``migrate`` on the copy, which has nothing to apply but runs the
post-migrate hooks again (permissions, the roles' permissions from the current
code). A new or changed migration gives a new digest and so one fresh migrate;
``--create-db`` rebuilds the template too. A clone is always fresh: ``--reuse-db``
only keeps the test database after the run. The newest few templates are kept
on the server (checkouts with the same migrations share one); older ones are
dropped when a new one is made.

**The demo data.** ``seed_demo`` takes 15–20 s; the tests of the demo story use
the ``demo_data`` fixture, which runs it once per session, committed, into the
test database. Each test still runs in its own transaction, rolled back, so what
a test changes is undone. Tests that use it are run last (see
``tests/conftest.py``) and are marked ``slow``. Before each test (before any of
its fixtures, so outside its transaction) ``pytest_runtest_setup`` makes sure the
database holds the demo data exactly when the test asks for it: a transactional
test flushes every table after itself, so the demo data is seeded again when a
later test wants it; and a test that does not want it (when an option such as
``--failed-first`` reorders tests) gets the database flushed first, as after a
transactional test.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import uuid
from pathlib import Path

import pytest

TEMPLATE_PREFIX = "regtpl_"
TEMPLATES_KEPT = 6


class _State:
    template: str | None = None  # the template the test database was cloned from
    blocker = None  # pytest-django's blocker, once the demo data was first seeded


def migrations_digest() -> str:
    """A digest of Django's version and every installed app's migration files."""
    import django
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    digest = hashlib.sha256(f"django {django.get_version()}\n".encode())
    for app in sorted(apps.get_app_configs(), key=lambda config: config.label):
        module_name, _ = MigrationLoader.migrations_module(app.label)
        spec = importlib.util.find_spec(module_name) if module_name else None
        for directory in (spec and spec.submodule_search_locations) or []:
            for path in sorted(Path(directory).glob("*.py")):
                digest.update(f"{app.label}/{path.name}\n".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:24]


def _quote(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


def clone_database(server, source: str, target: str) -> None:
    """Replace ``target`` with a copy of ``source`` (nobody may be connected to it)."""
    server.execute(f"DROP DATABASE IF EXISTS {_quote(target)} WITH (FORCE)")
    server.execute(f"CREATE DATABASE {_quote(target)} TEMPLATE {_quote(source)}")


def _made_by(server, name: str) -> str | None:
    """The run that made template ``name`` (its comment); None if there is none."""
    server.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
        "FROM pg_database WHERE datname = %s",
        [name],
    )
    row = server.fetchone()
    return None if row is None else row[0]


def _drop_old_templates(server) -> None:
    server.execute(
        "SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid DESC",
        [TEMPLATE_PREFIX.replace("_", r"\_") + "%"],
    )
    for (name,) in server.fetchall()[TEMPLATES_KEPT:]:
        try:
            server.execute(f"DROP DATABASE IF EXISTS {_quote(name)}")
        except Exception:  # noqa: BLE001  (being copied right now: next time)
            pass


def template_name() -> str:
    """The template the session's test database came from (after ``django_db_setup``)."""
    assert _State.template, "the test database is not set up yet"
    return _State.template


@pytest.fixture(scope="session")
def django_db_setup(
    request,
    django_test_environment,
    django_db_blocker,
    django_db_use_migrations,
    django_db_keepdb,
    django_db_createdb,
    django_db_modify_db_settings,
):
    """pytest-django's fixture of the same name, with the test database cloned from
    the template (made first when missing). Without migrations (``--nomigrations``)
    there is no template and Django creates the database as usual."""
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

    verbosity = request.config.option.verbose
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    setup = dict(
        verbosity=verbosity,
        interactive=False,
        aliases=aliases,
        serialized_aliases=serialized_aliases,
    )
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            _disable_migrations()
            db_cfg = setup_databases(keepdb=django_db_keepdb, **setup)
        else:
            digest = migrations_digest()
            # The workers of one run share xdist's run id.
            run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
            template = TEMPLATE_PREFIX + digest
            test_name = connection.creation._get_test_db_name()
            with connection._nodb_cursor() as server:
                # One session builds a template; others wanting it wait, then copy.
                server.execute("SELECT pg_advisory_lock(%s)", [int(digest[:15], 16)])
                try:
                    made_by = _made_by(server, template)
                    # --create-db rebuilds it, once per run (not once per worker).
                    usable = made_by is not None and (
                        made_by == run or not django_db_createdb
                    )
                    if usable:
                        clone_database(server, template, test_name)
                        db_cfg = setup_databases(keepdb=True, **setup)
                    else:
                        db_cfg = setup_databases(keepdb=False, **setup)
                        connections.close_all()
                        clone_database(server, test_name, template)
                        server.execute(
                            f"COMMENT ON DATABASE {_quote(template)} IS %s", [run]
                        )
                        _drop_old_templates(server)
                finally:
                    server.execute(
                        "SELECT pg_advisory_unlock(%s)", [int(digest[:15], 16)]
                    )
            _State.template = template

    yield

    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                if _State.template is None:
                    teardown_databases(db_cfg, verbosity=verbosity)
                else:
                    # A clone: drop it even if the live server (a session fixture
                    # set up before this one, so torn down after) is connected.
                    connections.close_all()
                    with connection._nodb_cursor() as server:
                        server.execute(
                            f"DROP DATABASE IF EXISTS {_quote(test_name)} WITH (FORCE)"
                        )
            except Exception as exc:  # noqa: BLE001  (as pytest-django does)
                request.node.warn(
                    pytest.PytestWarning(
                        f"Error tearing down the test database: {exc!r}"
                    )
                )


# --- the demo data ---------------------------------------------------------------


def _demo_present() -> bool:
    # The enforcement campaign is seeded last by seed_demo: its presence means all is.
    from enforcement.demo import CAMPAIGN_NAME
    from enforcement.models import Campaign

    return Campaign.objects.filter(name=CAMPAIGN_NAME).exists()


def _demo_seed() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())


def _flush() -> None:
    """Empty every table, as pytest-django does after a transactional test."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)


@pytest.fixture(scope="session")
def demo_data(django_db_setup, django_db_blocker) -> None:
    """The whole ``seed_demo`` data, committed once; tests see it in their transaction."""
    with django_db_blocker.unblock():
        if not _demo_present():
            _demo_seed()
    _State.blocker = django_db_blocker


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if _State.blocker is None:
        return  # not seeded in this session: nothing to keep in step
    wanted = "demo_data" in getattr(item, "fixturenames", ())
    with _State.blocker.unblock():
        present = _demo_present()
        if wanted and not present:
            _demo_seed()  # a transactional test flushed it
        elif present and not wanted:
            _flush()
