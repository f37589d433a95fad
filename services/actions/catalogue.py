"""Every write to the catalogue: matters and materials, agreements and their lists,
一件事 bundles. The row-file imports that feed them are in ``catalogue_import``.

Rules on one row live in the model's constraints as well; rules that need the
catalogue (publishing checks, overlapping list periods) live here.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import scoping, versioning
from core.audit import actor_context
from core.choices import DistrictKind
from core.errors import IllegalTransition, NotFound, ValidationFailed
from core.models import District
from services.catalogue_codes import (
    MalformedCode,
    body_code_warnings,
    parse_matter_code,
)
from services.choices import (
    MATTER_WORKFLOW,
    AgreementMode,
    HandlingType,
    LiaisonSide,
    MaterialForm,
    MatterKind,
    MatterStatus,
    OnlineDepth,
    ResultType,
    TongbanScope,
)
from services.models import (
    Agreement,
    AgreementMatter,
    Bundle,
    BundleMatter,
    LiaisonOfficer,
    Matter,
    MatterMaterial,
)

# The fields of a matter an operator edits (everything but status and bookkeeping).
MATTER_FIELDS = [
    "code",
    "name",
    "kind",
    "department",
    "body_code",
    "legal_basis",
    "conditions",
    "procedure",
    "handling_type",
    "statutory_days",
    "promised_days",
    "visits",
    "visits_reason",
    "fee",
    "fee_basis",
    "online_depth",
    "mail_supported",
    "result_name",
    "result_type",
    "tongban_scope",
    "location",
    "contact_phone",
    "theme",
    "guide_url",
]
MATERIAL_FIELDS = ["name", "required", "form", "copies", "source", "notes"]
MATTER_DEFAULTS = {
    "body_code": "",
    "legal_basis": "",
    "conditions": "",
    "procedure": "",
    "handling_type": HandlingType.PROMISED,
    "visits": 0,
    "visits_reason": "",
    "fee": Decimal("0"),
    "fee_basis": "",
    "online_depth": OnlineDepth.NONE,
    "mail_supported": False,
    "result_name": "",
    "result_type": ResultType.CERTIFICATE,
    "tongban_scope": TongbanScope.NONE,
    "location": "",
    "contact_phone": "",
    "theme": "",
    "guide_url": "",
    "statutory_days": None,
    "promised_days": None,
}
MATERIAL_DEFAULTS = {
    "required": True,
    "form": MaterialForm.ORIGINAL,
    "copies": 1,
    "source": "",
    "notes": "",
}


# ---------------------------------------------------------------- matter rules


def matter_field_errors(data: dict) -> tuple[dict[str, list[str]], list[str]]:
    """Errors that refuse any save of a matter, and warnings that do not.

    ``data`` holds the full set of MATTER_FIELDS; ``department`` is a Department.
    Fills ``code_form`` and, for national codes, a missing ``body_code``.
    """
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    try:
        parsed = parse_matter_code(data.get("code", ""))
    except MalformedCode as error:
        for reason in error.reasons:
            add("code", reason)
    else:
        data["code"] = parsed.code
        data["code_form"] = parsed.form
        if parsed.body_code and not data.get("body_code"):
            data["body_code"] = parsed.body_code
            warnings.extend(parsed.warnings)
        elif data.get("body_code"):
            warnings.extend(body_code_warnings(data["body_code"]))
    if not (data.get("name") or "").strip():
        add("name", _("The matter name must not be empty."))
    if data.get("kind") not in MatterKind.values:
        add("kind", _("The matter type is not valid."))
    department = data.get("department")
    if department is None:
        add("department", _("The implementing body must not be empty."))
    elif department.district.kind != DistrictKind.LOCAL:
        add(
            "department",
            _("The implementing body must be a department of our district."),
        )
    # Limits may be blank on a draft (published lists often omit them);
    # publishing needs them (matter_publish_problems).
    statutory, promised = data.get("statutory_days"), data.get("promised_days")
    if statutory is not None and promised is not None and promised > statutory:
        add(
            "promised_days",
            _(
                "The promised time limit (working days: %(promised)s) must not be "
                "longer than the statutory time limit (working days: %(statutory)s)."
            )
            % {"promised": promised, "statutory": statutory},
        )
    if data.get("visits") not in (0, 1, 2):
        add("visits", _("The number of visits in person must be 0, 1 or 2."))
    if data.get("fee") is not None and data["fee"] < 0:
        add("fee", _("The fee must not be negative."))
    if data.get("guide_url"):
        try:
            URLValidator(schemes=["http", "https"])(data["guide_url"])
        except DjangoValidationError:
            add("guide_url", _("The service guide link must be an http(s) address."))
    for name, choices in (
        ("handling_type", HandlingType),
        ("online_depth", OnlineDepth),
        ("result_type", ResultType),
        ("tongban_scope", TongbanScope),
    ):
        if data.get(name) not in choices.values:
            add(name, _("The value is not valid."))
    return errors, warnings


def matter_publish_problems(data: dict, materials: list[dict]) -> list[tuple[str, str]]:
    """What stands in the way of publishing: (field, message) pairs.

    The catalogue-checking rules seen in practice: visits need a reason; a matter
    without visits that is not fully online must accept postal applications; a fee
    needs its basis; a published guide needs conditions, legal basis and materials.
    """
    problems = []
    if data.get("statutory_days") is None:
        problems.append(
            ("statutory_days", _("The statutory time limit must be given."))
        )
    if data.get("promised_days") is None:
        problems.append(("promised_days", _("The promised time limit must be given.")))
    if data.get("visits") and not (data.get("visits_reason") or "").strip():
        problems.append(
            (
                "visits_reason",
                _("When visits in person are needed, the reason must be given."),
            )
        )
    if (
        data.get("visits") == 0
        and data.get("online_depth") != OnlineDepth.FULL
        and not data.get("mail_supported")
    ):
        problems.append(
            (
                "mail_supported",
                _(
                    "A matter with no visits in person that is not fully online "
                    "must support courier delivery (applications by mail)."
                ),
            )
        )
    if data.get("fee") and not (data.get("fee_basis") or "").strip():
        problems.append(
            ("fee_basis", _("A matter with a fee must give the fee basis."))
        )
    if not (data.get("legal_basis") or "").strip():
        problems.append(("legal_basis", _("The legal basis must not be empty.")))
    if not (data.get("conditions") or "").strip():
        problems.append(
            ("conditions", _("The acceptance conditions must not be empty."))
        )
    if not materials:
        problems.append(
            ("materials", _("At least one application material is needed."))
        )
    return problems


def _material_errors(materials: list[dict]) -> list[str]:
    errors = []
    for index, item in enumerate(materials, start=1):
        if not (item.get("name") or "").strip():
            errors.append(_("Material %(number)s has no name.") % {"number": index})
        if item.get("form") not in MaterialForm.values:
            errors.append(
                _(
                    "The form of material %(number)s is not valid (it should be "
                    "original, copy or electronic certificate)."
                )
                % {"number": index}
            )
        copies = item.get("copies")
        if not isinstance(copies, int) or copies < 1:
            errors.append(
                _(
                    "The number of copies of material %(number)s should be a "
                    "positive whole number."
                )
                % {"number": index}
            )
    return errors


def _matter_data(matter: Matter) -> dict:
    return {name: getattr(matter, name) for name in MATTER_FIELDS}


def _material_data(material: MatterMaterial) -> dict:
    return {name: getattr(material, name) for name in MATERIAL_FIELDS}


def _normalise_materials(materials: list[dict]) -> list[dict]:
    return [{**MATERIAL_DEFAULTS, **item} for item in materials]


def _raise_field_errors(errors: dict[str, list[str]], message: str) -> None:
    if errors:
        raise ValidationFailed.for_fields(errors, message)


def _materials_replace(matter: Matter, materials: list[dict]) -> bool:
    """Replace the matter's materials when they differ; True if anything changed."""
    current = [_material_data(m) for m in matter.materials.all()]
    if current == materials:
        return False
    MatterMaterial.objects.filter(matter=matter).delete()
    MatterMaterial.objects.bulk_create(
        MatterMaterial(matter=matter, position=index, **item)
        for index, item in enumerate(materials, start=1)
    )
    return True


