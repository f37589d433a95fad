"""Every write to applications (办件): intake, the workflow, materials, 好差评, deadlines.

Each transition is one action named after its verb in
``services.choices.APPLICATION_WORKFLOW`` and applied by ``core.workflow``: it
locks the application row within what the actor may write, checks the caller's
version on the locked row, the current status, the role and the guards, and
writes one ``ApplicationEvent``. Anything refused raises a ``core.errors``
DomainError and writes nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scoping, versioning
from core.audit import actor_context
from core.choices import DistrictKind
from core.errors import IllegalTransition, NotFound, ValidationFailed
from core.i18n import district_text
from core.models import District, User
from core.scoping import is_partner
from core.sequences import next_number
from core.validators import (
    validate_credit_code,
    validate_id_number,
    validate_image_pixels,
)
from core.versioning import UNCHECKED
from core.workdays import WorkCalendar
from services.actions import federation
from services.choices import (
    APPLICATION_WORKFLOW,
    BAD_EVALUATION_LEVELS,
    CHANGE,
    CLOCK_RUNNING,
    DONE_STATUSES,
    ApplicantKind,
    ApplicationChannel,
    ApplicationStatus,
    DeliveryMethod,
    DocumentKind,
    EvaluationLevel,
    FollowUpOutcome,
    FollowUpStatus,
    MaterialStatus,
    MatterStatus,
)
from services.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationMaterial,
    Bundle,
    Evaluation,
    EvaluationFollowUp,
    Matter,
    MatterMaterial,
)

S = ApplicationStatus

# Content sniffing: the file's first bytes, not its name, decide its type.
MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
PHONE_RE = re.compile(r"^\+?[0-9][0-9\-]{6,19}$")


def _closed_to_materials() -> IllegalTransition:
    return IllegalTransition(
        _(
            "Materials can be uploaded only to an application awaiting acceptance "
            "or correction"
        )
    )


def _fail(field: str, message: str, code: str = "invalid", detail: str = ""):
    return ValidationFailed(
        detail or message, errors=[{"field": field, "code": code, "message": message}]
    )


def _today(now=None) -> datetime.date:
    return timezone.localdate(now or timezone.now())


def _actor_district(actor) -> District:
    district = getattr(actor, "district", None) if actor is not None else None
    return district or District.objects.get(kind=DistrictKind.LOCAL)


def _actor_name(actor) -> str:
    if actor is None:
        return district_text(gettext_lazy("System"))  # stored in events
    return actor.get_full_name() or actor.get_username()


# ---------------------------------------------------------------------------
# Numbers and events
# ---------------------------------------------------------------------------


def _next_number(district: District, day: datetime.date) -> str:
    """The next 办件编号 of ``district`` on ``day``: ``370871-20261124-00001``.

    Must run inside the intake transaction: the counter row stays locked until
    commit, so concurrent intakes queue here and a rollback frees the number.
    """
    serial = next_number(f"application:{district.code}:{day:%Y%m%d}")
    return f"{district.code}-{day:%Y%m%d}-{serial:05d}"


def _event(
    application: Application,
    *,
    actor,
    verb: str,
    from_status: str,
    note: str = "",
    data: dict | None = None,
) -> ApplicationEvent:
    application.last_event_sequence += 1
    return ApplicationEvent.objects.create(
        application=application,
        sequence=application.last_event_sequence,
        verb=verb,
        from_status=from_status,
        to_status=application.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor),
        district=_actor_district(actor),
        note=note,
        data=data or {},
    )


# ---------------------------------------------------------------------------
# Intake
# ---------------------------------------------------------------------------


def _validate_applicant(kind: str, name: str, id_number: str, phone: str) -> None:
    errors = {}
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = _("The applicant type is not valid")
    if not (name or "").strip():
        errors["applicant_name"] = _("Enter the applicant")
    try:
        if kind == ApplicantKind.ORGANISATION:
            validate_credit_code(id_number or "")
        else:
            validate_id_number(id_number or "")
    except ValidationError as error:
        errors["applicant_id_number"] = error.messages
    if not PHONE_RE.match(phone or ""):
        errors["applicant_phone"] = _("The contact phone number is not valid")
    if errors:
        raise ValidationFailed.for_fields(
            errors, _("The applicant's details are wrong")
        )


def application_intake(
    *,
    actor: User | None,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    channel: str,
    matter: Matter | None = None,
    bundle: Bundle | None = None,
    applicant_address: str = "",
    proxy_staff: User | None = None,
    home_district: District | None = None,
    delivery_method: str = DeliveryMethod.PICKUP,
    delivery_address: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Application:
    """收件: a new application for a published matter, or a 一件事 parent + children.

    Every application gets a consecutive number of the accepting district and day.
    """
    if (matter is None) == (bundle is None):
        raise _fail("matter", _("Choose a matter or a one-thing bundle"))
    _validate_applicant(
        applicant_kind, applicant_name, applicant_id_number, applicant_phone
    )
    if channel not in ApplicationChannel.values:
        raise _fail("channel", _("The application channel is not valid"))
    if channel == ApplicationChannel.PROXY and proxy_staff is None:
        proxy_staff = actor
    if delivery_method not in DeliveryMethod.values:
        raise _fail("delivery_method", _("The delivery method is not valid"))
    if delivery_method == DeliveryMethod.MAIL and not delivery_address.strip():
        raise _fail("delivery_address", _("Delivery by mail needs a mailing address"))
    matters = [matter] if matter is not None else []
    if bundle is not None:
        if not bundle.active:
            raise _fail("bundle", _("This one-thing bundle is no longer in use"))
        matters = [item.matter for item in bundle.items.select_related("matter")]
        if not matters:
            raise _fail("bundle", _("This one-thing bundle has no matters"))
    for each in matters:
        if each.status != MatterStatus.PUBLISHED:
            raise _fail(
                "matter",
                _("The matter “%(name)s” is not published and cannot be taken in")
                % {"name": each.name},
            )
        if delivery_method == DeliveryMethod.MAIL and not each.mail_supported:
            raise _fail(
                "delivery_method",
                _("The matter “%(name)s” does not offer delivery by mail")
                % {"name": each.name},
            )

    now = now or timezone.now()
    day = _today(now)
    accepting = _actor_district(actor)
    home = home_district or accepting
    if home != accepting:
        # 异地代收代办: only single matters on an agreement's list with that district.
        if bundle is not None:
            raise _fail(
                "home_district",
                _("A one-thing bundle cannot yet be taken in for another district"),
            )
        federation.check_transferable(matter=matter, home=home, on=day)
    intake_department = getattr(actor, "department", None) or matters[0].department
    common = dict(
        applicant_kind=applicant_kind,
        applicant_name=applicant_name.strip(),
        applicant_id_number=applicant_id_number.strip().upper(),
        applicant_phone=applicant_phone.strip(),
        applicant_address=applicant_address.strip(),
        channel=channel,
        proxy_staff=proxy_staff,
        accepting_district=accepting,
        home_district=home,
        intake_department=intake_department,
        created_by=actor if getattr(actor, "pk", None) else None,
        delivery_method=delivery_method,
        delivery_address=delivery_address.strip(),
        submitted_at=now,
        received_on=day,
        status=S.SUBMITTED,
    )
    with transaction.atomic(), actor_context(actor):
        if matter is not None:
            application = Application.objects.create(
                number=_next_number(accepting, day),
                matter=matter,
                department=matter.department,
                **common,
            )
            _event(application, actor=actor, verb="create", from_status="", note=note)
            application.save(update_fields=["last_event_sequence"])
            return application
        parent = Application.objects.create(
            number=_next_number(accepting, day),
            bundle=bundle,
            department=intake_department,
            **common,
        )
        _event(parent, actor=actor, verb="create", from_status="", note=note)
        parent.save(update_fields=["last_event_sequence"])
        for each in matters:
            child = Application.objects.create(
                number=_next_number(accepting, day),
                matter=each,
                bundle=bundle,
                parent=parent,
                department=each.department,
                **common,
            )
            _event(
                child,
                actor=actor,
                verb="create",
                from_status="",
                note=district_text(
                    gettext_lazy(
                        "Item of the one-thing bundle %(bundle)s (%(number)s)"
                    ),
                    bundle=bundle.name,
                    number=parent.number,
                ),
            )
            child.save(update_fields=["last_event_sequence"])
        return parent


# ---------------------------------------------------------------------------
# Contact and delivery details
# ---------------------------------------------------------------------------

EDITABLE_FIELDS = (
    "applicant_phone",
    "applicant_address",
    "delivery_method",
    "delivery_address",
)


def application_update(
    *, actor, application: Application, expected_version, **changes
) -> Application:
    """Correct the applicant's contact or delivery details before acceptance.

    Once accepted the details travel with the application (to the reviewers, to
    the home district), so they change only while it awaits acceptance or
    correction; at the version the caller saw, checked on the locked row.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise _fail(
            sorted(unknown)[0], _("This field cannot be changed here"), "read_only"
        )
    changes = {key: (value or "").strip() for key, value in changes.items()}
    errors = {}
    if "applicant_phone" in changes and not PHONE_RE.match(changes["applicant_phone"]):
        errors["applicant_phone"] = _("The contact phone number is not valid")
    if (
        "delivery_method" in changes
        and changes["delivery_method"] not in DeliveryMethod.values
    ):
        errors["delivery_method"] = _("The delivery method is not valid")
    if errors:
        raise ValidationFailed.for_fields(
            errors, _("The applicant's details are wrong")
        )
    scope = scoping.writable(Application.objects.select_related("matter"), actor)
    with versioning.editing(
        scope, pk=application.pk, expected_version=expected_version, actor=actor
    ) as locked:
        if locked.status not in (S.SUBMITTED, S.NEEDS_CORRECTION):
            raise IllegalTransition(
                _(
                    "The details can be changed only while the application awaits "
                    "acceptance or correction"
                )
            )
        for field, value in changes.items():
            setattr(locked, field, value)
        if locked.delivery_method == DeliveryMethod.MAIL:
            if not locked.delivery_address:
                raise _fail(
                    "delivery_address", _("Delivery by mail needs a mailing address")
                )
            matters = (
                [locked.matter]
                if locked.matter_id
                else [
                    child.matter for child in locked.children.select_related("matter")
                ]
            )
            for matter in matters:
                if not matter.mail_supported:
                    raise _fail(
                        "delivery_method",
                        _("The matter “%(name)s” does not offer delivery by mail")
                        % {"name": matter.name},
                    )
    return locked


