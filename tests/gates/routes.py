"""Every route that names an object, generated from the URL configuration.

Three sources, so a new endpoint is probed without anyone writing its test:

- the DRF router (``config.api.router``): each registered viewset's detail
  routes, ``@action(detail=True)`` included, with the HTTP verbs the route maps;
- the staff pages: ``django.urls.get_resolver()`` walked recursively; every
  pattern with a keyword argument other than ``format`` names an object;
- the admin (``admin.site._registry``): change, delete and history of each
  model, and its change list (checked for the object's row).

What a route needs to be probed (which object, which extra arguments) is looked
up below by basename, URL name or model label. A route the tables below do not
know is a failure naming it (``test_every_object_route_has_a_case``): add its
case here when you add the endpoint.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

GHOST_PK = 987654321
GHOST_UUID = "00000000-0000-4000-8000-00000000dead"
WRITE_METHODS = ("post", "put", "patch", "delete")

# -- who is denied what ------------------------------------------------------

READ_PROBES = ("other_department", "partner_staff", "partner_key")
WRITE_PROBES = (
    "other_department",
    "partner_staff",
    "read_only",
    "read_all_officer",
    "partner_key",
)
ALL_PROBES = WRITE_PROBES


@dataclass(frozen=True)
class Policy:
    """Who may, by design, do what to a model's rows despite not owning them."""

    reads: frozenset = frozenset()
    writes: frozenset = frozenset()
    why: str = ""


VOLUNTEER_MODELS = (
    "PartyBranch",
    "ServiceCategory",
    "Organisation",
    "Team",
    "Volunteer",
    "Membership",
    "AnnualPlan",
    "PlanItem",
    "Activity",
    "ActivityPhoto",
    "Participation",
    "Donation",
    "Certificate",
)

# Everything not listed: only department A (and read-all roles, for reads).
POLICIES: dict[str, Policy] = {
    "core.District": Policy(
        reads=frozenset(ALL_PROBES), why="reference data every caller reads"
    ),
    "core.Department": Policy(
        reads=frozenset(ALL_PROBES), why="reference data every caller reads"
    ),
    # The catalogue is the district's: every local officer reads it, drafts too
    # (services/selectors/catalogue.py); writing it needs the catalogue role.
    # The probe matter is a draft, so only local staff may read it.
    **{
        label: Policy(
            reads=frozenset({"other_department"}),
            why="the district's catalogue: all local staff read it",
        )
        for label in ("services.Matter", "services.MatterMaterial")
    },
    # The 通办 lists in force are published (the public pages show them); a
    # partner's system reads only its own agreements.
    **{
        label: Policy(
            reads=frozenset({"other_department", "partner_staff"}),
            why="an agreement in force and its list are public",
        )
        for label in ("services.Agreement", "services.AgreementMatter")
    },
    "services.Bundle": Policy(
        reads=frozenset(ALL_PROBES), why="一件事 bundles are public catalogue data"
    ),
    # The volunteer register belongs to the local district, not to a department:
    # a volunteer manager of any local department keeps it (docs/volunteers.md).
    **{
        f"volunteers.{name}": Policy(
            reads=frozenset({"other_department"}),
            writes=frozenset({"other_department", "read_all_officer"}),
            why="the volunteer register is district-wide",
        )
        for name in VOLUNTEER_MODELS
    },
}


# Roles that read every row of the registers (只读 and whoever also holds it).
READ_ALL = {"read_only", "read_all_officer"}
REGISTERS = ("services.", "volunteers.", "enforcement.")


def may_read(actor: str, label: str) -> bool:
    """The probe may see the object, so a refusal to write it may be a 403
    (the role lacks the permission) whether or not the row is looked up first."""
    if actor in POLICIES.get(label, Policy()).reads:
        return True
    return actor in READ_ALL and label.startswith(REGISTERS)


def denied(label: str, method: str) -> tuple[str, ...]:
    policy = POLICIES.get(label, Policy())
    if method in ("get", "head"):
        return tuple(a for a in READ_PROBES if a not in policy.reads)
    return tuple(a for a in WRITE_PROBES if a not in policy.writes)


# -- the probes ----------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One object a route is probed on: its URL and the URL of a missing twin."""

    label: str  # "app.Model" of the object (the policy's key)
    url: str
    ghost_url: str
    note: str = ""
    control: bool = True  # the owner's GET must find it


