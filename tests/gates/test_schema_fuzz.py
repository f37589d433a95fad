"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis).

Every operation of ``/api/schema/`` is called in-process through the WSGI app
with data generated from the schema, as three callers: anonymous, a staff
member (token) and a partner district (API key). Every default check must pass:
no server error, only documented statuses, content types and headers, bodies
that match the documented schema, invalid data refused, required headers
(``If-Match``) enforced, declared authentication honoured.

``make test`` runs a few examples per operation (derandomized, so a run is
reproducible); ``make fuzz`` sets ``GATES_FUZZ_EXAMPLES`` (default there 200).
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig
from schemathesis.config._checks import PositiveDataAcceptanceConfig

from tests.gates.world import build_world

EXAMPLES = int(os.environ.get("GATES_FUZZ_EXAMPLES", "5"))
pytestmark = pytest.mark.django_db


def _openapi() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(json.dumps(document, cls=DjangoJSONEncoder))


# Schema-valid data may still break a rule that spans rows (a foreign key to a
# row that does not exist, an end before the start: 400 with field messages) or
# name a stale version (412, 428): the state decides, not the schema. Every
# other check runs as schemathesis ships it.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": [
                    *PositiveDataAcceptanceConfig._DEFAULT_EXPECTED_STATUSES,
                    "400",
                    "412",
                    "428",
                ]
            }
        }
    }
)


def _schema():
    # The handler itself, not get_wsgi_application(): that runs django.setup()
    # again, which reconfigures logging and drops the sensitive-number scanner.
    from django.core.handlers.wsgi import WSGIHandler

    schema = schemathesis.openapi.from_dict(_openapi(), config=CONFIG)
    schema.app = WSGIHandler()
    return schema


SCHEMA = _schema()
SETTINGS = hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(scope="module")
def callers(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world of the access matrix, and the headers of each kind of caller."""
    from core.actions import partner_key_issue, staff_token_issue

    media = tmp_path_factory.mktemp("fuzz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        _restart_ids()
        world = build_world()
        staff = world.owners["core"]  # a 区级管理员: every register's permissions
        token = staff_token_issue(actor=staff, name="fuzz").secret
        key = partner_key_issue(actor=None, district=world.partner).secret
        # Django closes "old" connections when a request ends; here the one
        # connection holds the test's transaction, so keep it (as Client does).
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield {
                "anonymous": {},
                "staff": {"Authorization": f"Token {token}"},
                "partner": {"Authorization": f"Api-Key {key}"},
            }
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            transaction.set_rollback(True)


def _restart_ids():
    """Number the world's rows from 1 (after any row already there), whatever ran
    before: the generated ids are mostly small, so they find the world's objects
    as often in `make test` (after a thousand other tests) as on a fresh database,
    and a run's findings do not depend on what ran first."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.fixture
def world_as_built(callers):
    """A savepoint of the world; every example goes back to it (``_run``)."""
    return transaction.savepoint()


def _run(case, headers, savepoint):
    try:
        case.call_and_validate(headers=headers)
    finally:
        # Whatever a failed request left marked, the world as built is sound.
        transaction.set_rollback(False)
        # One statement per example, and the savepoint stays for the next: a
        # savepoint per example, never released, nested ever deeper, and once a
        # request wrote, every level took a lock ("out of shared memory"). Rate
        # limit counters are rows too (core.ratelimit), so they start afresh:
        # the progress look-up (five a minute) is fuzzed, not answered 429.
        transaction.savepoint_rollback(savepoint)


@SCHEMA.parametrize()
@SETTINGS
def test_api_as_anonymous(case, callers, world_as_built):
    _run(case, callers["anonymous"], world_as_built)


@SCHEMA.parametrize()
@SETTINGS
def test_api_as_staff(case, callers, world_as_built):
    _run(case, callers["staff"], world_as_built)


@SCHEMA.parametrize()
@SETTINGS
def test_api_as_partner(case, callers, world_as_built):
    _run(case, callers["partner"], world_as_built)
