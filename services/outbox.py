"""Delivery of outbox messages to partner districts: at least once, in order per
application, with exponential backoff and jitter, and a dead-letter state.

Several workers may run at once: each claims due messages with
``SELECT … FOR UPDATE SKIP LOCKED`` and holds the row lock while it sends, so no
two workers send the same message at the same time. If a worker dies after
sending but before recording, its transaction rolls back and the message is sent
again with the same ``Idempotency-Key``; the receiver replays its first answer.
"""

from __future__ import annotations

import datetime
import json
import logging
import random
import time
from dataclasses import dataclass

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core import versioning
from core.models import District
from core.versioning import UNCHECKED
from services.choices import OUTBOX_WORKFLOW
from services.models.federation import OutboxAttempt, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Answers that retrying cannot change: the message itself is wrong.
PERMANENT_FAILURES = {400, 404, 405, 410, 413, 415, 422}


def message_enqueue(
    *,
    destination: District,
    kind: str,
    aggregate_key: str,
    path: str,
    payload: dict,
    application=None,
) -> OutboxMessage:
    """Write a message; call inside the transaction of the change it reports.

    ``application`` is the application it is about: who may read the message
    (its payload names the applicant) follows who may read the application.
    """
    return OutboxMessage.objects.create(
        destination=destination,
        kind=kind,
        aggregate_key=aggregate_key,
        path=path,
        payload=payload,
        application=application,
    )


def backoff_seconds(attempts: int) -> float:
    """Exponential backoff with full jitter: random in [base·2^(n-1)/2, base·2^(n-1)]."""
    ceiling = min(
        settings.OUTBOX_BACKOFF_MAX_SECONDS,
        settings.OUTBOX_BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0),
    )
    return random.uniform(ceiling / 2, ceiling)


def _due_messages():
    """Pending, due, and not behind an earlier undelivered message of the same object."""
    earlier = OutboxMessage.objects.filter(
        aggregate_key=OuterRef("aggregate_key"),
        destination=OuterRef("destination"),
        id__lt=OuterRef("id"),
    ).exclude(status=OutboxStatus.DELIVERED)
    return (
        OutboxMessage.objects.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .exclude(Exists(earlier))
        .order_by("id")
    )


@dataclass
class DeliveryReport:
    delivered: int = 0
    retried: int = 0
    dead: int = 0

    def __str__(self) -> str:
        return _(
            "Delivered %(delivered)s, to retry %(retried)s, dead letters %(dead)s"
        ) % {"delivered": self.delivered, "retried": self.retried, "dead": self.dead}


def deliver_due(
    *, limit: int = 50, session: requests.Session | None = None
) -> DeliveryReport:
    """Send up to ``limit`` due messages, one transaction each."""
    report = DeliveryReport()
    session = session or requests.Session()
    for _attempt_number in range(limit):
        with transaction.atomic():
            message = (
                _due_messages()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("destination")
                .first()
            )
            if message is None:
                break
            outcome = _attempt(message, session)
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _attempt(message: OutboxMessage, session: requests.Session) -> str:
    destination = message.destination
    url = destination.api_base_url.rstrip("/") + message.path
    started = timezone.now()
    clock = time.monotonic()
    status_code, error = None, ""
    try:
        key = destination.outbound_key()
        if not destination.api_base_url or not key:
            raise RuntimeError(
                _("The partner district has no API address or key configured")
            )
        response = session.post(
            url,
            json=message.payload,
            headers={
                "Authorization": f"Api-Key {key}",
                "Idempotency-Key": str(message.idempotency_key),
                "Accept": "application/json",
            },
            timeout=settings.OUTBOX_HTTP_TIMEOUT_SECONDS,
        )
        status_code = response.status_code
        if status_code >= 300:
            error = response.text[:2000]
    except Exception as exc:  # network errors, bad configuration: retry later
        error = f"{type(exc).__name__}: {exc}"[:2000]
    message.attempts += 1
    OutboxAttempt.objects.create(
        message=message,
        number=message.attempts,
        started_at=started,
        duration_ms=int((time.monotonic() - clock) * 1000),
        status_code=status_code,
        error=error,
    )
    message.last_error = error
    if status_code is not None and 200 <= status_code < 300:
        message.delivered_at = timezone.now()
        outcome, verb = "delivered", "mark_delivered"
    elif (
        status_code in PERMANENT_FAILURES
        or _refused_step(status_code, error)
        or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS
    ):
        outcome, verb = "dead", "dead_letter"
    else:
        message.next_attempt_at = timezone.now() + datetime.timedelta(
            seconds=backoff_seconds(message.attempts)
        )
        outcome, verb = "retried", None
    if verb is None:
        versioning.bump(message)
    else:
        # The worker holds the row lock; the engine records the step.
        OUTBOX_WORKFLOW.apply(
            message.pk,
            verb,
            actor=None,
            expected_version=UNCHECKED,
            prepare=lambda locked: _copy_attempt(message, locked),
        )
    logger.info(
        "outbox message=%s attempt=%s status=%s outcome=%s",
        message.uuid,
        message.attempts,
        status_code,
        outcome,
    )
    return outcome


def _copy_attempt(message: OutboxMessage, locked: OutboxMessage) -> None:
    for field in ("attempts", "last_error", "next_attempt_at", "delivered_at"):
        setattr(locked, field, getattr(message, field))


def _refused_step(status_code, body: str) -> bool:
    """409 ``illegal_transition``: the partner's record does not allow the step;
    sending it again cannot change that (409 ``sequence_gap`` and other conflicts
    are retried: an earlier message may still arrive)."""
    if status_code != 409:
        return False
    try:
        return json.loads(body).get("type") == "illegal_transition"
    except (ValueError, AttributeError):
        return False


def message_retry(*, actor, message: OutboxMessage, expected_version) -> OutboxMessage:
    """Staff's "retry": a dead or waiting message is due again now.

    A step of ``OUTBOX_WORKFLOW`` (a delivered message has nothing to retry),
    on a message of an application the actor may see, at the version they saw.
    """

    def prepare(locked: OutboxMessage) -> None:
        locked.next_attempt_at = timezone.now()
        if locked.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            locked.attempts = (
                0  # a fresh series of attempts, the log keeps the old ones
            )

    message = OUTBOX_WORKFLOW.apply(
        message.pk,
        "retry",
        actor=actor,
        expected_version=expected_version,
        prepare=prepare,
    )
    logger.info("outbox message=%s retried by %s", message.uuid, actor)
    return message