@dataclass
class Route:
    """A route that names an object, with the verbs it accepts."""

    kind: str  # "api", "page", "admin", "media"
    name: str
    methods: tuple[str, ...]
    targets: Callable  # world -> list[Target]
    control: bool = True  # the owner's GET must find the object
    listing: bool = False  # admin change list: look for the row, not a status
    public: bool = False  # a public page: anyone may read

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.name}"


@dataclass
class Catalogue:
    routes: list[Route] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _pk(obj):
    return obj.pk


def _target(label, name, kwargs, ghost_kwargs, note=""):
    return Target(
        label,
        reverse(name, kwargs=kwargs),
        reverse(name, kwargs=ghost_kwargs),
        note,
    )


# ---- API: basename → object; extra URL arguments by route name ---------------

API_OBJECTS = {
    "district": "core.District",
    "department": "core.Department",
    "matter": "services.Matter",
    "agreement": "services.Agreement",
    "agreement-entry": "services.AgreementMatter",
    "bundle": "services.Bundle",
    "application": "services.Application",
    "evaluation-follow-up": "services.EvaluationFollowUp",
    "federation-application": "federation.Application",
    "volunteers-party-branch": "volunteers.PartyBranch",
    "volunteers-service-category": "volunteers.ServiceCategory",
    "volunteers-organisation": "volunteers.Organisation",
    "volunteers-team": "volunteers.Team",
    "volunteers-volunteer": "volunteers.Volunteer",
    "volunteers-membership": "volunteers.Membership",
    "volunteers-annual-plan": "volunteers.AnnualPlan",
    "volunteers-activity": "volunteers.Activity",
    "volunteers-participation": "volunteers.Participation",
    "volunteers-donation": "volunteers.Donation",
    "volunteers-certificate": "volunteers.Certificate",
    "campaign": "enforcement.Campaign",
    "patrol": "enforcement.Patrol",
    "enforcement-subject": "enforcement.Subject",
    "enforcement-case": "enforcement.Case",
    "rectification-notice": "enforcement.RectificationNotice",
    "reinspection": "enforcement.Reinspection",
    "disposal": "enforcement.Disposal",
}
DOCUMENT_KINDS = ("acceptance", "correction", "rejection")
API_EXTRA = {
    "application-document": [{"kind": kind} for kind in DOCUMENT_KINDS],
}


def _lookup_value(obj, lookup: str, ghost: bool):
    if lookup == "uuid":
        return GHOST_UUID if ghost else str(obj.uuid)
    return GHOST_PK if ghost else obj.pk


def _api_routes(catalogue: Catalogue) -> None:
    from config.api import router

    for _prefix, viewset, basename in router.registry:
        lookup = viewset.lookup_url_kwarg or viewset.lookup_field
        for route in router.get_routes(viewset):
            if not route.detail:
                continue
            mapping = router.get_method_map(viewset, route.mapping)
            if not mapping:
                continue
            name = route.name.format(basename=basename)
            label = API_OBJECTS.get(basename)
            if label is None:
                catalogue.missing.append(
                    f"api route {name!r} ({viewset.__name__}): basename "
                    f"{basename!r} has no object in tests/gates/routes.py API_OBJECTS"
                )
                continue
            groups = set(re.compile(route.url).groupindex) - {lookup, "format"}
            groups = {g.replace("{lookup}", "") for g in groups if "{" not in g} - {""}
            extras = API_EXTRA.get(name, [{}])
            if groups and not all(groups <= set(e) for e in extras):
                catalogue.missing.append(
                    f"api route {name!r}: URL arguments {sorted(groups)} have no "
                    "values in tests/gates/routes.py API_EXTRA"
                )
                continue

            def targets(world, name=name, label=label, lookup=lookup, extras=extras):
                obj = world.obj(label)
                return [
                    _target(
                        label,
                        name,
                        {lookup: _lookup_value(obj, lookup, False), **extra},
                        {lookup: _lookup_value(obj, lookup, True), **extra},
                        " ".join(extra.values()),
                    )
                    for extra in extras
                ]

            catalogue.routes.append(Route("api", name, tuple(sorted(mapping)), targets))


# ---- staff pages: URL name → how to fill its arguments ----------------------


def _one(label, **fixed):
    """The route names one object of ``label`` as ``pk`` (plus fixed arguments)."""
    return _by(label, "pk", **fixed)


def _by(label, kwarg, **fixed):
    def targets(world, name):
        obj = world.obj(label)
        return [
            _target(
                label,
                name,
                {kwarg: obj.pk, **fixed},
                {kwarg: GHOST_PK, **fixed},
                " ".join(str(v) for v in fixed.values()),
            )
        ]

    return targets


