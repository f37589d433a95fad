"""Every write to the enforcement register.

Actions are atomic and raise a ``core.errors`` domain error on a rule break, so
pages, API, admin, commands and the demo share the same rules. A record is
changed only within what the actor may write (``enforcement.scopes``), under
its version (``core.versioning``); a status moves only through the workflow
tables of ``enforcement.choices`` applied by ``core.workflow``.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import scoping, versioning
from core.documents import Document, render
from core.errors import IllegalTransition, ValidationFailed
from core.i18n import district_language, district_text, join_list
from core.masking import mask_id
from core.models import Department, User
from core.sequences import next_number
from core.validators import (
    validate_credit_code,
    validate_id_number,
    validate_image_pixels,
)
from enforcement.choices import (
    CAMPAIGN_WORKFLOW,
    CASE_WORKFLOW,
    DECIDED_STATUSES,
    ENFORCING_DISPOSALS,
    OPEN_STATUSES,
    CampaignStatus,
    CaseStatus,
    DecisionFlag,
    DisposalKind,
    PatrolMethod,
    ReinspectionOutcome,
    ServiceMethod,
    SubjectKind,
    ViolationType,
)
from enforcement.models import (
    Campaign,
    Case,
    CaseStep,
    Disposal,
    EvidencePhoto,
    Patrol,
    PatrolPhoto,
    RectificationNotice,
    Reinspection,
    Subject,
)

# The district's document numbers (案件 and 整改通知书), the same in every language.
CASE_NUMBER_FORMAT = "济经执案字〔{year}〕第{serial:03d}号"  # i18n: data
NOTICE_NUMBER_FORMAT = "济经执整字〔{year}〕第{serial:03d}号"  # i18n: data
# Days before the 90-day limit from which an open case is flagged as near.
DECISION_NEAR_DAYS = 10


def _today() -> datetime.date:
    return timezone.localdate()


def _not_future(field: str, value: datetime.date, message: str) -> None:
    """Refuse a date after today with ``message`` (on ``field``)."""
    if value > _today():
        raise ValidationFailed.for_fields({field: message})


def _department_of(actor, department: Department | None) -> Department:
    department = department or getattr(actor, "department", None)
    if department is None:
        raise ValidationFailed.for_fields(
            {"department": _("Specify the enforcement department.")}
        )
    return department


def next_serial(kind: str, year: int) -> int:
    """The next number of ``kind`` in ``year``, gap-free under concurrency.

    Must run inside the caller's transaction: the counter row stays locked
    (SELECT … FOR UPDATE) until it commits, so a rolled-back issue frees its
    number and concurrent issues queue instead of colliding.
    """
    return next_number(f"enforcement:{kind}:{year}")


# --- campaigns and patrols -------------------------------------------------


def _link(model, actor, obj, field: str, message: str):
    """A new record may hang only off records the actor works on (their
    department's or campaigns'); anything else "does not exist" for them."""
    if (
        obj is not None
        and not scoping.writable(model, actor).filter(pk=obj.pk).exists()
    ):
        raise ValidationFailed.for_fields({field: message})
    return obj


def _campaign_name_free(name: str, *, exclude_pk=None) -> None:
    taken = Campaign.objects.filter(name=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationFailed.for_fields(
            {"name": _("A campaign with this name already exists.")}
        )


@transaction.atomic
def campaign_create(
    *,
    actor,
    name: str,
    lead_department: Department,
    area: str,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    description: str = "",
    joint_departments=(),
) -> Campaign:
    """Open a 专项整治行动; its name is unique and its end not before its start.

    It starts as planned when its start date is still ahead, else active; from
    then on its status moves only through ``CAMPAIGN_WORKFLOW``.
    """
    if end_date and end_date < start_date:
        raise ValidationFailed.for_fields(
            {"end_date": _("The end date cannot be earlier than the start date.")}
        )
    _campaign_name_free(name)
    campaign = Campaign.objects.create(
        name=name,
        lead_department=lead_department,
        area=area,
        start_date=start_date,
        end_date=end_date,
        description=description,
        status=(
            CampaignStatus.PLANNED if start_date > _today() else CampaignStatus.ACTIVE
        ),
    )
    campaign.joint_departments.set(
        [d for d in joint_departments if d.pk != lead_department.pk]
    )
    return campaign


CAMPAIGN_EDITABLE_FIELDS = frozenset(
    {"name", "lead_department", "area", "description", "start_date", "end_date"}
)


@transaction.atomic
def campaign_update(
    *, actor, campaign: Campaign, expected_version, **fields
) -> Campaign:
    """Edit a campaign's description (name, area, dates, departments).

    Only its lead department edits it (joint departments take part in it), under
    the version the editor saw; the status moves only through the workflow.
    """
    joint = fields.pop("joint_departments", None)
    unknown = set(fields) - CAMPAIGN_EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed.for_fields(
            {
                name: _("This field cannot be changed directly.")
                for name in sorted(unknown)
            }
        )
    with versioning.editing(
        scoping.writable(Campaign, actor),
        pk=campaign.pk,
        expected_version=expected_version,
        actor=actor,
    ) as campaign:
        CAMPAIGN_WORKFLOW["conclude"].guard(campaign, actor)
        for key, value in fields.items():
            setattr(campaign, key, value)
        if campaign.end_date and campaign.end_date < campaign.start_date:
            raise ValidationFailed.for_fields(
                {"end_date": _("The end date cannot be earlier than the start date.")}
            )
        if "name" in fields:
            _campaign_name_free(campaign.name, exclude_pk=campaign.pk)
        if joint is not None:
            campaign.joint_departments.set(
                [d for d in joint if d.pk != campaign.lead_department_id]
            )
    return campaign


def _campaign_step(
    verb: str, *, actor, campaign, expected_version, note="", prepare=None
):
    return CAMPAIGN_WORKFLOW.apply(
        campaign.pk if isinstance(campaign, Campaign) else campaign,
        verb,
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
    )


def campaign_start(*, actor, campaign: Campaign, expected_version, note: str = ""):
    """A planned campaign begins (lead department only)."""
    return _campaign_step(
        "start",
        actor=actor,
        campaign=campaign,
        expected_version=expected_version,
        note=note,
    )


def campaign_conclude(
    *,
    actor,
    campaign: Campaign,
    expected_version,
    note: str = "",
    on: datetime.date | None = None,
) -> Campaign:
    """An active campaign ends (lead department only); without an end date it
    ends on ``on`` (today), never before it started."""

    def prepare(locked: Campaign):
        if locked.end_date is None:
            end = on or _today()
            if end < locked.start_date:
                raise ValidationFailed.for_fields(
                    {
                        "end_date": _(
                            "The end date cannot be earlier than the start date."
                        )
                    }
                )
            locked.end_date = end
        return None

    return _campaign_step(
        "conclude",
        actor=actor,
        campaign=campaign,
        expected_version=expected_version,
        note=note,
        prepare=prepare,
    )


def campaign_reopen(*, actor, campaign: Campaign, expected_version, note: str):
    """A concluded campaign resumes, with the reason why (lead department only)."""
    return _campaign_step(
        "reopen",
        actor=actor,
        campaign=campaign,
        expected_version=expected_version,
        note=note,
    )


CAMPAIGN_STEP_ACTIONS = {
    "start": campaign_start,
    "conclude": campaign_conclude,
    "reopen": campaign_reopen,
}


@transaction.atomic
def patrol_record(
    *,
    actor,
    patrol_date: datetime.date,
    place: str,
    officers: int,
    campaign: Campaign | None = None,
    vehicles: int = 0,
    methods=(),
    joint_departments=(),
    findings: str = "",
    leader: User | None = None,
    department: Department | None = None,
) -> Patrol:
    """Record one 执法出动; its officers count towards the campaign's dispatches.

    The campaign must be one the actor's department leads or joins."""
    _link(Campaign, actor, campaign, "campaign", _("The campaign does not exist."))
    errors = {}
    if officers is None or officers < 1:
        errors["officers"] = _("At least one officer must be dispatched.")
    if vehicles is not None and vehicles < 0:
        errors["vehicles"] = _("The number of vehicles cannot be negative.")
    bad = [m for m in methods if m not in PatrolMethod.values]
    if bad:
        errors["methods"] = _("Unknown patrol methods: %(methods)s") % {
            "methods": join_list(bad)
        }
    if campaign is not None and patrol_date < campaign.start_date:
        errors["patrol_date"] = _(
            "The patrol date is earlier than the start date of the campaign."
        )
    if errors:
        raise ValidationFailed.for_fields(errors)
    _not_future(
        "patrol_date",
        patrol_date,
        _("The patrol date cannot be later than today."),
    )
    patrol = Patrol.objects.create(
        campaign=campaign,
        department=_department_of(actor, department),
        patrol_date=patrol_date,
        place=place,
        officers=officers,
        vehicles=vehicles or 0,
        methods=list(dict.fromkeys(methods)),
        findings=findings,
        leader=leader or (actor if getattr(actor, "pk", None) else None),
    )
    patrol.joint_departments.set(list(joint_departments))
    return patrol


