"""The BOLA matrix: every object route × every verb it accepts × every outsider.

Routes come from the router, the URL patterns and the admin (``routes.py``);
objects from ``world.py`` (one per model, owned by department A). For each route
whose object a probe may not touch (``routes.POLICIES``), the probe's answer for
the real object must be a denial *and the same answer it gets for a missing
object* (the ghost twin: the same URL with an id that does not exist):

- 404 where the probe holds the model permission: only the scope stops them;
- 403 (or 401, or the redirect to sign in) only where the probe lacks the
  permission for the whole model or route, which the ghost proves: the answer
  does not depend on the object, so it tells nothing about it.

Every request runs in a savepoint that is rolled back, so a write that got
through cannot disturb the next probe (it is reported by its status). The
owner's GET is the control: the object is there and reachable, so the others'
404 means the scope, not a wrong fixture.
"""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from tests.gates import routes
from tests.gates.world import build_world

# The marker makes pytest-django create the test database; each test then runs
# in a savepoint inside the module's one transaction (``probe``).
pytestmark = pytest.mark.django_db
CATALOGUE = routes.catalogue()
DENIAL_STATUSES = {401, 403, 404, 405}


class Probe:
    """Signed-in clients for the world's actors, and one request helper."""

    def __init__(self, world):
        from core.actions import partner_key_issue
        from tests.factories import UserFactory

        self.world = world
        self.clients = {name: self._client(a) for name, a in world.actors.items()}
        superuser = UserFactory(
            is_staff=True, is_superuser=True, department=world.owners["core"].department
        )
        self.superuser = self._client(superuser)
        self.owners = {app: self._client(u) for app, u in world.owners.items()}
        self.party = self._client(
            partner_key_issue(actor=None, district=world.partner).secret
        )

    @staticmethod
    def _client(actor) -> Client:
        client = Client(raise_request_exception=False)
        if isinstance(actor, str):
            client.defaults["HTTP_AUTHORIZATION"] = f"Api-Key {actor}"
        else:
            client.force_login(actor)
        return client

    def control_client(self, route, label) -> Client:
        if route.kind == "admin":
            return self.superuser
        if label.startswith("federation."):
            return self.party
        return self.owners.get(label.split(".")[0], self.superuser)

    def call(self, client, route, method, url, label):
        obj = self.world.objects.get(label)
        version = getattr(obj, "version", 1)
        headers = {"If-Match": f'"{version}"'}
        sid = transaction.savepoint()
        try:
            if route.kind == "api":
                response = client.generic(
                    method.upper(),
                    url,
                    json.dumps({}) if method != "get" else "",
                    content_type="application/json",
                    headers=headers if method != "get" else None,
                )
            elif method == "get":
                response = client.get(url)
            elif method == "post":
                response = client.post(url, {})
            else:
                response = client.generic(method.upper(), url, "")
            if response.streaming:
                # Consumed, so the test client's wrapper closes it without
                # closing the database connection (the module's transaction).
                body = b"".join(response.streaming_content)
            else:
                body = response.content
            return response.status_code, response.get("Location", ""), body
        finally:
            transaction.savepoint_rollback(sid)


def _path(location: str) -> str:
    return location.split("?", 1)[0]


def is_denial(status: int, location: str) -> bool:
    if status in DENIAL_STATUSES:
        return True
    if status == 302:
        return _path(location) in {
            reverse(settings.LOGIN_URL),
            reverse("admin:login"),
            reverse("admin:index"),
        }
    return False


def found(status: int, location: str) -> bool:
    """The control's answer shows the object is there (405: the verb is not GET)."""
    return (
        status < 500
        and status not in {401, 403, 404}
        and not (status == 302 and is_denial(status, location))
    )