def _verbs(label, verbs, kwarg="verb"):
    def targets(world, name):
        obj = world.obj(label)
        return [
            _target(
                label,
                name,
                {"pk": obj.pk, kwarg: verb},
                {"pk": GHOST_PK, kwarg: verb},
                verb,
            )
            for verb in verbs
        ]

    return targets


def _photo(parent_label, label):
    def targets(world, name):
        parent, photo = world.obj(parent_label), world.obj(label)
        return [
            _target(
                label,
                name,
                {"pk": parent.pk, "photo_pk": photo.pk},
                {"pk": GHOST_PK, "photo_pk": GHOST_PK},
            ),
            # The photo of this record asked for under another record of the
            # same kind the caller may see: still not theirs.
        ]

    return targets


def _history(world, name):
    import pghistory.models
    from django.apps import apps

    tracked = {
        model.pgh_tracked_model._meta.label
        for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
        and getattr(model, "pgh_tracked_model", None) is not None
    }
    from core import scoping

    # The history page serves every scoped model (core.scoping); for the others
    # it answers 404 to everyone (still probed, no control).
    served = {m._meta.label for m in scoping.registered_models()}
    found = []
    for label, obj in sorted(world.objects.items()):
        # Every audited or scoped record (a staff account's page shows its
        # reveals); a pseudo-label (``federation.Application``) is its model's.
        if (label not in tracked and label not in served) or obj is None:
            continue
        kwargs = {
            "app_label": obj._meta.app_label,
            "model_name": obj._meta.model_name,
        }
        found.append(
            _target(
                label,
                name,
                {**kwargs, "pk": obj.pk},
                {**kwargs, "pk": GHOST_PK},
                label,
            )
        )
        if label not in served:
            found[-1] = replace(found[-1], control=False)
    return found


def _reveal(world, name):
    """Every sensitive field (core.sensitive's registry) of every world object."""
    from core import sensitive

    found = []
    for label, obj in sorted(world.objects.items()):
        if obj is None or type(obj) not in sensitive.registered_models():
            continue
        kwargs = {
            "app_label": obj._meta.app_label,
            "model_name": obj._meta.model_name,
        }
        for sensitive_field in sensitive.fields_of(type(obj)):
            found.append(
                _target(
                    label,
                    name,
                    {**kwargs, "pk": obj.pk, "field": sensitive_field},
                    {**kwargs, "pk": GHOST_PK, "field": sensitive_field},
                    f"{label}.{sensitive_field}",
                )
            )
    return found


def _media(world, name):
    return [
        Target(
            label,
            reverse(name, kwargs={"path": path}),
            reverse(name, kwargs={"path": path.rsplit("/", 1)[0] + "/ghost.png"}),
            label,
        )
        for label, path in sorted(world.files.items())
    ]


APPLICATION_VERBS = (
    "request_correction",
    "resubmit",
    "accept",
    "reject",
    "start_review",
    "approve",
    "deny",
    "issue_certificate",
    "deliver",
    "close",
    "withdraw",
)
CASE_VERBS = ("issue_notice", "reinspect", "dispose", "close", "cancel")

# Function views do not say which methods they serve; these serve GET only
# (the others are probed with GET and POST).
GET_ONLY = {
    "enforcement:campaign-detail",
    "enforcement:case-detail",
    "enforcement:patrol-photo",
    "enforcement:case-photo",
    "enforcement:notice-pdf",
}
PUBLIC_PAGES = {"services:public-agreement-list"}


def _token(world, name):
    token = world.obj("core.StaffToken")
    return [
        Target(
            "core.StaffToken",
            reverse(name, kwargs={"prefix": token.prefix}),
            reverse(name, kwargs={"prefix": "ghost000"}),
        )
    ]


