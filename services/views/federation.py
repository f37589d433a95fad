"""Staff pages of the outbox: every delivery, its attempts and last error, "retry"."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core.errors import DomainError, NotFound
from core.masking import can_see_sensitive, mask_id, mask_phone
from core.middleware import domain_error_text
from core.views import FilteredListView
from services import outbox
from services.choices import OUTBOX_WORKFLOW
from services.filters.federation import OutboxMessageFilterSet
from services.models import OutboxMessage
from services.selectors.federation import outbox_message_get, outbox_message_list


class OutboxMessageListView(FilteredListView):
    selector = staticmethod(outbox_message_list)
    filterset_class = OutboxMessageFilterSet
    template_name = "services/outbox_list.html"
    permission_required = "services.view_outboxmessage"


class OutboxMessageDetailView(
    LoginRequiredMixin, PermissionRequiredMixin, TemplateView
):
    template_name = "services/outbox_detail.html"
    permission_required = "services.view_outboxmessage"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        message = _get_visible(self.request, kwargs["pk"])
        context["message"] = message
        context["steps"] = OUTBOX_WORKFLOW.allowed(message, self.request.user)
        context["payload"] = json.dumps(
            readable_payload(message.payload, self.request.user),
            ensure_ascii=False,
            indent=2,
        )
        return context


def _get_visible(request, pk) -> OutboxMessage:
    try:
        return outbox_message_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404 from None


def readable_payload(payload, user):
    """The payload as staff may read it: ID and phone numbers masked unless the
    user may see them, file contents replaced by their size."""
    if isinstance(payload, list):
        return [readable_payload(item, user) for item in payload]
    if not isinstance(payload, dict):
        return payload
    shown = {}
    for key, value in payload.items():
        if key == "content_base64":
            shown[key] = _("(%(size)s bytes, left out)") % {"size": len(value) * 3 // 4}
        elif key == "id_number" and not can_see_sensitive(user):
            shown[key] = mask_id(value)
        elif key == "phone" and not can_see_sensitive(user):
            shown[key] = mask_phone(value)
        else:
            shown[key] = readable_payload(value, user)
    return shown


class OutboxMessageRetryView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "services.change_outboxmessage"

    def post(self, request, pk):
        message = _get_visible(request, pk)
        try:
            outbox.message_retry(
                actor=request.user,
                message=message,
                expected_version=request.POST.get("version") or -1,
            )
        except DomainError as error:
            messages.error(request, domain_error_text(error))
        else:
            messages.success(request, _("Delivery will be retried at once"))
        return redirect(message.get_absolute_url())