@pytest.fixture(scope="module")
def probe(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("gates-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        yield Probe(build_world())
        transaction.set_rollback(True)


def test_every_object_route_has_a_case():
    """A route that names an object but that the gates cannot build fails here."""
    assert not CATALOGUE.missing, "\n".join(CATALOGUE.missing)


def test_the_matrix_covers_each_source():
    kinds = {route.kind for route in CATALOGUE.routes}
    assert kinds == {"api", "page", "admin", "media"}
    assert len(CATALOGUE.routes) > 100


@pytest.mark.parametrize("route", CATALOGUE.routes, ids=lambda r: r.id)
def test_outsiders_are_refused_like_a_missing_object(probe, route):
    problems = []
    for target in route.targets(probe.world):
        if route.listing:
            problems += _check_listing(probe, route, target)
            continue
        if route.control and target.control and "get" in route.methods:
            client = probe.control_client(route, target.label)
            status, location, _ = probe.call(
                client, route, "get", target.url, target.label
            )
            if not found(status, location):
                problems.append(
                    f"control: GET {target.url} [{target.note}] got "
                    f"{status} {location}; the probe object is not reachable"
                )
        for method in route.methods:
            if route.public and method == "get":
                continue
            for actor in routes.denied(target.label, method):
                client = probe.clients[actor]
                real = probe.call(client, route, method, target.url, target.label)
                ghost = probe.call(
                    client, route, method, target.ghost_url, target.label
                )
                same = real[0] == ghost[0] and _path(real[1]) == _path(
                    ghost[1]
                ).replace(target.ghost_url, target.url)
                if method != "get" and routes.may_read(actor, target.label):
                    # They see the row anyway: any refusal will do.
                    if not is_denial(real[0], real[1]):
                        problems.append(
                            f"{method.upper()} {target.url} [{target.note}] as "
                            f"{actor} (may read, not write): got {real[0]} "
                            f"{_path(real[1])}, expected 403 or 404"
                        )
                    continue
                if not (is_denial(real[0], real[1]) and real[0] == ghost[0]):
                    problems.append(
                        f"{method.upper()} {target.url} [{target.note}] as {actor}: "
                        f"got {real[0]} {_path(real[1])}, a missing object gets "
                        f"{ghost[0]} {_path(ghost[1])} (expected the same denial)"
                    )
                elif not same and real[0] == 302:
                    problems.append(
                        f"{method.upper()} {target.url} as {actor}: redirected to "
                        f"{real[1]}, a missing object to {ghost[1]}"
                    )
    assert not problems, f"{route.id}:\n" + "\n".join(problems)


def _check_listing(probe, route, target):
    """Admin change list: the object's row (its change link) only for who may read."""
    problems = []
    link = target.ghost_url  # the object's change URL
    status, _location, body = probe.call(
        probe.superuser, route, "get", target.url, target.label
    )
    if route.control and (status != 200 or link.encode() not in body):
        problems.append(f"control: the superuser's change list lacks {link}")
    for actor in routes.denied(target.label, "get"):
        status, location, body = probe.call(
            probe.clients[actor], route, "get", target.url, target.label
        )
        if status == 200 and link.encode() in body:
            problems.append(f"GET {target.url} as {actor}: lists {link}")
        elif status != 200 and not is_denial(status, location):
            problems.append(f"GET {target.url} as {actor}: got {status}")
    return problems


# -- other libraries' admins that only superusers open ---------------------------


def test_no_model_of_our_own_apps_is_excused_as_superuser_only():
    own = {
        label
        for label in routes.SUPERUSER_ONLY_ADMIN
        if label.split(".")[0] in routes.OWN_APPS
    }
    assert not own


@pytest.mark.parametrize(
    "model", routes.superuser_only_models(), ids=lambda m: m._meta.label
)
def test_superuser_only_admin_refuses_staff(probe, model):
    """Every admin page of the model refuses staff who are not superusers: the
    probes, and a staff member given every permission of the model itself."""
    from django.contrib.admin.utils import quote
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from tests.factories import UserFactory

    holder = UserFactory(
        is_staff=True, department=probe.world.owners["core"].department
    )
    holder.user_permissions.set(
        Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(
                model, for_concrete_model=False
            )
        )
    )
    clients = {
        **{name: probe.clients[name] for name in routes.ALL_PROBES},
        "owner": probe.owners["core"],
        "holder of the model's permissions": Probe._client(holder),
    }
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    row = model._default_manager.order_by().values_list("pk", flat=True).first()
    urls = [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
    for pk in {routes.GHOST_PK, row} - {None}:
        urls += [reverse(f"{info}_{page}", args=[quote(pk)]) for page in PAGES]
    assert probe.superuser.get(urls[0]).status_code == 200
    problems = []
    for name, client in clients.items():
        index = client.get(reverse("admin:index"))
        if index.status_code == 200 and urls[0].encode() in index.content:
            problems.append(f"the admin index links {urls[0]} for {name}")
        for url in urls:
            for method in ("get", "post"):
                sid = transaction.savepoint()
                try:
                    response = getattr(client, method)(url)
                finally:
                    transaction.savepoint_rollback(sid)
                location = response.get("Location", "")
                if not is_denial(response.status_code, location):
                    problems.append(
                        f"{method.upper()} {url} as {name}: got "
                        f"{response.status_code} {_path(location)}"
                    )
    assert not problems, "\n".join(problems)


PAGES = ("change", "delete", "history")