PAGE_CASES: dict[str, Callable] = {
    "core:record-history": _history,
    "core:token-revoke": _token,
    "core:reveal": _reveal,
    "services:matter-detail": _one("services.Matter"),
    "services:matter-transition": _verbs(
        "services.Matter", ("publish", "suspend", "retire")
    ),
    "services:agreement-detail": _one("services.Agreement"),
    "services:agreement-export": _one("services.Agreement"),
    "services:bundle-detail": _one("services.Bundle"),
    "services:public-agreement-list": _one("services.Agreement"),
    "services:public-matter-guide": _one("services.Matter"),
    "services:application-detail": _one("services.Application"),
    "services:application-material-upload": _one("services.Application"),
    "services:application-evaluation": _one("services.Application"),
    "services:application-document": _verbs(
        "services.Application", DOCUMENT_KINDS, kwarg="kind"
    ),
    "services:application-transition": _verbs(
        "services.Application", APPLICATION_VERBS
    ),
    "services:evaluation-followup-answer": _one("services.EvaluationFollowUp"),
    "services:outbox-detail": _one("services.OutboxMessage"),
    "services:outbox-retry": _one("services.OutboxMessage"),
    "volunteers:team-detail": _one("volunteers.Team"),
    "volunteers:team-update": _one("volunteers.Team"),
    "volunteers:membership-add": _one("volunteers.Team"),
    "volunteers:membership-end": _one("volunteers.Membership"),
    "volunteers:plan-edit": _one("volunteers.Team", year=2021),
    "volunteers:activity-create": _by("volunteers.Team", "team_pk"),
    "volunteers:activity-detail": _one("volunteers.Activity"),
    "volunteers:activity-update": _one("volunteers.Activity"),
    "volunteers:activity-hours": _one("volunteers.Activity"),
    "volunteers:activity-transition": _verbs(
        "volunteers.Activity", ("hold", "cancel", "reopen")
    ),
    "volunteers:donation-add": _one("volunteers.Activity"),
    "volunteers:photo-add": _one("volunteers.Activity"),
    "volunteers:volunteer-detail": _one("volunteers.Volunteer"),
    "volunteers:volunteer-update": _one("volunteers.Volunteer"),
    "volunteers:certificate-issue": _one("volunteers.Volunteer"),
    "volunteers:certificate-pdf": _one("volunteers.Certificate"),
    "enforcement:campaign-detail": _one("enforcement.Campaign"),
    "enforcement:campaign-step": _verbs(
        "enforcement.Campaign", ("start", "conclude", "reopen")
    ),
    "enforcement:patrol-create": _by("enforcement.Campaign", "campaign_pk"),
    "enforcement:patrol-detail": _one("enforcement.Patrol"),
    "enforcement:patrol-photo-add": _one("enforcement.Patrol"),
    "enforcement:patrol-photo": _photo("enforcement.Patrol", "enforcement.PatrolPhoto"),
    "enforcement:case-create": _by("enforcement.Patrol", "patrol_pk"),
    "enforcement:case-detail": _one("enforcement.Case"),
    "enforcement:case-photo-add": _one("enforcement.Case"),
    "enforcement:case-photo": _photo("enforcement.Case", "enforcement.EvidencePhoto"),
    "enforcement:case-verb": _verbs("enforcement.Case", CASE_VERBS),
    "enforcement:notice-pdf": _one("enforcement.RectificationNotice"),
    "media": _media,
}
# Public pages answer anyone for published rows; the probe object is a draft or
# a partner's own list, so the owner's control is not meaningful there.
NO_CONTROL = {"services:public-matter-guide", "services:public-agreement-list"}


def _page_methods(callback) -> tuple[str, ...]:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        # A function view: probe both; one it does not serve answers 405 to all.
        return ("get", "post")
    return tuple(
        m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)
    )


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), full)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _page_routes(catalogue: Catalogue) -> None:
    seen = set()
    for path, namespace, pattern in _walk(get_resolver().url_patterns):
        if path.startswith(("admin/", "api/v1/")):
            continue  # the admin and the router have their own generators
        kwargs = set(pattern.pattern.regex.groupindex) - {"format"}
        if not kwargs:
            continue
        name = f"{namespace}:{pattern.name}" if namespace else pattern.name
        if name in seen:
            continue
        seen.add(name)
        builder = PAGE_CASES.get(name)
        if builder is None:
            catalogue.missing.append(
                f"page route {name!r} ({path}) names an object ({sorted(kwargs)}) "
                "but has no case in tests/gates/routes.py PAGE_CASES"
            )
            continue
        catalogue.routes.append(
            Route(
                "media" if name == "media" else "page",
                name,
                ("get",) if name in GET_ONLY else _page_methods(pattern.callback),
                lambda world, builder=builder, name=name: builder(world, name),
                control=name not in NO_CONTROL,
                public=name in PUBLIC_PAGES,
            )
        )


# ---- admin: model label → the object (world.objects) -------------------------


# Our own apps: every model of theirs in the admin must have its object in
# world.py; none may be excused as superuser-only.
OWN_APPS = {"core", "services", "volunteers", "enforcement"}

