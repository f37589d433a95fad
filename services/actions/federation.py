"""Cross-region 通办 between two instances (异地受理、属地审批).

District A (accepting) takes an application whose home district is B. When A's
clerk accepts it, ``on_transition`` writes an ``application.transfer`` message to
B in the same transaction. B creates its copy (``application_receive``), B's
staff review and decide, and every step on B writes an ``application.status``
message back to A, which mirrors it (``application_apply_partner_event``).
The outbox worker delivers both at least once; both receivers are idempotent.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import hashlib
import io
import os

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import scoping
from core.audit import actor_context
from core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from core.i18n import district_language
from core.models import District
from core.validators import validate_image_pixels
from core.versioning import UNCHECKED
from services.catalogue_codes import normalise_code
from services.choices import APPLICATION_WORKFLOW, MatterStatus
from services.choices import ApplicationStatus as S
from services.models import (
    Agreement,
    Application,
    ApplicationEvent,
    ApplicationMaterial,
    Matter,
)
from services.outbox import message_enqueue

TRANSFER = "application.transfer"
STATUS = "application.status"
TRANSFER_PATH = "/api/v1/federation/applications/"


def is_transferred(application: Application) -> bool:
    """Accepted here for a partner home district: decided there, mirrored here."""
    return (
        not application.home_district.is_local
        and application.accepting_district.is_local
    )


def is_received(application: Application) -> bool:
    """Taken by a partner for us: we decide and report back."""
    return (
        application.home_district.is_local
        and not application.accepting_district.is_local
    )


def check_transferable(*, matter: Matter, home: District, on: datetime.date) -> None:
    """A partner's matter may be taken here only if an agreement lists it today."""
    from services.selectors.catalogue import agreement_list_as_of

    agreements = Agreement.objects.filter(partner=home)
    for agreement in agreements:
        if (
            agreement_list_as_of(agreement=agreement, on=on)
            .filter(matter=matter)
            .exists()
        ):
            return
    raise ValidationFailed(
        _(
            "The matter “%(matter)s” is not on the cross-region list with "
            "%(district)s and cannot be taken in for it"
        )
        % {"matter": matter.name, "district": home.name},
        errors=[
            {
                "field": "home_district",
                "code": "not_in_list",
                "message": _("Not on the cross-region list with %(district)s")
                % {"district": home.name},
            }
        ],
    )


def before_step(application: Application, transition, now) -> None:
    """Mark the transfer on the row the accept step saves (inside its lock).

    Accepting for a partner home district transfers the application there. The
    home district copies our timeline (``n`` steps) and adds its ``receive`` step
    as ``n + 1``: that is the last of its steps we know of, so the first it
    reports is ``n + 2``.
    """
    if transition.verb == "accept" and is_transferred(application):
        application.transferred_at = now
        application.partner_sequence = application.last_event_sequence + 1


def on_transition(application: Application, event: ApplicationEvent) -> None:
    """Write the outbox message a step implies; called inside the step's transaction."""
    if event.verb == "accept" and application.transferred_at is not None:
        message_enqueue(
            destination=application.home_district,
            kind=TRANSFER,
            aggregate_key=str(application.uuid),
            path=TRANSFER_PATH,
            payload=transfer_payload(application),
            application=application,
        )
    elif is_received(application):
        message_enqueue(
            destination=application.accepting_district,
            kind=STATUS,
            aggregate_key=str(application.uuid),
            path=f"{TRANSFER_PATH}{application.uuid}/events/",
            payload=status_payload(application, event),
            application=application,
        )


def _event_payload(event: ApplicationEvent) -> dict:
    return {
        "sequence": event.sequence,
        "verb": event.verb,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "actor_name": event.actor_name,
        "district": event.district.code,
        "note": event.note,
        "data": event.data,
        "created_at": event.created_at.isoformat() if event.created_at else None,
    }


