"""Every write to the enforcement register.

Actions are atomic, check the record's current state against the one transition
table (``choices.CASE_TRANSITIONS``) and raise a ``core.errors`` domain error on
a rule break, so pages, API, admin, commands and the demo share the same rules.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.documents import Document, render
from core.errors import IllegalTransition, ValidationFailed, check_version
from core.i18n import district_language, district_text, join_list
from core.masking import mask_id
from core.models import Department, User
from core.sequences import next_number
from core.validators import validate_credit_code, validate_id_number
from enforcement.choices import (
    CASE_TRANSITIONS,
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

# Why a transition is refused, one whole sentence per verb of CASE_TRANSITIONS.
TRANSITION_REFUSED = {
    "issue_notice": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; "
        "a rectification notice cannot be issued."
    ),
    "rectify": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; "
        "it cannot be confirmed as rectified on re-inspection."
    ),
    "mark_overdue": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; it cannot be marked overdue."
    ),
    "enforce": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; "
        "it cannot be cleared by force according to law."
    ),
    "close": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; it cannot be closed."
    ),
    "cancel": gettext_lazy(
        "Case %(number)s is currently “%(status)s”; it cannot be cancelled."
    ),
}


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
    status: str = CampaignStatus.ACTIVE,
) -> Campaign:
    """Open a 专项整治行动; its name is unique and its end not before its start."""
    if end_date and end_date < start_date:
        raise ValidationFailed.for_fields(
            {"end_date": _("The end date cannot be earlier than the start date.")}
        )
    if Campaign.objects.filter(name=name).exists():
        raise ValidationFailed.for_fields(
            {"name": _("A campaign with this name already exists.")}
        )
    campaign = Campaign.objects.create(
        name=name,
        lead_department=lead_department,
        area=area,
        start_date=start_date,
        end_date=end_date,
        description=description,
        status=status,
    )
    campaign.joint_departments.set(
        [d for d in joint_departments if d.pk != lead_department.pk]
    )
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields) -> Campaign:
    """Edit a campaign's description fields (name, area, dates, status, departments)."""
    joint = fields.pop("joint_departments", None)
    allowed = {"name", "lead_department", "area", "description", "start_date"}
    allowed |= {"end_date", "status"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationFailed(
            _("Fields that cannot be changed: %(fields)s")
            % {"fields": join_list(sorted(unknown))}
        )
    for key, value in fields.items():
        setattr(campaign, key, value)
    if campaign.end_date and campaign.end_date < campaign.start_date:
        raise ValidationFailed.for_fields(
            {"end_date": _("The end date cannot be earlier than the start date.")}
        )
    campaign.save()
    if joint is not None:
        campaign.joint_departments.set(
            [d for d in joint if d.pk != campaign.lead_department_id]
        )
    return campaign


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
    """Record one 执法出动; its officers count towards the campaign's dispatches."""
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

    A subject already registered under the same number is returned as is, so
    one dealer's several cases hang off one record.
    """
    if not (name or "").strip():
        raise ValidationFailed.for_fields(
            {"name": _("Enter the name of the business or person.")}
        )
    id_number, credit_code = _validated_identifier(kind, id_number, credit_code)
    existing = Subject.objects.filter(
        **({"credit_code": credit_code} if credit_code else {"id_number": id_number})
    ).first()
    if existing is not None:
        return existing
    return Subject.objects.create(
        kind=kind,
        name=name.strip(),
        id_number=id_number,
        credit_code=credit_code,
        representative=representative,
        phone=phone,
        address=address,
        department=_department_of(actor, department),
    )


# --- cases -----------------------------------------------------------------


def _event(case: Case, verb: str, old: str, *, actor, on, note: str = ""):
    CaseStep.objects.create(
        case=case,
        verb=verb,
        from_status=old,
        to_status=case.status,
        actor=actor if getattr(actor, "pk", None) else None,
        at=timezone.now(),
        effective_on=on,
        note=note,
    )


def _transition(
    case: Case, verb: str, *, actor, note: str = "", on: datetime.date | None = None
) -> Case:
    sources, target = CASE_TRANSITIONS[verb]
    if case.status not in sources:
        raise IllegalTransition(
            TRANSITION_REFUSED[verb]
            % {"number": case.number, "status": case.get_status_display()}
        )
    on = on or _today()
    old = case.status
    case.status = target
    case.version += 1
    if target in DECIDED_STATUSES and case.decided_on is None:
        case.decided_on = on
    if target in DECIDED_STATUSES and case.decision_flag == DecisionFlag.NEAR:
        case.decision_flag = DecisionFlag.NONE
    case.save(
        update_fields=["status", "version", "decided_on", "decision_flag"]
        + (["cancel_reason"] if verb == "cancel" else [])
    )
    _event(case, verb, old, actor=actor, note=note, on=on)
    return case


def _locked(case: Case, expected_version) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    check_version(locked, expected_version)
    return locked


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
    90-day decision clock (行政处罚法 art. 60)."""
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
    _event(case, "register", "", actor=actor, note=note, on=registered_on)
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
    case = _locked(case, expected_version)
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
    _transition(case, "issue_notice", actor=actor, note=note, on=issued_on)
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
    """复查: a pass rectifies the case; a failure after the deadline makes it overdue."""
    case = _locked(case, expected_version)
    if case.status not in (CaseStatus.NOTICE_ISSUED, CaseStatus.OVERDUE):
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
    reinspection = Reinspection.objects.create(
        notice=notice,
        inspected_on=inspected_on,
        outcome=outcome,
        note=note,
        inspector=actor if getattr(actor, "pk", None) else None,
    )
    if outcome == ReinspectionOutcome.PASSED:
        with district_language():
            if inspected_on > notice.deadline:
                text = _(
                    "Rectified as required on re-inspection (after the deadline). "
                    "%(note)s"
                )
            else:
                text = _("Rectified as required on re-inspection. %(note)s")
        _transition(
            case,
            "rectify",
            actor=actor,
            note=(text % {"note": note}).strip(),
            on=inspected_on,
        )
    elif inspected_on > notice.deadline and case.status == CaseStatus.NOTICE_ISSUED:
        _transition(
            case,
            "mark_overdue",
            actor=actor,
            note=district_text(
                gettext_lazy(
                    "Not rectified as required on re-inspection; the rectification "
                    "deadline has passed. %(note)s"
                ),
                note=note,
            ).strip(),
            on=inspected_on,
        )
    else:
        case.version += 1
        case.save(update_fields=["version"])
    return reinspection


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
    clearing, seizing) needs the deadline to have passed (overdue) and enforces it."""
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
    if case is not None:
        case = _locked(case, expected_version)
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
        campaign = case.campaign
        department = case.department
        if patrol is None:
            patrol = case.patrol
    else:
        campaign = patrol.campaign
        department = patrol.department
    disposal = Disposal.objects.create(
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
    if case is not None:
        with district_language():
            text = f"{disposal.get_kind_display()} {quantity}"
        if kind in ENFORCING_DISPOSALS and case.status == CaseStatus.OVERDUE:
            _transition(case, "enforce", actor=actor, note=text, on=disposed_on)
        else:
            case.version += 1
            case.save(update_fields=["version"])
    return disposal


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
    case = _locked(case, expected_version)
    on = _step_date(case, on, "on")
    return _transition(case, "close", actor=actor, note=note, on=on)


@transaction.atomic
def case_cancel(*, actor, case: Case, expected_version, reason: str, on=None) -> Case:
    """撤销: an open case is cancelled, always with a reason."""
    if not (reason or "").strip():
        raise ValidationFailed.for_fields(
            {"reason": _("Give a reason for cancelling the case.")}
        )
    case = _locked(case, expected_version)
    on = _step_date(case, on, "on")
    case.cancel_reason = reason.strip()
    return _transition(case, "cancel", actor=actor, note=reason.strip(), on=on)


@transaction.atomic
def case_mark_overdue(*, actor, case: Case, note: str = "") -> Case:
    """The notice's deadline passed with no passing re-inspection: overdue."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    return _transition(case, "mark_overdue", actor=actor, note=note)


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
    case = _locked(case, expected_version)
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
    case.version += 1
    case.save(update_fields=[*fields, "version"])
    return case


@transaction.atomic
def patrol_photo_add(*, actor, patrol: Patrol, image, caption: str = "") -> PatrolPhoto:
    """Attach a photo to a patrol record."""
    return PatrolPhoto.objects.create(patrol=patrol, image=image, caption=caption)


@transaction.atomic
def evidence_photo_add(
    *, actor, case: Case, image, caption: str = "", taken_at=None
) -> EvidencePhoto:
    """Attach an evidence photo; a closed or cancelled case takes no more evidence."""
    if case.status in (CaseStatus.CLOSED, CaseStatus.CANCELLED):
        raise IllegalTransition(
            _(
                "The case is currently “%(status)s”; "
                "no more evidence photos can be added."
            )
            % {"status": case.get_status_display()}
        )
    return EvidencePhoto.objects.create(
        case=case, image=image, caption=caption, taken_at=taken_at
    )