# Other libraries' records whose admin only superusers may open (the product
# enforces it: ``core.admin.SUPERUSER_ONLY_ADMIN``). They carry no department,
# so there is no scope to probe; instead ``test_superuser_only_admin_refuses_staff``
# checks that a staff member who is not a superuser, even holding every
# permission of the model, is refused on each of their admin pages. A model
# listed here but not installed is skipped (django-axes comes with issue 13).
SUPERUSER_ONLY_ADMIN = {
    "pghistory.Events": "the raw audit trail of every register",
    "axes.AccessAttempt": "login lockout: failed sign-in attempts",
    "axes.AccessLog": "login lockout: sign-ins and sign-outs",
    "axes.AccessFailureLog": "login lockout: each failed sign-in",
}


def superuser_only_models() -> list:
    """The installed models of ``SUPERUSER_ONLY_ADMIN`` registered in the admin."""
    return sorted(
        (m for m in admin.site._registry if m._meta.label in SUPERUSER_ONLY_ADMIN),
        key=lambda m: m._meta.label,
    )


def _admin_routes(catalogue: Catalogue, known_labels) -> None:
    from django.contrib.admin.utils import quote

    for model in admin.site._registry:
        label = model._meta.label
        if model._meta.app_label in OWN_APPS and label in SUPERUSER_ONLY_ADMIN:
            catalogue.missing.append(
                f"admin of {label}: a model of our own apps cannot be excused as "
                "superuser-only (tests/gates/routes.py SUPERUSER_ONLY_ADMIN)"
            )
            continue
        if label not in known_labels:
            if label in SUPERUSER_ONLY_ADMIN:
                continue  # test_superuser_only_admin_refuses_staff
            catalogue.missing.append(
                f"admin of {label} has no object in tests/gates/world.py"
                + (
                    ""
                    if model._meta.app_label in OWN_APPS
                    else " (or, for another library's record that only superusers "
                    "may open, a line in tests/gates/routes.py SUPERUSER_ONLY_ADMIN)"
                )
            )
            continue
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"

        def targets(world, label=label, info=info, suffix=""):
            obj = world.obj(label)
            return [
                Target(
                    label,
                    reverse(f"{info}_{suffix}", args=[quote(obj.pk)]),
                    reverse(f"{info}_{suffix}", args=[quote(GHOST_PK)]),
                )
            ]

        for suffix, methods in (
            ("change", ("get", "post")),
            ("delete", ("get", "post")),
            ("history", ("get",)),
        ):
            catalogue.routes.append(
                Route(
                    "admin",
                    f"{label}:{suffix}",
                    methods,
                    lambda world, t=targets, s=suffix: t(world, suffix=s),
                    # The delete page asks for the permission before the row;
                    # the change page is the control. Audit events: superusers
                    # only, ordered by time, so no control either.
                    control=suffix != "delete" and label not in SUPERUSER_ONLY,
                )
            )

        def listing(world, label=label, info=info):
            obj = world.obj(label)
            change = reverse(f"{info}_change", args=[quote(obj.pk)])
            return [Target(label, reverse(f"{info}_changelist"), change)]

        catalogue.routes.append(
            Route(
                "admin",
                f"{label}:changelist",
                ("get",),
                listing,
                listing=True,
                control=label not in SUPERUSER_ONLY,
            )
        )


SUPERUSER_ONLY = {"pghistory.Events"}

# Labels world.py builds (checked against the admin registry without a database).
WORLD_LABELS = {
    "core.District",
    "core.Department",
    "core.User",
    "core.CalendarOverride",
    "core.PartnerAPIKey",
    "auth.Group",
    "core.StaffToken",
    "rest_framework_api_key.APIKey",
    "pghistory.Events",
    *(
        f"services.{n}"
        for n in (
            "Matter",
            "MatterMaterial",
            "Agreement",
            "AgreementMatter",
            "Bundle",
            "Application",
            "ApplicationMaterial",
            "Evaluation",
            "EvaluationFollowUp",
            "OutboxMessage",
        )
    ),
    *(f"volunteers.{n}" for n in VOLUNTEER_MODELS),
    *(
        f"enforcement.{n}"
        for n in (
            "Campaign",
            "Patrol",
            "PatrolPhoto",
            "Subject",
            "Case",
            "EvidencePhoto",
            "RectificationNotice",
            "Reinspection",
            "Disposal",
        )
    ),
}


def catalogue() -> Catalogue:
    found = Catalogue()
    _api_routes(found)
    _page_routes(found)
    _admin_routes(found, WORLD_LABELS)
    return found