PATROL_EDITABLE_FIELDS = frozenset(
    {"place", "officers", "vehicles", "methods", "findings"}
)


@transaction.atomic
def patrol_update(*, actor, patrol: Patrol, expected_version, **fields) -> Patrol:
    """Correct a patrol record (place, officers, vehicles, methods, findings) under
    the version the editor saw; its date, campaign and department stay."""
    unknown = set(fields) - PATROL_EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed.for_fields(
            {
                name: _("This field cannot be changed directly.")
                for name in sorted(unknown)
            }
        )
    with versioning.editing(
        scoping.writable(Patrol, actor),
        pk=patrol.pk,
        expected_version=expected_version,
        actor=actor,
    ) as patrol:
        for key, value in fields.items():
            setattr(patrol, key, value)
        errors = {}
        if patrol.officers is None or patrol.officers < 1:
            errors["officers"] = _("At least one officer must be dispatched.")
        if patrol.vehicles is None or patrol.vehicles < 0:
            errors["vehicles"] = _("The number of vehicles cannot be negative.")
        bad = [m for m in patrol.methods if m not in PatrolMethod.values]
        if bad:
            errors["methods"] = _("Unknown patrol methods: %(methods)s") % {
                "methods": join_list(bad)
            }
        if not (patrol.place or "").strip():
            errors["place"] = _("Enter the place.")
        if errors:
            raise ValidationFailed.for_fields(errors)
        patrol.methods = list(dict.fromkeys(patrol.methods))
    return patrol


