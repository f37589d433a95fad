"""Reads of the outbox, for the staff delivery pages."""

from django.db.models import QuerySet

from services.models.federation import OutboxMessage


def outbox_message_list(*, user) -> QuerySet[OutboxMessage]:
    """Every message of this instance; only staff who may view the outbox reach it."""
    return OutboxMessage.objects.select_related("destination")


def outbox_message_get(*, user, pk: int) -> OutboxMessage:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        outbox_message_list(user=user).prefetch_related("attempt_log"), pk=pk
    )
