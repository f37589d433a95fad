"""Staff pages of core: the 工作台 and the history of any record."""

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.generic import TemplateView

from core.audit import history_for


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"


class RecordHistoryView(LoginRequiredMixin, TemplateView):
    """Who changed a record, when, and each field before → after."""

    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
        except LookupError:
            raise Http404 from None
        opts = model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            raise PermissionDenied
        obj = model._default_manager.filter(pk=kwargs["pk"]).first()
        if obj is None:
            raise Http404
        context.update(
            object=obj,
            opts=opts,
            events=history_for(obj)[:200],
        )
        return context