def transfer_payload(application: Application) -> dict:
    """Everything the home district needs to review: applicant, steps, materials."""
    materials = []
    for material in application.materials.filter(status="valid").select_related(
        "requirement"
    ):
        with material.file.open("rb") as handle:
            content = handle.read()
        materials.append(
            {
                "name": material.name,
                "requirement": material.requirement.name
                if material.requirement
                else "",
                "content_type": material.content_type,
                "size": material.size,
                "sha256": material.sha256,
                "content_base64": base64.b64encode(content).decode("ascii"),
            }
        )
    return {
        "uuid": str(application.uuid),
        "number": application.number,
        "matter_code": application.matter.code,
        "matter_name": application.matter.name,
        "accepting_district": application.accepting_district.code,
        "home_district": application.home_district.code,
        "applicant": {
            "kind": application.applicant_kind,
            "name": application.applicant_name,
            "id_number": application.applicant_id_number,
            "phone": application.applicant_phone,
            "address": application.applicant_address,
        },
        "channel": application.channel,
        "submitted_at": application.submitted_at.isoformat(),
        "received_on": application.received_on.isoformat(),
        "clock_start": application.clock_start.isoformat()
        if application.clock_start
        else None,
        "delivery": {
            "method": application.delivery_method,
            "address": application.delivery_address,
        },
        "events": [
            _event_payload(event)
            for event in application.events.select_related("district").order_by(
                "sequence"
            )
        ],
        "materials": materials,
    }


def status_payload(application: Application, event: ApplicationEvent) -> dict:
    return {
        **_event_payload(event),
        "uuid": str(application.uuid),
        "number": application.number,
        "result": {
            "certificate_number": application.certificate_number,
            "result": application.result,
            "delivery_method": application.delivery_method,
            "carrier": application.carrier,
            "tracking_number": application.tracking_number,
        },
    }


def sniff_content_type(head: bytes) -> str | None:
    # Imported late: the applications actions import this module.
    from services.actions.applications import sniff_content_type as sniff

    return sniff(head)


def _pixels_error(content: bytes) -> str | None:
    """Why an image material has too many pixels (None for a PDF or a fit one)."""
    if sniff_content_type(content[:16]) == "application/pdf":
        return None
    try:
        validate_image_pixels(io.BytesIO(content))
    except ValidationError as error:
        return error.messages[0]
    return None


