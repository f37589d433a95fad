import django_filters

from core.models import District
from services.models.federation import MESSAGE_KIND_LABELS, OutboxMessage, OutboxStatus


class OutboxMessageFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OutboxStatus.choices, label="状态")
    destination = django_filters.ModelChoiceFilter(
        queryset=District.objects.filter(kind="partner"), label="目的地区"
    )
    kind = django_filters.ChoiceFilter(
        choices=list(MESSAGE_KIND_LABELS.items()), label="消息类型"
    )
    q = django_filters.CharFilter(field_name="aggregate_key", label="办件标识")

    class Meta:
        model = OutboxMessage
        fields = ["status", "destination", "kind"]