# --- subjects --------------------------------------------------------------


def _validated_identifier(kind: str, id_number: str, credit_code: str):
    id_number = (id_number or "").strip().upper()
    credit_code = (credit_code or "").strip().upper()
    try:
        if kind == SubjectKind.INDIVIDUAL:
            if credit_code:
                raise ValidationFailed.for_fields(
                    {
                        "credit_code": _(
                            "An individual subject has no unified social credit code."
                        )
                    }
                )
            validate_id_number(id_number)
        elif kind in (SubjectKind.SOLE_TRADER, SubjectKind.ENTERPRISE):
            validate_credit_code(credit_code)
            id_number = ""
        else:
            raise ValidationFailed.for_fields({"kind": _("Invalid subject kind.")})
    except ValidationError as error:
        field = "id_number" if kind == SubjectKind.INDIVIDUAL else "credit_code"
        raise ValidationFailed(
            _("The subject's identification number is invalid."),
            errors=[
                {"field": field, "code": error.code or "invalid", "message": m}
                for m in error.messages
            ],
        ) from None
    return id_number, credit_code


@transaction.atomic
def subject_register(
    *,
    actor,
    kind: str,
    name: str,
    id_number: str = "",
    credit_code: str = "",
    representative: str = "",
    phone: str = "",
    address: str = "",
    department: Department | None = None,
) -> Subject:
    """Register a 当事人 with a valid 身份证号 or 统一社会信用代码.

    Each department keeps its own 当事人: a subject the department already
    registered under the same number is returned as is (one dealer's several
    cases hang off one record); one registered only by another department is
    neither shown nor linked: this department gets its own record of the number.
    """
    if not (name or "").strip():
        raise ValidationFailed.for_fields(
            {"name": _("Enter the name of the business or person.")}
        )
    id_number, credit_code = _validated_identifier(kind, id_number, credit_code)
    department = _department_of(actor, department)
    same_number = scoping.writable(Subject, actor).filter(
        department=department,
        **({"credit_code": credit_code} if credit_code else {"id_number": id_number}),
    )
    existing = same_number.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Subject.objects.create(
                kind=kind,
                name=name.strip(),
                id_number=id_number,
                credit_code=credit_code,
                representative=representative,
                phone=phone,
                address=address,
                department=department,
            )
    except IntegrityError:
        # Registered by a colleague of the department a moment ago: theirs it is.
        existing = same_number.first()
        if existing is None:
            raise
        return existing