def _decode_materials(items: list[dict], limit: int) -> list[tuple[dict, bytes]]:
    decoded, errors = [], []
    for index, item in enumerate(items):
        field = f"materials[{index}]"
        try:
            content = base64.b64decode(item["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            errors.append(
                {
                    "field": f"{field}.content_base64",
                    "code": "invalid",
                    "message": _("Not valid base64 content"),
                }
            )
            continue
        if len(content) > limit:
            errors.append(
                {"field": field, "code": "too_large", "message": _("File too large")}
            )
        elif hashlib.sha256(content).hexdigest() != item["sha256"].lower():
            errors.append(
                {
                    "field": f"{field}.sha256",
                    "code": "checksum_mismatch",
                    "message": _("The SHA-256 does not match the content"),
                }
            )
        elif sniff_content_type(content[:16]) is None:
            errors.append(
                {
                    "field": field,
                    "code": "bad_type",
                    "message": _("Only PDF, JPEG and PNG files are accepted"),
                }
            )
        elif (too_large := _pixels_error(content)) is not None:
            errors.append(
                {"field": field, "code": "image_too_large", "message": too_large}
            )
        else:
            decoded.append((item, content))
    if errors:
        raise ValidationFailed(
            _("The materials failed the checks; nothing was saved"), errors=errors
        )
    return decoded


def application_receive(*, partner: District, data: dict) -> tuple[Application, bool]:
    """Create our copy of an application a partner accepted for us.

    ``data`` has passed the transfer serializer. Returns (application, created);
    the same uuid again returns the existing copy and creates nothing.
    """
    from django.conf import settings

    from core.actions import local_district

    here = local_district()
    if data["home_district"] != here.code:
        raise _refuse(
            "home_district",
            "not_local",
            _("The home district is not ours (our code is %(code)s)")
            % {"code": here.code},
        )
    if data["accepting_district"] != partner.code:
        raise _refuse(
            "accepting_district",
            "not_caller",
            _("The accepting district must be the caller"),
        )
    if not data["number"].startswith(partner.code + "-"):
        # Numbers are unique across districts because each starts with its code.
        raise _refuse(
            "number",
            "invalid",
            _("The application number must start with %(prefix)s")
            % {"prefix": f"{partner.code}-"},
        )
    existing = Application.objects.filter(uuid=data["uuid"]).first()
    if existing is not None:
        if existing.accepting_district_id != partner.pk:
            raise NotFound()
        return existing, False
    if Application.objects.filter(number=data["number"]).exists():
        raise Conflict(
            _("The application number %(number)s is used by another application")
            % {"number": data["number"]}
        )
    # Codes are one matter whatever their case or width (services.catalogue_codes).
    matter = (
        Matter.objects.filter(code__iexact=normalise_code(data["matter_code"]))
        .select_related("department")
        .first()
    )
    if matter is None or matter.status != MatterStatus.PUBLISHED:
        raise _refuse(
            "matter_code",
            "unknown",
            _("Our district has no published matter %(code)s")
            % {"code": data["matter_code"]},
        )
    # The home side checks the 通办 list too: the partner's word is not enough.
    check_transferable(matter=matter, home=partner, on=data["received_on"])
    materials = _decode_materials(data["materials"], settings.UPLOAD_MAX_BYTES)
    try:
        return _create_received(partner, here, matter, data, materials), True
    except IntegrityError:
        # The same uuid or number arrived at the same moment under another key.
        existing = Application.objects.filter(uuid=data["uuid"]).first()
        if existing is not None and existing.accepting_district_id == partner.pk:
            return existing, False
        raise Conflict(
            _("The application number or identifier already exists")
        ) from None


def _refuse(field: str, code: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        message, errors=[{"field": field, "code": code, "message": message}]
    )


def _create_received(partner, here, matter, data, materials) -> Application:
    from services.actions.applications import _refresh_deadline

    requirements = {r.name: r for r in matter.materials.all()}
    applicant = data["applicant"]
    with (
        transaction.atomic(),
        actor_context(None, partner=partner.code, user_name=partner.name),
    ):
        application = Application.objects.create(
            uuid=data["uuid"],
            number=data["number"],
            matter=matter,
            applicant_kind=applicant["kind"],
            applicant_name=applicant["name"],
            applicant_id_number=applicant["id_number"],
            applicant_phone=applicant["phone"],
            applicant_address=applicant.get("address", ""),
            channel=data["channel"],
            accepting_district=partner,
            home_district=here,
            department=matter.department,
            intake_department=matter.department,
            status=S.ACCEPTED,
            submitted_at=data["submitted_at"],
            received_on=data["received_on"],
            clock_start=data.get("clock_start") or timezone.localdate(),
            delivery_method=data["delivery"]["method"],
            delivery_address=data["delivery"].get("address", ""),
        )
        _refresh_deadline(application, timezone.localdate())
        sequence = 0
        for event in data["events"]:
            sequence += 1
            ApplicationEvent.objects.create(
                application=application,
                sequence=sequence,
                verb=event["verb"],
                from_status=event.get("from_status", ""),
                to_status=event["to_status"],
                actor_name=event.get("actor_name", ""),
                district=partner,  # the partner speaks for its own steps only
                note=event.get("note", ""),
                data={
                    **(event.get("data") or {}),
                    "partner_sequence": event["sequence"],
                },
            )
        sequence += 1
        with district_language():  # written into the record
            actor_name = _("System")
            note = ngettext(
                "Received from %(district)s after its acceptance (%(count)s "
                "material, SHA-256 checked)",
                "Received from %(district)s after its acceptance (%(count)s "
                "materials, SHA-256 checked)",
                len(materials),
            ) % {"district": partner.name, "count": len(materials)}
        ApplicationEvent.objects.create(
            application=application,
            sequence=sequence,
            verb="receive",
            from_status="",
            to_status=S.ACCEPTED,
            actor_name=actor_name,
            district=here,
            note=note,
        )
        application.last_event_sequence = sequence
        for item, content in materials:
            material = ApplicationMaterial(
                application=application,
                requirement=requirements.get(item.get("requirement") or item["name"]),
                name=item["name"][:200],
                content_type=sniff_content_type(content[:16]),
                size=len(content),
                sha256=item["sha256"].lower(),
            )
            filename = os.path.basename(item["name"])[:80] or "material"
            material.file.save(filename, ContentFile(content), save=False)
            material.save()
        application.save()
    return application


class SequenceGap(Conflict):
    """A later step arrived before an earlier one; once the earlier one is
    applied, the same message (same Idempotency-Key) succeeds."""

    retryable = True


def _sequence_gap(expected: int, got: int) -> Conflict:
    message = _(
        "Step %(got)s arrived before step %(expected)s; send the steps in order"
    ) % {"got": got, "expected": expected}
    return SequenceGap(
        message,
        errors=[
            {
                "field": "sequence",
                "code": "sequence_gap",
                "message": message,
                "expected": expected,
            }
        ],
    )


def application_apply_partner_event(
    *, actor, application: Application, data: dict
) -> tuple[Application, bool]:
    """Mirror one step the home district reports, through the application workflow.

    Only a partner we transferred the application to reports its steps (others:
    404); only a step the table lets the home district take from our current
    status (409 ``illegal_transition``); only the next in its numbering: an
    earlier or repeated one is acknowledged and changes nothing (returns
    ``applied=False``), a later one is refused with 409 ``sequence_gap`` naming
    the number expected, so the sender sends the missing one first.
    """
    from services.actions.applications import _step

    partner = actor.district
    sequence = data["sequence"]
    transition = APPLICATION_WORKFLOW.by_verb.get(data["verb"])
    if transition is None or not transition.partner:
        raise _refuse(
            "verb",
            "not_reportable",
            _("“%(verb)s” is not a step the home district reports")
            % {"verb": data["verb"]},
        )
    if data["to_status"] != transition.target:
        raise _refuse(
            "to_status",
            "mismatch",
            _("The step “%(step)s” leads to “%(status)s”")
            % {"step": transition.label, "status": S(transition.target).label},
        )
    with (
        transaction.atomic(),
        actor_context(None, partner=partner.code, user_name=partner.name),
    ):
        locked = (
            scoping.writable(Application, actor)
            .select_for_update(of=("self",))
            .filter(pk=application.pk)
            .first()
        )
        if locked is None:
            raise NotFound()
        if sequence <= locked.partner_sequence:
            return locked, False
        if sequence != locked.partner_sequence + 1:
            raise _sequence_gap(locked.partner_sequence + 1, sequence)
        if data.get("from_status") and data["from_status"] != locked.status:
            raise IllegalTransition(
                _(
                    "The home district reports a step from “%(theirs)s”; here the "
                    "application is “%(ours)s”"
                )
                % {
                    "theirs": S(data["from_status"]).label,
                    "ours": locked.get_status_display(),
                }
            )
        result = data.get("result") or {}

        def prepare(row: Application, today):
            row.partner_sequence = sequence
            for field in ("certificate_number", "result", "carrier", "tracking_number"):
                if result.get(field):
                    setattr(row, field, result[field])
            if result.get("delivery_method"):
                row.delivery_method = result["delivery_method"]
            if transition.target == S.DELIVERED and row.delivered_at is None:
                row.delivered_at = data.get("created_at") or timezone.now()
            return None

        updated = _step(
            locked.pk,
            transition.verb,
            actor=actor,
            expected_version=UNCHECKED,  # the sequence number orders partner steps
            note=data.get("note", ""),
            data={
                **(data.get("data") or {}),
                "partner_sequence": sequence,
                "actor_name": data.get("actor_name", ""),
            },
            prepare=prepare,
        )
    return updated, True