# ------------------------------------------------------------- matter writes


def matter_create(*, actor, data: dict, materials: list[dict] | None = None) -> Matter:
    """Create a draft matter; refuses malformed codes, promised > statutory, etc."""
    full = {**MATTER_DEFAULTS, **data}
    materials = _normalise_materials(materials or [])
    errors, _warnings = matter_field_errors(full)
    if material_errors := _material_errors(materials):
        errors["materials"] = material_errors
    if (
        not errors.get("code")
        and Matter.objects.filter(code__iexact=full["code"]).exists()
    ):
        errors.setdefault("code", []).append(
            _("The implementation code “%(code)s” already exists.")
            % {"code": full["code"]}
        )
    _raise_field_errors(errors, _("The matter has errors and was not saved."))
    with transaction.atomic(), actor_context(actor):
        fields = {name: full[name] for name in MATTER_FIELDS}
        matter = Matter.objects.create(
            code_form=full["code_form"], status=MatterStatus.DRAFT, **fields
        )
        _require_writable(actor, matter, "department")
        _materials_replace(matter, materials)
    return matter


def _require_writable(actor, obj, field: str) -> None:
    """Refuse (and so roll back) a new row the actor could not change afterwards:
    another department's matter, an agreement or bundle without catalogue rights."""
    if not scoping.can_write(actor, obj):
        raise ValidationFailed.for_fields(
            {field: _("You may not register records here.")},
            _("You may not register records here."),
        )