# ---------------------------------------------------------------------------
# Materials
# ---------------------------------------------------------------------------


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def _requirements_for(application: Application):
    if application.is_parent:
        return MatterMaterial.objects.filter(
            matter__in=application.children.values("matter")
        )
    return MatterMaterial.objects.filter(matter=application.matter_id)


def material_upload(
    *,
    actor: User | None,
    application: Application,
    upload,
    requirement: MatterMaterial | None = None,
    name: str = "",
) -> ApplicationMaterial:
    """Attach a PDF/JPEG/PNG (by content) no larger than UPLOAD_MAX_BYTES, with its SHA-256."""
    if application.status not in (S.SUBMITTED, S.NEEDS_CORRECTION):
        raise _closed_to_materials()
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is None or size > limit:
        if limit >= 1024 * 1024:
            text = _("File too large: the limit is %(size)s MB") % {
                "size": limit // (1024 * 1024)
            }
        else:
            text = _("File too large: the limit is %(size)s bytes") % {"size": limit}
        raise _fail("file", text, "too_large")
    if size == 0:
        raise _fail("file", _("The file is empty"), "empty")
    digest = hashlib.sha256()
    head = b""
    for chunk in upload.chunks():
        if len(head) < 16:
            head += chunk[:16]
        digest.update(chunk)
    content_type = sniff_content_type(head)
    if content_type is None:
        raise _fail(
            "file",
            _("Only PDF, JPEG and PNG files are accepted (judged by their content)"),
            "bad_type",
        )
    if content_type != "application/pdf":
        try:
            validate_image_pixels(upload)
        except ValidationError as error:
            raise _fail("file", error.messages[0], "image_too_large") from None
    if requirement is not None:
        if not _requirements_for(application).filter(pk=requirement.pk).exists():
            raise _fail(
                "requirement",
                _("This material is not one the application's matter needs"),
            )
    label = (name or "").strip() or (requirement.name if requirement else "")
    if not label:
        label = getattr(upload, "name", "") or district_text(gettext_lazy("Material"))
    upload.seek(0)
    original = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][-80:]
    with transaction.atomic(), actor_context(actor):
        locked = _lock_writable(application, actor)
        if locked.status not in (S.SUBMITTED, S.NEEDS_CORRECTION):
            raise _closed_to_materials()
        material = ApplicationMaterial(
            application=locked,
            requirement=requirement,
            name=label[:200],
            content_type=content_type,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        material.file.save(original, ContentFile(upload.read()), save=False)
        material.save()
    return material


def missing_requirements(application: Application) -> list[MatterMaterial]:
    """Required materials without a valid upload (a parent's uploads count for children)."""
    if application.is_parent:
        return []
    have_ids = set(
        application.materials.filter(status=MaterialStatus.VALID).values_list(
            "requirement_id", flat=True
        )
    )
    have_names = set()
    if application.parent_id:
        have_names = set(
            ApplicationMaterial.objects.filter(
                application_id=application.parent_id, status=MaterialStatus.VALID
            ).values_list("name", flat=True)
        )
        have_ids |= set(
            ApplicationMaterial.objects.filter(
                application_id=application.parent_id, status=MaterialStatus.VALID
            ).values_list("requirement_id", flat=True)
        )
    return [
        req
        for req in MatterMaterial.objects.filter(
            matter=application.matter_id, required=True
        )
        if req.pk not in have_ids and req.name not in have_names
    ]


# ---------------------------------------------------------------------------
# Deadlines
# ---------------------------------------------------------------------------


def correction_window_end(application: Application, calendar=None) -> datetime.date:
    """Last day a correction may be requested (行政许可法 art. 32)."""
    calendar = calendar or WorkCalendar()
    end, _provisional = calendar.add_working_days(
        application.received_on, settings.CORRECTION_WINDOW_WORKING_DAYS
    )
    return end


def compute_due(application: Application, today: datetime.date, calendar=None):
    """(due date, provisional) from the clock start, promised days and pauses."""
    if application.clock_start is None or application.matter_id is None:
        return None, False
    if application.matter.promised_days is None:  # a draft's: none yet
        return None, False
    calendar = calendar or WorkCalendar()
    paused = application.paused_working_days
    if application.pause_started_on is not None:
        running, _provisional = calendar.working_days_between(
            application.pause_started_on, today
        )
        paused += running
    return calendar.add_working_days(
        application.clock_start, application.matter.promised_days + paused
    )


def _deadline_flags(application, today, calendar):
    """(near_due, overdue) as of ``today``."""
    if application.due_date is None:
        return False, False
    if application.status not in CLOCK_RUNNING or application.decided_on:
        # Decided: late stays late, nothing is near any more.
        decided = application.decided_on
        return False, bool(decided and decided > application.due_date)
    if today > application.due_date:
        return False, True
    left, _provisional = calendar.working_days_between(today, application.due_date)
    near = left <= getattr(settings, "APPLICATION_NEAR_DUE_WORKING_DAYS", 2)
    return near, False


def _maybe_deem_accepted(application, today, calendar) -> bool:
    """Start the clock from receipt when the correction window passed unused."""
    if (
        application.clock_start is None
        and application.status == S.SUBMITTED
        and not application.is_parent
        and today > correction_window_end(application, calendar)
    ):
        application.clock_start = application.received_on
        application.deemed_accepted = True
        return True
    return False


def _refresh_deadline(application, today, calendar=None) -> None:
    calendar = calendar or WorkCalendar()
    _maybe_deem_accepted(application, today, calendar)
    application.due_date, application.due_provisional = compute_due(
        application, today, calendar
    )
    application.is_near_due, application.is_overdue = _deadline_flags(
        application, today, calendar
    )


DEADLINE_FIELDS = [
    "clock_start",
    "deemed_accepted",
    "due_date",
    "due_provisional",
    "is_near_due",
    "is_overdue",
]


def application_deadlines_refresh(*, now: datetime.datetime | None = None) -> dict:
    """Recompute deemed acceptance, due dates and near-due/overdue flags.

    Idempotent (cron at any rate): rows whose values are unchanged are not written,
    and flags never bump the version, so a clerk's open form stays valid.
    """
    today = _today(now)
    calendar = WorkCalendar()
    counts = {"checked": 0, "changed": 0, "deemed": 0, "overdue": 0, "near": 0}
    candidates = (
        Application.objects.filter(status__in=CLOCK_RUNNING, matter__isnull=False)
        .select_related("matter")
        .order_by("pk")
    )
    with transaction.atomic(), actor_context(None, reason="check_deadlines"):
        for application in candidates.select_for_update(of=("self",), skip_locked=True):
            counts["checked"] += 1
            before = [getattr(application, name) for name in DEADLINE_FIELDS]
            was_deemed = application.deemed_accepted
            _refresh_deadline(application, today, calendar)
            after = [getattr(application, name) for name in DEADLINE_FIELDS]
            counts["deemed"] += int(application.deemed_accepted and not was_deemed)
            counts["overdue"] += int(application.is_overdue)
            counts["near"] += int(application.is_near_due)
            if before != after:
                counts["changed"] += 1
                application.save(update_fields=DEADLINE_FIELDS)
        for follow_up in EvaluationFollowUp.objects.filter(
            status=FollowUpStatus.OPEN, is_overdue=False, due_date__lt=today
        ).select_for_update(skip_locked=True):
            follow_up.is_overdue = True
            follow_up.save(update_fields=["is_overdue"])
            counts["followups_overdue"] = counts.get("followups_overdue", 0) + 1
    return counts


# ---------------------------------------------------------------------------
# Transitions
# ---------------------------------------------------------------------------


DECIDED = (S.APPROVED, S.DENIED, S.REJECTED, S.WITHDRAWN)


def guard_step(application: Application, actor) -> None:
    """A person's step on an application (rules on the row, for the engine).

    A 一件事 parent takes no steps of its own; once transferred to its home
    district, the steps are the home district's: it takes them and reports them,
    and we only mirror them.
    """
    if application.is_parent:
        raise IllegalTransition(
            _(
                "The parent application of a one-thing bundle closes with its "
                "items and takes no steps of its own"
            )
        )
    if application.transferred_at is not None and not is_partner(actor):
        raise IllegalTransition(
            _(
                "This application was passed to its home district %(district)s; "
                "our district only mirrors its progress"
            )
            % {"district": application.home_district.name}
        )


def guard_bundle_done(application: Application, actor) -> None:
    """一件事: the parent is done when every child is."""
    if application.children.exclude(status__in=DONE_STATUSES).exists():
        raise IllegalTransition(_("Items of the one-thing bundle are still open"))


def allowed_transitions(application: Application, actor) -> list:
    """The steps the actor may take on the application now (buttons, API)."""
    return APPLICATION_WORKFLOW.allowed(application, actor)


def record_step(
    application: Application, transition, *, actor, from_status, note, data
) -> ApplicationEvent:
    """The engine's record of a step: the application's timeline, under the sequence
    number ``_step`` reserved, and the outbox message the step implies."""
    data = dict(data or {})
    # A partner's event names the home district's clerk (see application_apply_partner_event).
    actor_name = data.pop("actor_name", "")
    if is_partner(actor):
        district = actor.district
    else:
        district = _actor_district(actor)
        actor_name = _actor_name(actor)
    event = ApplicationEvent.objects.create(
        application=application,
        sequence=application.last_event_sequence,
        verb=transition.verb,
        from_status=from_status,
        to_status=application.status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name,
        district=district,
        note=note,
        data=data,
    )
    federation.on_transition(application, event)
    return event


def _step(
    application_id: int,
    verb: str,
    *,
    actor,
    expected_version,
    note: str = "",
    data: dict | None = None,
    prepare=None,
    now=None,
) -> Application:
    """Take one step through ``APPLICATION_WORKFLOW`` (lock in the actor's scope,
    version, source status, role, guard), with what every application step does
    besides: the decision date, the deadlines, the next timeline number."""
    transition = APPLICATION_WORKFLOW[verb]
    now = now or timezone.now()
    today = _today(now)

    def prepare_step(locked: Application):
        extra = prepare(locked, today) if prepare else None
        # Deadlines are computed as of the new status (the engine sets it next).
        locked.status = transition.target
        if transition.target in DECIDED:
            locked.decided_on = locked.decided_on or today
        _refresh_deadline(locked, today)
        locked.last_event_sequence += 1
        federation.before_step(locked, transition, now)
        return extra

    scope = scoping.writable(
        Application.objects.select_related(
            "matter", "home_district", "accepting_district"
        ),
        actor,
    )
    with transaction.atomic():
        application = APPLICATION_WORKFLOW.apply(
            application_id,
            verb,
            actor=actor,
            expected_version=expected_version,
            note=note,
            data=data,
            prepare=prepare_step,
            queryset=scope,
        )
        if application.parent_id and application.status in DONE_STATUSES:
            _complete_parent_if_done(application.parent_id, actor=actor)
    return application


def _lock_writable(application: Application, actor) -> Application:
    """Lock the application for a write that is not a step (a material, a rating),
    within what the actor may change (``services.scopes``); otherwise 404."""
    locked = (
        scoping.writable(Application, actor)
        .select_for_update(of=("self",))
        .filter(pk=application.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("The application does not exist"))
    return locked


def _complete_parent_if_done(parent_id: int, *, actor) -> None:
    """一件事: the last child done closes the parent (a system step of the engine)."""
    parent = Application.objects.select_for_update().get(pk=parent_id)
    if parent.status not in APPLICATION_WORKFLOW.sources("complete_bundle"):
        return
    if parent.children.exclude(status__in=DONE_STATUSES).exists():
        return
    _step(
        parent_id,
        "complete_bundle",
        actor=None,
        expected_version=UNCHECKED,  # follows the child's checked step
        note=district_text(
            gettext_lazy("The last item was closed by %(name)s"),
            name=_actor_name(actor),
        ),
    )


def application_request_correction(
    *,
    actor,
    application: Application,
    expected_version,
    missing: list[MatterMaterial] | None = None,
    faulty: list[tuple[ApplicationMaterial, str]] | None = None,
    note: str = "",
    now=None,
) -> Application:
    """补正: tell the applicant everything missing or faulty at once (一次性告知).

    Faulty uploads are marked and no longer count; a running clock pauses.
    """
    missing = list(missing or [])
    faulty = list(faulty or [])
    if not missing and not faulty:
        raise _fail(
            "missing", _("Tick the materials that are missing or faulty"), "required"
        )
    requirements = _requirements_for(application)
    for requirement in missing:
        if not requirements.filter(pk=requirement.pk).exists():
            raise _fail(
                "missing",
                _("“%(name)s” is not a material this matter needs")
                % {"name": requirement.name},
            )
    for material, _problem in faulty:
        if material.application_id != application.pk:
            raise _fail(
                "faulty", _("The chosen material does not belong to this application")
            )

    def prepare(locked, today):
        items = [
            {
                "name": r.name,
                "problem": district_text(gettext_lazy("Missing")),
                "requirement": r.pk,
            }
            for r in missing
        ]
        for material, problem in faulty:
            problem = (problem or "").strip() or district_text(
                gettext_lazy("Does not meet the requirements")
            )
            ApplicationMaterial.objects.filter(pk=material.pk).update(
                status=MaterialStatus.FAULTY, problem=problem[:300]
            )
            items.append(
                {"name": material.name, "problem": problem, "material": material.pk}
            )
        _maybe_deem_accepted(locked, today, WorkCalendar())
        if locked.clock_start is not None:
            locked.pause_started_on = today
        return {"items": items}

    return _step(
        application.pk,
        "request_correction",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_resubmit(
    *, actor, application: Application, expected_version, note: str = "", now=None
) -> Application:
    """补正后重新提交: the correction window starts again; a paused clock resumes."""

    def prepare(locked, today):
        calendar = WorkCalendar()
        paused = 0
        if locked.pause_started_on is not None:
            paused, _provisional = calendar.working_days_between(
                locked.pause_started_on, today
            )
            locked.paused_working_days += paused
            locked.pause_started_on = None
        else:
            locked.received_on = today
        return {"paused_working_days": paused}

    return _step(
        application.pk,
        "resubmit",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_accept(
    *, actor, application: Application, expected_version, note: str = "", now=None
) -> Application:
    """受理: every required material present; the promised-days clock starts today
    (or from receipt, when the correction window passed: deemed accepted)."""
    missing = missing_requirements(application)
    if missing:
        raise ValidationFailed(
            _("The application materials are incomplete; it cannot be accepted"),
            errors=[
                {
                    "field": "materials",
                    "code": "missing",
                    "message": _("Missing: %(name)s") % {"name": r.name},
                }
                for r in missing
            ],
        )

    def prepare(locked, today):
        _maybe_deem_accepted(locked, today, WorkCalendar())
        if locked.clock_start is None:
            locked.clock_start = today
        return {
            "clock_start": locked.clock_start.isoformat(),
            "deemed": locked.deemed_accepted,
        }

    return _step(
        application.pk,
        "accept",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_reject(*, actor, application, expected_version, note, now=None):
    """不予受理 (with the reason, printed on the notice)."""
    return _step(
        application.pk,
        "reject",
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def application_start_review(
    *, actor, application, expected_version, note="", now=None
):
    return _step(
        application.pk,
        "start_review",
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def application_approve(
    *, actor, application, expected_version, result: str = "", note="", now=None
):
    """准予许可: the decision; the clock stops."""

    def prepare(locked, today):
        locked.result = (result or "").strip() or district_text(
            gettext_lazy("Approved")
        )
        return {"result": locked.result}

    return _step(
        application.pk,
        "approve",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_deny(*, actor, application, expected_version, note, now=None):
    """不予许可 (with the reason)."""

    def prepare(locked, today):
        locked.result = district_text(gettext_lazy("Denied"))
        return None

    return _step(
        application.pk,
        "deny",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_issue_certificate(
    *, actor, application, expected_version, certificate_number: str, note="", now=None
):
    """制证: the certificate number is recorded."""
    certificate_number = (certificate_number or "").strip()
    if not certificate_number:
        raise _fail("certificate_number", _("Enter the certificate number"), "required")

    def prepare(locked, today):
        locked.certificate_number = certificate_number[:100]
        return {"certificate_number": locked.certificate_number}

    return _step(
        application.pk,
        "issue_certificate",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_deliver(
    *,
    actor,
    application,
    expected_version,
    delivery_method: str | None = None,
    carrier: str = "",
    tracking_number: str = "",
    delivery_address: str = "",
    note="",
    now=None,
):
    """送达: 邮寄 needs carrier and tracking number; 就近取照 and 电子证照 need neither."""
    method = delivery_method or application.delivery_method
    if method not in DeliveryMethod.values:
        raise _fail("delivery_method", _("The delivery method is not valid"))
    errors = {}
    address = (delivery_address or "").strip() or application.delivery_address
    if method == DeliveryMethod.MAIL:
        if not (carrier or "").strip():
            errors["carrier"] = _("Mailing needs the courier")
        if not (tracking_number or "").strip():
            errors["tracking_number"] = _("Mailing needs the tracking number")
        if not address:
            errors["delivery_address"] = _("Mailing needs the mailing address")
    if errors:
        raise ValidationFailed.for_fields(
            errors, _("The delivery details are incomplete")
        )

    def prepare(locked, today):
        locked.delivery_method = method
        if method == DeliveryMethod.MAIL:
            locked.carrier = carrier.strip()[:60]
            locked.tracking_number = tracking_number.strip()[:60]
            locked.delivery_address = address[:300]
        locked.delivered_at = now or timezone.now()
        return {
            "delivery_method": method,
            "carrier": locked.carrier,
            "tracking_number": locked.tracking_number,
        }

    return _step(
        application.pk,
        "deliver",
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
        now=now,
    )


def application_close(*, actor, application, expected_version, note="", now=None):
    return _step(
        application.pk,
        "close",
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


def application_withdraw(*, actor, application, expected_version, note, now=None):
    """撤回 at the applicant's request, before a decision."""
    return _step(
        application.pk,
        "withdraw",
        actor=actor,
        expected_version=expected_version,
        note=note,
        now=now,
    )


TRANSITION_ACTIONS = {
    "request_correction": application_request_correction,
    "resubmit": application_resubmit,
    "accept": application_accept,
    "reject": application_reject,
    "start_review": application_start_review,
    "approve": application_approve,
    "deny": application_deny,
    "issue_certificate": application_issue_certificate,
    "deliver": application_deliver,
    "close": application_close,
    "withdraw": application_withdraw,
}


# ---------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------

DOCUMENT_STATUSES = {
    DocumentKind.ACCEPTANCE: "accept",
    DocumentKind.CORRECTION: "request_correction",
    DocumentKind.REJECTION: "reject",
}


def application_document_issue(*, actor, application: Application, kind: str):
    """Render a notice, only once its step has happened; record its checksum when
    staff who serve the application issue it.

    Rule: a document row says the office handed this notice out, so it is
    written only for an actor who may write the application (a read-only
    reader, staff of another department, only views it) and only once per
    distinct PDF (the rendering is byte-for-byte repeatable, so printing the
    same notice again adds nothing).
    """
    from services import application_documents

    if kind not in DocumentKind.values:
        raise NotFound(_("The document does not exist"))
    verb = DOCUMENT_STATUSES[kind]
    event = application.events.filter(verb=verb).order_by("-sequence").first()
    if event is None:
        raise IllegalTransition(
            _("The “%(document)s” cannot be issued before the step “%(step)s”")
            % {
                "step": APPLICATION_WORKFLOW[verb].label,
                "document": DocumentKind(kind).label,
            }
        )
    rendered = application_documents.render_notice(application, kind, event)
    if not (
        actor is not None
        and actor.has_perm(CHANGE)
        and scoping.can_write(actor, application)
    ):
        return rendered
    with transaction.atomic(), actor_context(actor):
        issued = ApplicationDocument.objects.filter(
            application=application, kind=kind, sha256=rendered.sha256
        )
        if not issued.exists():
            ApplicationDocument.objects.create(
                application=application,
                kind=kind,
                sha256=rendered.sha256,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
    return rendered


# ---------------------------------------------------------------------------
# 好差评
# ---------------------------------------------------------------------------


def evaluation_submit(
    *, actor, application: Application, level: int, comment: str = "", now=None
) -> Evaluation:
    """One evaluation per application; 不满意/非常不满意 open a follow-up with a deadline."""
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in EvaluationLevel.values:
        raise _fail("level", _("The rating must be from 1 to 5"))
    if level in BAD_EVALUATION_LEVELS and not (comment or "").strip():
        raise _fail("comment", _("A poor rating needs a comment"), "required")
    today = _today(now)
    with transaction.atomic(), actor_context(actor):
        locked = _lock_writable(application, actor)
        if Evaluation.objects.filter(application=locked).exists():
            raise IllegalTransition(
                _("This application has already been rated; each is rated only once")
            )
        evaluation = Evaluation.objects.create(
            application=locked,
            level=level,
            comment=(comment or "").strip(),
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if level in BAD_EVALUATION_LEVELS:
            due, provisional = WorkCalendar().add_working_days(
                today, settings.EVALUATION_FOLLOWUP_WORKING_DAYS
            )
            EvaluationFollowUp.objects.create(
                evaluation=evaluation,
                department=locked.department,
                due_date=due,
                due_provisional=provisional,
            )
    return evaluation


def evaluation_followup_answer(
    *, actor, follow_up: EvaluationFollowUp, outcome: str, answer: str, now=None
) -> EvaluationFollowUp:
    """差评整改回复: call-back record, fix or explanation."""
    errors = {}
    if outcome not in FollowUpOutcome.values:
        errors["outcome"] = _("Choose an outcome")
    if not (answer or "").strip():
        errors["answer"] = _("Enter the answer")
    if errors:
        raise ValidationFailed.for_fields(
            errors, _("The follow-up answer is incomplete")
        )
    with transaction.atomic(), actor_context(actor):
        locked = EvaluationFollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if locked.status != FollowUpStatus.OPEN:
            raise IllegalTransition(_("This poor rating has already been answered"))
        locked.status = FollowUpStatus.ANSWERED
        locked.outcome = outcome
        locked.answer = answer.strip()
        locked.answered_by = actor if getattr(actor, "pk", None) else None
        locked.answered_at = now or timezone.now()
        locked.save()
    return locked
