"""Domain errors raised from staff pages become a message and a redirect back."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from pghistory.middleware import HistoryMiddleware

from core.errors import DomainError
from core.i18n import join_messages
from core.navigation import back_url


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        messages.error(request, domain_error_text(exception))
        return redirect(back_url(request))


def domain_error_text(error: DomainError) -> str:
    details = join_messages(
        item["message"] for item in error.errors if item.get("message")
    )
    if not details:
        return error.message
    return _("%(message)s: %(details)s") % {
        "message": error.message,
        "details": details,
    }


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, also recording the user's name for the history pages."""

    def get_context(self, request):
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["user_name"] = user.get_full_name() or user.get_username()
        return context