def matter_update(
    *,
    actor,
    matter: Matter,
    data: dict,
    materials: list[dict] | None = None,
    expected_version,
) -> Matter:
    """Change a matter's fields (and materials when given); bumps the version.

    Only a matter the actor may write (its department's, or any for catalogue
    admins), only from the version the actor saw (compared on the locked row). A
    published matter stays publishable: an edit that would break the publishing
    rules is refused.
    """
    with transaction.atomic(), actor_context(actor):
        matter = versioning.lock(
            scoping.writable(Matter, actor),
            pk=matter.pk,
            expected_version=expected_version,
        )
        full = {**_matter_data(matter), **data}
        errors, _warnings = matter_field_errors(full)
        new_materials = (
            _normalise_materials(materials)
            if materials is not None
            else [_material_data(m) for m in matter.materials.all()]
        )
        if material_errors := _material_errors(new_materials):
            errors["materials"] = material_errors
        if (
            not errors.get("code")
            and Matter.objects.filter(code__iexact=full["code"])
            .exclude(pk=matter.pk)
            .exists()
        ):
            errors.setdefault("code", []).append(
                _("The implementation code “%(code)s” already exists.")
                % {"code": full["code"]}
            )
        if not errors and matter.status == MatterStatus.PUBLISHED:
            for name, message in matter_publish_problems(full, new_materials):
                errors.setdefault(name, []).append(message)
        _raise_field_errors(errors, _("The matter has errors and was not saved."))
        changed = [
            name for name in MATTER_FIELDS if getattr(matter, name) != full[name]
        ]
        for name in changed:
            setattr(matter, name, full[name])
        matter.code_form = full["code_form"]
        materials_changed = _materials_replace(matter, new_materials)
        if changed or materials_changed:
            versioning.bump(matter)
        if "department" in changed:
            # Not handed to a department the actor does not work for.
            _require_writable(actor, matter, "department")
    return matter


def matter_publish_check(matter: Matter) -> None:
    """The guard of 发布: refuse with every publishing rule the matter breaks."""
    materials = [_material_data(m) for m in matter.materials.all()]
    problems = matter_publish_problems(_matter_data(matter), materials)
    if problems:
        raise ValidationFailed(
            _(
                "The matter does not meet the publishing requirements and "
                "was not published."
            ),
            errors=[
                {"field": name, "code": "publish_rule", "message": message}
                for name, message in problems
            ],
        )


def _stamp_published(matter: Matter) -> None:
    if matter.status != MatterStatus.PUBLISHED:
        matter.published_at = timezone.now()


def matter_transition(
    *, actor, matter: Matter, verb: str, expected_version, note: str = ""
) -> Matter:
    """Take a step of MATTER_WORKFLOW (发布、暂停、废止) through core.workflow.

    The engine locks the matter within what the actor may write, compares the
    version, checks the step starts from the current status, the permission and,
    for 发布, the publishing rules; the step is recorded as a StateChange.
    """

    def prepare(locked: Matter) -> None:
        if MATTER_WORKFLOW[verb].target == MatterStatus.PUBLISHED:
            _stamp_published(locked)

    return MATTER_WORKFLOW.apply(
        matter.pk if isinstance(matter, Matter) else matter,
        verb,
        actor=actor,
        expected_version=expected_version,
        note=note,
        prepare=prepare if verb in MATTER_WORKFLOW else None,
    )


def matter_publish(*, actor, matter: Matter, expected_version) -> Matter:
    """发布: only a draft or suspended matter that passes the publishing rules."""
    return matter_transition(
        actor=actor, matter=matter, verb="publish", expected_version=expected_version
    )


def matter_suspend(*, actor, matter: Matter, expected_version) -> Matter:
    """暂停: a published matter is taken off the public catalogue for a while."""
    return matter_transition(
        actor=actor, matter=matter, verb="suspend", expected_version=expected_version
    )


