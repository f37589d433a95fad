"""Reads of the outbox and of the applications shared with a partner."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from core.models import District
from services.models import Application
from services.models.federation import OutboxMessage


def outbox_message_list(*, user) -> QuerySet[OutboxMessage]:
    """Every message of this instance; only staff who may view the outbox reach it."""
    return OutboxMessage.objects.select_related("destination")


def outbox_message_get(*, user, pk: int) -> OutboxMessage:
    return get_object_or_404(
        outbox_message_list(user=user).prefetch_related("attempt_log"), pk=pk
    )


def shared_application_list(*, partner: District) -> QuerySet[Application]:
    """Applications ``partner`` is a party to (accepting or home district); no others."""
    return (
        Application.objects.filter(
            Q(accepting_district=partner) | Q(home_district=partner)
        )
        .select_related("matter", "accepting_district", "home_district")
        .order_by("-id")
    )
