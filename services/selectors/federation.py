"""Reads of the outbox and of the applications shared with a partner."""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core import scoping
from core.errors import NotFound
from core.models import District
from services.models import Application
from services.models.federation import OutboxMessage
from services.scopes import shared_with


def outbox_message_list(*, user) -> QuerySet[OutboxMessage]:
    """The messages about applications ``user`` may see (``services.scopes``)."""
    return scoping.readable(OutboxMessage.objects.select_related("destination"), user)


def outbox_message_get(*, user, pk: int) -> OutboxMessage:
    """One message with its attempts; a message ``user`` may not see is 404."""
    found = (
        outbox_message_list(user=user)
        .prefetch_related("attempt_log")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("The outbox message does not exist"))
    return found


def shared_application_list(*, partner: District) -> QuerySet[Application]:
    """Applications ``partner`` is a party to under the protocol; no others."""
    return (
        Application.objects.filter(shared_with(partner))
        .select_related("matter", "accepting_district", "home_district")
        .order_by("-id")
    )