def matter_retire(*, actor, matter: Matter, expected_version) -> Matter:
    """废止: final; a retired matter can no longer be published."""
    return matter_transition(
        actor=actor, matter=matter, verb="retire", expected_version=expected_version
    )


# ---------------------------------------------------------------- agreements


def _agreement_errors(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    partner = data.get("partner")
    if partner is None or partner.kind != DistrictKind.PARTNER:
        errors["partner"] = [
            _("The partner district must be a registered partner district.")
        ]
    bad_modes = [m for m in data.get("modes", []) if m not in AgreementMode.values]
    if bad_modes or not data.get("modes"):
        errors["modes"] = [
            _(
                "Choose at least one cross-region mode (fully online, proxy handling "
                "in another district, joint handling by several districts)."
            )
        ]
    if not (data.get("title") or "").strip():
        errors["title"] = [_("The agreement title must not be empty.")]
    if not (data.get("code") or "").strip():
        errors["code"] = [_("The agreement number must not be empty.")]
    signed, effective = data.get("signed_on"), data.get("effective_on")
    if signed and effective and effective < signed:
        errors["effective_on"] = [
            _("The effective date must not be before the signing date.")
        ]
    return errors


AGREEMENT_FIELDS = [
    "code",
    "title",
    "partner",
    "modes",
    "signed_on",
    "effective_on",
    "summary",
    "active",
]


def agreement_create(
    *, actor, data: dict, liaisons: list[dict] | None = None
) -> Agreement:
    """Register a 通办协议 with a partner district and its liaison officers
    (catalogue admins only: the row must be one the actor may write)."""
    data = {"summary": "", "active": True, **data}
    errors = _agreement_errors(data)
    if Agreement.objects.filter(code=data.get("code")).exists():
        errors.setdefault("code", []).append(_("The agreement number already exists."))
    liaisons = _checked_liaisons(liaisons or [])
    _raise_field_errors(errors, _("The agreement has errors and was not saved."))
    with transaction.atomic(), actor_context(actor):
        agreement = Agreement.objects.create(
            **{name: data[name] for name in AGREEMENT_FIELDS}
        )
        _require_writable(actor, agreement, "code")
        _liaisons_replace(agreement, liaisons)
    return agreement


def agreement_update(
    *,
    actor,
    agreement: Agreement,
    data: dict,
    liaisons: list[dict] | None = None,
    expected_version,
) -> Agreement:
    """Change an agreement's fields and (when given) replace its liaison officers,
    in one step from the version the actor saw (compared on the locked row)."""
    liaisons = _checked_liaisons(liaisons) if liaisons is not None else None
    with transaction.atomic(), actor_context(actor):
        agreement = versioning.lock(
            scoping.writable(Agreement, actor),
            pk=agreement.pk,
            expected_version=expected_version,
        )
        full = {name: getattr(agreement, name) for name in AGREEMENT_FIELDS} | data
        errors = _agreement_errors(full)
        if (
            Agreement.objects.filter(code=full["code"])
            .exclude(pk=agreement.pk)
            .exists()
        ):
            errors.setdefault("code", []).append(
                _("The agreement number already exists.")
            )
        _raise_field_errors(errors, _("The agreement has errors and was not saved."))
        changed = [n for n in AGREEMENT_FIELDS if getattr(agreement, n) != full[n]]
        for name in changed:
            setattr(agreement, name, full[name])
        liaisons_changed = liaisons is not None and _liaisons_replace(
            agreement, liaisons
        )
        if changed or liaisons_changed:
            versioning.bump(agreement)
    return agreement


def _checked_liaisons(liaisons: list[dict]) -> list[dict]:
    """Liaison officers (日常工作联络员) of both sides, each complete."""
    errors = []
    for index, item in enumerate(liaisons, start=1):
        if item.get("side") not in LiaisonSide.values:
            errors.append(
                _("The side of liaison officer %(number)s is not valid.")
                % {"number": index}
            )
        for name, message in (
            ("name", _("Liaison officer %(number)s has no name.")),
            ("department", _("Liaison officer %(number)s has no organisation.")),
            ("phone", _("Liaison officer %(number)s has no phone number.")),
        ):
            if not (item.get(name) or "").strip():
                errors.append(message % {"number": index})
    if errors:
        raise ValidationFailed.for_fields(
            {"liaisons": errors}, _("The liaison officers have errors.")
        )
    return [
        {
            "side": item["side"],
            "name": item["name"].strip(),
            "department": item["department"].strip(),
            "phone": item["phone"].strip(),
        }
        for item in liaisons
    ]


def _liaisons_replace(agreement: Agreement, liaisons: list[dict]) -> bool:
    """Replace the agreement's liaison officers when they differ (under the
    agreement's lock); True if anything changed."""
    fields = ["side", "name", "department", "phone"]
    current = [
        {name: getattr(item, name) for name in fields}
        for item in agreement.liaisons.order_by("id")
    ]
    if current == liaisons:
        return False
    LiaisonOfficer.objects.filter(agreement=agreement).delete()
    LiaisonOfficer.objects.bulk_create(
        LiaisonOfficer(agreement=agreement, **item) for item in liaisons
    )
    return True


def liaison_add(*, actor, agreement: Agreement, data: dict) -> LiaisonOfficer:
    """Add one liaison officer to an agreement the actor may write."""
    (item,) = _checked_liaisons([data])
    with transaction.atomic(), actor_context(actor):
        agreement = scoping.get_writable(Agreement, actor, pk=agreement.pk)
        return LiaisonOfficer.objects.create(agreement=agreement, **item)


def liaison_update(
    *, actor, liaison: LiaisonOfficer, data: dict, expected_version
) -> LiaisonOfficer:
    """Change one liaison officer (the admin inline edits them one by one), from
    the version the actor saw."""
    (item,) = _checked_liaisons([data])
    with transaction.atomic(), actor_context(actor):
        liaison = versioning.lock(
            scoping.writable(LiaisonOfficer, actor),
            pk=liaison.pk,
            expected_version=expected_version,
        )
        fields = [
            name for name, value in item.items() if getattr(liaison, name) != value
        ]
        if fields:
            for name in fields:
                setattr(liaison, name, item[name])
            versioning.bump(liaison)
        return liaison


def liaison_delete(*, actor, liaison: LiaisonOfficer, expected_version) -> None:
    """Remove one liaison officer, from the version the actor saw."""
    with transaction.atomic(), actor_context(actor):
        liaison = versioning.lock(
            scoping.writable(LiaisonOfficer, actor),
            pk=liaison.pk,
            expected_version=expected_version,
        )
        liaison.delete()


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    far = datetime.date.max
    return a_from < (b_to or far) and b_from < (a_to or far)


def agreement_matter_add(
    *,
    actor,
    agreement: Agreement,
    matter: Matter,
    batch: str,
    effective_from: datetime.date,
) -> AgreementMatter:
    """Put a published matter on the agreement's list from a date (调入)."""
    errors: dict[str, list[str]] = {}
    if matter.status != MatterStatus.PUBLISHED:
        errors["matter"] = [
            _(
                "The matter “%(name)s” is not published and cannot be put on the "
                "cross-region list."
            )
            % {"name": matter.name}
        ]
    if not (batch or "").strip():
        errors["batch"] = [_("The batch must not be empty.")]
    if effective_from < agreement.effective_on:
        errors["effective_from"] = [
            _("The effective date must not be before the agreement's effective date.")
        ]
    _raise_field_errors(errors, _("Could not put the matter on the cross-region list."))
    with transaction.atomic(), actor_context(actor):
        agreement = scoping.get_writable(Agreement, actor, pk=agreement.pk)
        for entry in AgreementMatter.objects.select_for_update().filter(
            agreement=agreement, matter=matter
        ):
            if _overlaps(
                entry.effective_from, entry.effective_to, effective_from, None
            ):
                raise ValidationFailed.for_fields(
                    {
                        "matter": _("The matter is on the list from %(date)s already.")
                        % {"date": entry.effective_from}
                    },
                    _("Could not put the matter on the cross-region list."),
                )
        try:
            with transaction.atomic():
                return AgreementMatter.objects.create(
                    agreement=agreement,
                    matter=matter,
                    batch=batch.strip(),
                    effective_from=effective_from,
                )
        except IntegrityError:
            raise ValidationFailed.for_fields(
                {"matter": _("The matter is on the list already.")},
                _("Could not put the matter on the cross-region list."),
            ) from None


def agreement_matter_remove(
    *,
    actor,
    entry: AgreementMatter,
    effective_to: datetime.date,
    reason: str,
    expected_version,
) -> AgreementMatter:
    """Take a matter off the list from ``effective_to`` (调出), with the reason;
    from the entry's version the actor saw, checked on the locked row."""
    with transaction.atomic(), actor_context(actor):
        entry = versioning.lock(
            scoping.writable(AgreementMatter, actor),
            pk=entry.pk,
            expected_version=expected_version,
        )
        if entry.effective_to is not None:
            raise IllegalTransition(
                _("The matter was taken off the list on %(date)s already.")
                % {"date": entry.effective_to}
            )
        errors: dict[str, list[str]] = {}
        if not (reason or "").strip():
            errors["reason"] = [_("A removal from the list needs a reason.")]
        if effective_to <= entry.effective_from:
            errors["effective_to"] = [
                _("The end date must be after the effective date.")
            ]
        _raise_field_errors(
            errors, _("Could not take the matter off the cross-region list.")
        )
        entry.effective_to = effective_to
        entry.removal_reason = reason.strip()
        versioning.bump(entry, update_fields=["effective_to", "removal_reason"])
    return entry


def agreement_resolve(identifier: str) -> Agreement:
    """An agreement by its code or id (for commands)."""
    agreement = Agreement.objects.filter(code=identifier).first()
    if agreement is None and identifier.isdigit():
        agreement = Agreement.objects.filter(pk=int(identifier)).first()
    if agreement is None:
        raise NotFound(
            _("There is no cross-region agreement with the number or ID “%(value)s”.")
            % {"value": identifier}
        )
    return agreement


def partner_resolve(code: str) -> District:
    district = District.objects.filter(code=code, kind=DistrictKind.PARTNER).first()
    if district is None:
        raise NotFound(
            _("There is no partner district with the code “%(code)s”.") % {"code": code}
        )
    return district


# ------------------------------------------------------------------ bundles


def _bundle_errors(
    data: dict, matters: list[Matter] | None, bundle: Bundle | None
) -> None:
    errors: dict[str, list[str]] = {}
    for name, message in (
        ("code", _("The code must not be empty.")),
        ("name", _("The name must not be empty.")),
    ):
        if (bundle is None or name in data) and not (data.get(name) or "").strip():
            errors[name] = [message]
    if matters is not None:
        if len({m.pk for m in matters}) != len(matters):
            errors["matters"] = [_("The same matter cannot be listed twice.")]
        if len(matters) < 2:
            errors.setdefault("matters", []).append(
                _("A one-thing bundle needs at least two matters.")
            )
    code = (data.get("code") or "").strip()
    if (
        code
        and Bundle.objects.filter(code=code)
        .exclude(pk=getattr(bundle, "pk", None))
        .exists()
    ):
        errors.setdefault("code", []).append(_("The code already exists."))
    _raise_field_errors(errors, _("The one-thing bundle has errors and was not saved."))


def _bundle_items_replace(bundle: Bundle, matters: list[Matter]) -> bool:
    current = list(
        bundle.items.order_by("position").values_list("matter_id", flat=True)
    )
    if current == [m.pk for m in matters]:
        return False
    BundleMatter.objects.filter(bundle=bundle).delete()
    BundleMatter.objects.bulk_create(
        BundleMatter(bundle=bundle, matter=matter, position=index)
        for index, matter in enumerate(matters, start=1)
    )
    return True


BUNDLE_FIELDS = ["code", "name", "description", "window", "active"]


def bundle_create(*, actor, data: dict, matters: list[Matter]) -> Bundle:
    """Create a 一件事 of at least two distinct matters, in their order."""
    _bundle_errors(data, matters, None)
    with transaction.atomic(), actor_context(actor):
        bundle = Bundle.objects.create(
            **{name: data[name] for name in BUNDLE_FIELDS if name in data}
        )
        _require_writable(actor, bundle, "code")
        _bundle_items_replace(bundle, matters)
    return bundle


def bundle_update(
    *,
    actor,
    bundle: Bundle,
    data: dict,
    matters: list[Matter] | None = None,
    expected_version,
) -> Bundle:
    """Change a 一件事 and (when given) its ordered matters, from the version the
    actor saw (compared on the locked row)."""
    _bundle_errors(data, matters, bundle)
    with transaction.atomic(), actor_context(actor):
        bundle = versioning.lock(
            scoping.writable(Bundle, actor),
            pk=bundle.pk,
            expected_version=expected_version,
        )
        changed = [
            name
            for name in BUNDLE_FIELDS
            if name in data and getattr(bundle, name) != data[name]
        ]
        for name in changed:
            setattr(bundle, name, data[name])
        items_changed = matters is not None and _bundle_items_replace(bundle, matters)
        if changed or items_changed:
            versioning.bump(bundle)
    return bundle