SUBJECT_EDITABLE_FIELDS = frozenset({"name", "representative", "phone", "address"})


@transaction.atomic
def subject_update(*, actor, subject: Subject, expected_version, **fields) -> Subject:
    """Correct a 当事人's name, representative, phone or address (their kind and
    number identify them and stay) under the version the editor saw."""
    unknown = set(fields) - SUBJECT_EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed.for_fields(
            {
                name: _("This field cannot be changed directly.")
                for name in sorted(unknown)
            }
        )
    with versioning.editing(
        scoping.writable(Subject, actor),
        pk=subject.pk,
        expected_version=expected_version,
        actor=actor,
    ) as subject:
        for key, value in fields.items():
            setattr(subject, key, value.strip() if isinstance(value, str) else value)
        if not subject.name:
            raise ValidationFailed.for_fields(
                {"name": _("Enter the name of the business or person.")}
            )
    return subject


# --- cases -----------------------------------------------------------------


def _case_step(
    case: Case | int,
    verb: str,
    *,
    actor,
    expected_version,
    on: datetime.date,
    note: str = "",
    prepare=None,
) -> Case:
    """Take step ``verb`` of ``CASE_WORKFLOW`` on a case the actor may write.

    A step that reaches a decision (rectified, enforced, closed, cancelled)
    stamps the decision date and clears the near-limit warning."""
    transition = CASE_WORKFLOW[verb]

    def _prepare(locked: Case):
        extra = prepare(locked) if prepare else None
        if transition.target in DECIDED_STATUSES:
            if locked.decided_on is None:
                locked.decided_on = on
            if locked.decision_flag == DecisionFlag.NEAR:
                locked.decision_flag = DecisionFlag.NONE
        return extra

    return CASE_WORKFLOW.apply(
        case.pk if isinstance(case, Case) else case,
        verb,
        actor=actor,
        expected_version=expected_version,
        note=note,
        data={"on": on},
        prepare=_prepare,
    )


