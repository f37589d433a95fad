import django_filters
from django.utils.translation import gettext_lazy as _

from core.models import District
from services.models.federation import MESSAGE_KIND_LABELS, OutboxMessage, OutboxStatus


class OutboxMessageFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=OutboxStatus.choices, label=_("Status")
    )
    destination = django_filters.ModelChoiceFilter(
        queryset=District.objects.filter(kind="partner"),
        label=_("Destination district"),
    )
    kind = django_filters.ChoiceFilter(
        choices=list(MESSAGE_KIND_LABELS.items()), label=_("Message type")
    )
    q = django_filters.CharFilter(
        field_name="aggregate_key", label=_("Application identifier")
    )

    class Meta:
        model = OutboxMessage
        fields = ["status", "destination", "kind"]