@transaction.atomic
def case_register(
    *,
    actor,
    subject: Subject,
    violation_type: str,
    facts: str,
    address: str,
    registered_on: datetime.date | None = None,
    campaign: Campaign | None = None,
    patrol: Patrol | None = None,
    latitude=None,
    longitude=None,
    department: Department | None = None,
) -> Case:
    """立案: number the case (济经执案字〔年〕第NNN号, gap-free per year) and start its
    90-day decision clock (行政处罚法 art. 60). The subject, patrol and campaign
    must be ones the actor's department works on."""
    _link(Subject, actor, subject, "subject", _("The subject does not exist."))
    _link(Patrol, actor, patrol, "patrol", _("The patrol record does not exist."))
    _link(Campaign, actor, campaign, "campaign", _("The campaign does not exist."))
    registered_on = registered_on or _today()
    errors = {}
    if violation_type not in ViolationType.values:
        errors["violation_type"] = _("Invalid violation type.")
    if not (facts or "").strip():
        errors["facts"] = _("Enter the facts of the violation.")
    if not (address or "").strip():
        errors["address"] = _("Enter the place.")
    if (latitude is None) != (longitude is None):
        errors["latitude"] = _("Enter both latitude and longitude, or neither.")
    if patrol is not None:
        if campaign is None:
            campaign = patrol.campaign
        elif patrol.campaign_id != campaign.pk:
            errors["patrol"] = _("This patrol does not belong to the chosen campaign.")
        if registered_on < patrol.patrol_date:
            errors["registered_on"] = _(
                "The registration date cannot be earlier than the date of the "
                "patrol that found the case."
            )
    if errors:
        raise ValidationFailed.for_fields(errors)
    _not_future(
        "registered_on",
        registered_on,
        _("The registration date cannot be later than today."),
    )
    year = registered_on.year
    serial = next_serial("case", year)
    case = Case.objects.create(
        number=CASE_NUMBER_FORMAT.format(year=year, serial=serial),
        year=year,
        serial=serial,
        campaign=campaign,
        patrol=patrol,
        department=_department_of(actor, department),
        subject=subject,
        violation_type=violation_type,
        facts=facts.strip(),
        address=address.strip(),
        latitude=latitude,
        longitude=longitude,
        registered_on=registered_on,
        decision_due=Case.decision_due_for(registered_on),
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    with district_language():  # the label and the sentence, both stored
        note = _("Registered: %(violation)s") % {
            "violation": case.get_violation_type_display()
        }
    CaseStep.objects.create(
        case=case,
        verb="register",
        from_status="",
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        effective_on=registered_on,
        note=note,
    )
    return case


def _date_text(value: datetime.date) -> str:
    """A date as written in documents (in Chinese 2026年3月5日)."""
    return date_format(value, "DATE_FORMAT")


def notice_document(notice: RectificationNotice) -> Document:
    """The 责令限期整改通知书 as a document (number, subject, facts, requirements,
    deadline, department, date). ID numbers of persons are masked on paper."""
    case = notice.case
    subject = case.subject
    identifier = subject.credit_code or mask_id(subject.id_number)
    doc = Document(
        title=_("Notice to rectify within a time limit"),
        number=notice.number,
        issuer=notice.department.name,
        date=notice.issued_on,
        recipient=subject.name,
    )
    doc.fields(
        [
            (_("Subject"), subject.name),
            (subject.identifier_label, identifier),
            (_("Operator or legal representative"), subject.representative or "—"),
            (_("Address"), subject.address or case.address),
            (_("Case number"), case.number),
        ]
    )
    doc.heading(_("Facts of the violation"))
    doc.paragraph(
        _(
            "Our inspection found that on %(date)s you (or your organisation) "
            "engaged in %(violation)s at %(address)s: %(facts)s"
        )
        % {
            "date": _date_text(case.registered_on),
            "address": case.address,
            "violation": case.get_violation_type_display(),
            "facts": case.facts,
        }
    )
    if notice.legal_basis:
        doc.paragraph(
            _("The above conduct violates %(basis)s.") % {"basis": notice.legal_basis}
        )
    doc.heading(_("Rectification requirements"))
    doc.paragraph(notice.requirements)
    doc.paragraph(
        _(
            "Complete the rectification by %(date)s. If it is not completed by then "
            "or not completed as required, this authority will clear it according "
            "to law and pursue the corresponding liability according to law."
        )
        % {"date": _date_text(notice.deadline)}
    )
    doc.fields(
        [
            (_("Rectification deadline"), _date_text(notice.deadline)),
            (_("Delivery method"), notice.get_served_how_display()),
            (_("Person served"), notice.served_to),
        ]
    )
    return doc


@transaction.atomic
def notice_issue(
    *,
    actor,
    case: Case,
    expected_version,
    deadline: datetime.date,
    requirements: str,
    served_to: str,
    served_how: str = ServiceMethod.IN_PERSON,
    issued_on: datetime.date | None = None,
    legal_basis: str = "",
) -> RectificationNotice:
    """下达责令限期整改通知书: numbered 济经执整字〔年〕第NNN号 without gaps per year,
    rendered to PDF with its SHA-256 recorded; the case moves to notice_issued."""
    issued_on = issued_on or _today()
    errors = {}
    if deadline is None or deadline < issued_on:
        errors["deadline"] = _(
            "The rectification deadline cannot be earlier than the issue date."
        )
    if not (requirements or "").strip():
        errors["requirements"] = _("Enter the rectification requirements.")
    if not (served_to or "").strip():
        errors["served_to"] = _("Enter the person served.")
    if served_how not in ServiceMethod.values:
        errors["served_how"] = _("The delivery method is not valid")
    if issued_on < case.registered_on:
        errors["issued_on"] = _(
            "The issue date cannot be earlier than the registration date."
        )
    if errors:
        raise ValidationFailed.for_fields(errors)
    _not_future("issued_on", issued_on, _("The issue date cannot be later than today."))
    year = issued_on.year
    serial = next_serial("notice", year)
    number = NOTICE_NUMBER_FORMAT.format(year=year, serial=serial)
    with district_language():  # the date is written in the district's form too
        note = _("%(number)s, rectification deadline %(deadline)s") % {
            "number": number,
            "deadline": _date_text(deadline),
        }
    case = _case_step(
        case,
        "issue_notice",
        actor=actor,
        expected_version=expected_version,
        note=note,
        on=issued_on,
    )
    notice = RectificationNotice.objects.create(
        number=number,
        year=year,
        serial=serial,
        case=case,
        issued_on=issued_on,
        deadline=deadline,
        requirements=requirements.strip(),
        legal_basis=legal_basis,
        served_how=served_how,
        served_to=served_to.strip(),
        department=case.department,
        issued_by=actor if getattr(actor, "pk", None) else None,
    )
    # The notice is served on the subject: always in the district's language.
    with district_language():
        rendered = render(notice_document(notice))
    notice.pdf.save(
        f"{year}-{serial:03d}.pdf", ContentFile(rendered.content), save=False
    )
    notice.pdf_sha256 = rendered.sha256
    notice.save(update_fields=["pdf", "pdf_sha256"])
    return notice


@transaction.atomic
def reinspection_record(
    *,
    actor,
    case: Case,
    expected_version,
    inspected_on: datetime.date,
    outcome: str,
    note: str = "",
) -> Reinspection:
    """复查: a pass rectifies the case; a failure is recorded on its timeline, and
    one after the deadline lets the deadline rule mark the case overdue."""
    if case.status not in CASE_WORKFLOW.sources("reinspect"):
        raise IllegalTransition(
            _("The case is currently “%(status)s”; a re-inspection cannot be recorded.")
            % {"status": case.get_status_display()}
        )
    notice = case.notice
    if outcome not in ReinspectionOutcome.values:
        raise ValidationFailed.for_fields(
            {"outcome": _("Invalid re-inspection outcome.")}
        )
    if inspected_on < notice.issued_on:
        raise ValidationFailed.for_fields(
            {
                "inspected_on": _(
                    "The re-inspection date cannot be earlier than the issue date."
                )
            }
        )
    _not_future(
        "inspected_on",
        inspected_on,
        _("The re-inspection date cannot be later than today."),
    )
    made = {}

    def record(locked: Case):
        made["reinspection"] = Reinspection.objects.create(
            notice=notice,
            inspected_on=inspected_on,
            outcome=outcome,
            note=note,
            inspector=actor if getattr(actor, "pk", None) else None,
        )

    with district_language():
        if outcome == ReinspectionOutcome.PASSED:
            if inspected_on > notice.deadline:
                text = _(
                    "Rectified as required on re-inspection (after the deadline). "
                    "%(note)s"
                )
            else:
                text = _("Rectified as required on re-inspection. %(note)s")
        else:
            text = _("Not rectified as required on re-inspection. %(note)s")
    case = _case_step(
        case,
        "rectify" if outcome == ReinspectionOutcome.PASSED else "reinspect",
        actor=actor,
        expected_version=expected_version,
        note=(text % {"note": note}).strip(),
        on=inspected_on,
        prepare=record,
    )
    if (
        outcome == ReinspectionOutcome.FAILED
        and inspected_on > notice.deadline
        and case.status == CaseStatus.NOTICE_ISSUED
    ):
        # The deadline rule, as the deadline check would apply it tonight.
        _case_step(
            case,
            "mark_overdue",
            actor=None,
            expected_version=versioning.UNCHECKED,
            note=district_text(
                gettext_lazy(
                    "Not rectified as required on re-inspection; the rectification "
                    "deadline has passed. %(note)s"
                ),
                note=note,
            ).strip(),
            on=inspected_on,
        )
    return made["reinspection"]


@transaction.atomic
def disposal_record(
    *,
    actor,
    kind: str,
    quantity: int,
    disposed_on: datetime.date,
    case: Case | None = None,
    patrol: Patrol | None = None,
    expected_version=None,
    plates: str = "",
    note: str = "",
) -> Disposal:
    """处置: on a patrol any clearance; on a case an enforcing disposal (towing,
    clearing, seizing) needs the deadline to have passed (overdue) and enforces it.

    On a case it is a step of the case (its version is required); on a patrol
    the patrol must be one the actor's department works on."""
    errors = {}
    if kind not in DisposalKind.values:
        errors["kind"] = _("Invalid disposal kind.")
    if quantity is None or quantity < 1:
        errors["quantity"] = _("The quantity must be at least 1.")
    if case is None and patrol is None:
        errors["case"] = _("A disposal must belong to a case or a patrol.")
    if errors:
        raise ValidationFailed.for_fields(errors)
    _not_future(
        "disposed_on",
        disposed_on,
        _("The disposal date cannot be later than today."),
    )

    def make(*, campaign, case, patrol, department) -> Disposal:
        return Disposal.objects.create(
            campaign=campaign,
            case=case,
            patrol=patrol,
            department=department,
            kind=kind,
            quantity=quantity,
            disposed_on=disposed_on,
            plates=plates,
            note=note,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )

    if case is None:
        _link(Patrol, actor, patrol, "patrol", _("The patrol record does not exist."))
        return make(
            campaign=patrol.campaign,
            case=None,
            patrol=patrol,
            department=patrol.department,
        )
    if kind in ENFORCING_DISPOSALS and case.status not in (
        CaseStatus.OVERDUE,
        CaseStatus.ENFORCED,
    ):
        raise IllegalTransition(
            _(
                "The case is currently “%(status)s”; it can be cleared by force "
                "only after the rectification deadline has passed and a "
                "re-inspection found it not rectified."
            )
            % {"status": case.get_status_display()}
        )
    if kind not in ENFORCING_DISPOSALS and case.status not in OPEN_STATUSES:
        raise IllegalTransition(
            _("The case is currently “%(status)s”; a disposal cannot be recorded.")
            % {"status": case.get_status_display()}
        )
    made = {}

    def record(locked: Case):
        made["disposal"] = make(
            campaign=locked.campaign,
            case=locked,
            patrol=patrol or locked.patrol,
            department=locked.department,
        )

    with district_language():
        text = f"{DisposalKind(kind).label} {quantity}"
    enforcing = kind in ENFORCING_DISPOSALS and case.status == CaseStatus.OVERDUE
    _case_step(
        case,
        "enforce" if enforcing else "dispose",
        actor=actor,
        expected_version=expected_version,
        note=text,
        on=disposed_on,
        prepare=record,
    )
    return made["disposal"]


def _step_date(case: Case, on: datetime.date | None, field: str) -> datetime.date:
    on = on or _today()
    _not_future(field, on, _("The date cannot be later than today."))
    if on < case.registered_on:
        raise ValidationFailed.for_fields(
            {field: _("The date cannot be earlier than the registration date.")}
        )
    return on


@transaction.atomic
def case_close(*, actor, case: Case, expected_version, note: str = "", on=None) -> Case:
    """结案: only a rectified or enforced case is closed."""
    on = _step_date(case, on, "on")
    return _case_step(
        case, "close", actor=actor, expected_version=expected_version, note=note, on=on
    )


@transaction.atomic
def case_cancel(*, actor, case: Case, expected_version, reason: str, on=None) -> Case:
    """撤销: an open case is cancelled, always with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.for_fields(
            {"reason": _("Give a reason for cancelling the case.")}
        )
    on = _step_date(case, on, "on")

    def prepare(locked: Case):
        locked.cancel_reason = reason

    return _case_step(
        case,
        "cancel",
        actor=actor,
        expected_version=expected_version,
        note=reason,
        on=on,
        prepare=prepare,
    )


@transaction.atomic
def case_mark_overdue(*, actor=None, case: Case, note: str = "") -> Case:
    """The deadline rule (a system step): the notice's deadline passed with no
    passing re-inspection, so the case is overdue."""
    return _case_step(
        case,
        "mark_overdue",
        actor=actor,
        expected_version=versioning.UNCHECKED,
        note=note,
        on=_today(),
    )


@transaction.atomic
def cases_flag_decision_limit(*, today: datetime.date) -> tuple[int, int]:
    """Flag open cases near or past the 90-day limit; returns (near, overdue) newly set."""
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    overdue = open_cases.filter(decision_due__lt=today).exclude(
        decision_flag=DecisionFlag.OVERDUE
    )
    overdue_count = overdue.update(decision_flag=DecisionFlag.OVERDUE)
    near = open_cases.filter(
        decision_due__gte=today,
        decision_due__lte=today + datetime.timedelta(days=DECISION_NEAR_DAYS),
        decision_flag=DecisionFlag.NONE,
    )
    near_count = near.update(decision_flag=DecisionFlag.NEAR)
    return near_count, overdue_count


CASE_EDITABLE_FIELDS = frozenset(
    {"violation_type", "facts", "address", "latitude", "longitude"}
)


@transaction.atomic
def case_update(*, actor, case: Case, expected_version, **fields) -> Case:
    """Correct an open case's description (facts, place, coordinates, violation type).

    Status, numbers and dates change only through the workflow; a closed or
    cancelled case is archived and no longer edited.
    """
    unknown = set(fields) - CASE_EDITABLE_FIELDS
    if unknown:
        raise ValidationFailed.for_fields(
            {
                name: _("This field cannot be changed directly.")
                for name in sorted(unknown)
            }
        )
    with versioning.editing(
        scoping.writable(Case, actor),
        pk=case.pk,
        expected_version=expected_version,
        actor=actor,
    ) as case:
        if case.status not in OPEN_STATUSES:
            raise IllegalTransition(
                _("The case is currently “%(status)s” and can no longer be changed.")
                % {"status": case.get_status_display()}
            )
        for name, value in fields.items():
            setattr(case, name, value)
        errors = {}
        if case.violation_type not in ViolationType.values:
            errors["violation_type"] = _("Invalid violation type.")
        if not (case.facts or "").strip():
            errors["facts"] = _("Enter the facts of the violation.")
        if not (case.address or "").strip():
            errors["address"] = _("Enter the place.")
        if (case.latitude is None) != (case.longitude is None):
            errors["latitude"] = _("Enter both latitude and longitude, or neither.")
        if errors:
            raise ValidationFailed.for_fields(errors)
    return case


@transaction.atomic
def patrol_photo_add(*, actor, patrol: Patrol, image, caption: str = "") -> PatrolPhoto:
    """Attach a photo to a patrol record the actor's department works on."""
    patrol = scoping.get_writable(Patrol, actor, pk=patrol.pk)
    _check_photo(image)
    return PatrolPhoto.objects.create(patrol=patrol, image=image, caption=caption)


def _check_photo(image) -> None:
    """At most UPLOAD_MAX_IMAGE_PIXELS pixels (read from the header)."""
    try:
        validate_image_pixels(image)
    except ValidationError as error:
        raise ValidationFailed.for_fields({"image": error.messages}) from None


@transaction.atomic
def evidence_photo_add(
    *, actor, case: Case, image, caption: str = "", taken_at=None
) -> EvidencePhoto:
    """Attach an evidence photo to a case the actor's department works on; a
    closed or cancelled case takes no more evidence."""
    case = scoping.get_writable(Case, actor, pk=case.pk)
    if case.status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        raise IllegalTransition(
            _(
                "The case is currently “%(status)s”; "
                "no more evidence photos can be added."
            )
            % {"status": case.get_status_display()}
        )
    _check_photo(image)
    return EvidencePhoto.objects.create(
        case=case, image=image, caption=caption, taken_at=taken_at
    )
