"""Staff pages of core: the 工作台, the history of any record, personal API tokens."""

from dataclasses import dataclass

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.audit import history_for
from core.errors import DomainError
from core.i18n import join_messages
from core.middleware import domain_error_text
from core.sensitive import check_search


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"


class RecordHistoryView(LoginRequiredMixin, TemplateView):
    """Who changed a record, when, and each field before → after.

    Any scoped model (``core.scoping``): the caller needs the model's view
    permission (else 403, whichever the id) and must be able to read the row by
    its scope (else 404, as for a row that does not exist). Models without a
    scope have no history page.
    """

    template_name = "core/history.html"

    def get_context_data(self, **kwargs):
        from core import scoping

        context = super().get_context_data(**kwargs)
        model = scoped_model(kwargs["app_label"], kwargs["model_name"])
        opts = model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            raise PermissionDenied
        obj = scoping.readable(model, self.request.user).filter(pk=kwargs["pk"]).first()
        if obj is None:
            raise Http404
        context.update(
            object=obj,
            opts=opts,
            events=history_for(obj, user=self.request.user),
        )
        return context


def scoped_model(app_label: str, model_name: str):
    """The model named in a URL, if it has a scope; otherwise 404."""
    from core import scoping

    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if model not in scoping.registered_models():
        raise Http404
    return model


@method_decorator(never_cache, name="dispatch")
class SensitiveRevealView(LoginRequiredMixin, View):
    """POST a reason, get the full ID or phone number of one record (logged by
    ``core.sensitive.reveal``): JSON for the page's script, else a small page."""

    http_method_names = ["post"]

    def post(self, request, app_label, model_name, pk, field):
        from django.contrib import messages
        from django.http import JsonResponse
        from django.shortcuts import redirect, render
        from django.utils.http import url_has_allowed_host_and_scheme

        from core import sensitive
        from core.errors import Forbidden, NotFound

        try:
            obj = sensitive.revealable(
                user=request.user, label=f"{app_label}.{model_name}", pk=pk
            )
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None
        model = type(obj)
        wants_json = "application/json" in request.headers.get("Accept", "")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            back = ""
        try:
            value = sensitive.reveal(
                user=request.user,
                obj=obj,
                field=field,
                reason=request.POST.get("reason", ""),
            )
        except NotFound:
            raise Http404 from None
        except Forbidden:
            raise PermissionDenied from None
        except DomainError as error:
            if wants_json:
                return JsonResponse(
                    {"detail": domain_error_text(error), "errors": error.errors},
                    status=error.status,
                )
            messages.error(request, domain_error_text(error))
            return redirect(back or "home")
        if wants_json:
            return JsonResponse({"field": field, "value": value})
        return render(
            request,
            "core/reveal.html",
            {
                "object": obj,
                "opts": model._meta,
                "label": model._meta.get_field(field).verbose_name,
                "value": value,
                "back": back,
            },
        )


class FilteredListView(LoginRequiredMixin, TemplateView):
    """A staff list page: selector → shared FilterSet → keyset page (no COUNT).

    Subclasses declare ``selector`` (``(*, user) -> QuerySet``), ``filterset_class``,
    ``template_name`` and ``permission_required``. Pages go by ``?after=<id>``
    (newest first), so a page costs the same on a table of millions of rows.
    """

    selector = None
    filterset_class = None
    permission_required: str = ""
    page_size = 50
    max_page_size = 200

    def get_queryset(self):
        return type(self).selector(user=self.request.user)

    def get_page_size(self) -> int:
        raw = self.request.GET.get("page_size")
        if raw is None:
            return self.page_size
        return max(1, min(ascii_int(raw, "page_size"), self.max_page_size))

    def get_context_data(self, **kwargs):
        if self.permission_required and not self.request.user.has_perm(
            self.permission_required
        ):
            raise PermissionDenied
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(
            self.request.GET, queryset=self.get_queryset(), request=self.request
        )
        check_search(filterset)
        rows = (
            filterset.qs.order_by("-pk")
            if filterset.is_valid()
            else filterset.queryset.none()
        )
        after = self.request.GET.get("after")
        if after:
            rows = rows.filter(pk__lt=ascii_int(after, "after"))
        size = self.get_page_size()
        page = list(rows[: size + 1])
        has_next = len(page) > size
        page = page[:size]
        context.update(
            filter=filterset,
            object_list=page,
            next_after=page[-1].pk if has_next else None,
            is_first_page=not after,
        )
        return context


def ascii_int(raw: str, name: str) -> int:
    """A non-negative integer parameter in ASCII digits (``str.isdigit`` also
    accepts "²" and "٣", which ``int`` then refuses), else 400."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        raise BadRequest(f"{name}: not a whole number")
    return int(raw)


# Which uploaded files this app serves itself (a proxy or object storage may serve
# them instead in production), by path prefix under MEDIA_ROOT. Public prefixes
# (team flags and logos) are served to anyone. A private file is served only to
# a user who holds the view permission of the model that stores it and may read
# the record that owns it (``core.scoping``): the same rule as the record's page.
# Applicants' materials, certificates and notices are not here: only their own
# views, which check who may see the record, hand them out.
PUBLIC_MEDIA = ["volunteers/flags/", "volunteers/logos/"]


@dataclass(frozen=True)
class MediaOwner:
    """Files under a prefix are ``<model>.<field>``; ``owner`` names the relation
    to the record whose scope decides (``None``: the row itself)."""

    model: str
    field: str
    owner: str | None = None


PRIVATE_MEDIA: dict[str, MediaOwner] = {
    "volunteers/photos/": MediaOwner("volunteers.ActivityPhoto", "image", "activity"),
    "enforcement/patrols/": MediaOwner("enforcement.PatrolPhoto", "image", "patrol"),
    "enforcement/cases/": MediaOwner("enforcement.EvidencePhoto", "image", "case"),
}


def media_register(prefix: str, owner: MediaOwner | None = None) -> None:
    """Serve files under ``prefix``: publicly (``owner=None``) or as ``owner`` says."""
    if owner is None:
        PUBLIC_MEDIA.append(prefix)
    else:
        PRIVATE_MEDIA[prefix] = owner


def media_readable(user, path: str) -> bool:
    """May ``user`` read the private file at ``path`` (its record is theirs)?"""
    from core import scoping

    owner = next(
        (entry for prefix, entry in PRIVATE_MEDIA.items() if path.startswith(prefix)),
        None,
    )
    if owner is None:
        return False
    model = apps.get_model(owner.model)
    opts = model._meta
    if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
        return False
    row = model._default_manager.filter(**{owner.field: path}).first()
    if row is None:
        return False
    record = getattr(row, owner.owner) if owner.owner else row
    return scoping.can_read(user, record)


@require_safe
def serve_media(request, path: str):
    """Serve an uploaded image: a public one to anyone; a private one to the staff
    who may read the record that owns it (404 to anyone else)."""
    from django.conf import settings
    from django.contrib.auth.views import redirect_to_login
    from django.views.static import serve

    if ".." in path.split("/"):
        raise Http404
    public = any(path.startswith(prefix) for prefix in PUBLIC_MEDIA)
    private = any(path.startswith(prefix) for prefix in PRIVATE_MEDIA)
    if not public and not private:
        raise Http404
    if not public:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not media_readable(request.user, path):
            raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)


def show_domain_error(form, error: DomainError) -> None:
    """Put an action's field errors on the form's fields, the rest on the form."""
    placed = False
    for item in error.errors:
        name = (item.get("field") or "").split(".")[0]
        if name in form.fields:
            form.add_error(name, item["message"])
            placed = True
    if not placed:
        form.add_error(None, domain_error_text(error))


def form_errors_text(form) -> str:
    """All of a form's errors in one message line."""
    return join_messages(e for errors in form.errors.values() for e in errors)


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    days_valid = forms.IntegerField(label=gettext_lazy("Valid for (days)"), min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days_valid"].initial = settings.STAFF_TOKEN_DAYS
        self.fields["days_valid"].max_value = settings.STAFF_TOKEN_MAX_DAYS
        self.fields["days_valid"].widget.attrs["max"] = settings.STAFF_TOKEN_MAX_DAYS


class TokenListView(LoginRequiredMixin, View):
    """个人接口令牌: the signed-in user's own API tokens, a form for a new one
    (its secret is shown once, on the answer to the POST), and revocation."""

    template_name = "core/token_list.html"

    def get(self, request):
        return self.show(request, TokenForm())

    def post(self, request):
        from core.actions import staff_token_issue

        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.show(request, form, status=400)
        try:
            issued = staff_token_issue(
                actor=request.user,
                name=form.cleaned_data["name"],
                days_valid=form.cleaned_data["days_valid"],
            )
        except DomainError as error:
            show_domain_error(form, error)
            return self.show(request, form, status=400)
        return self.show(request, TokenForm(), issued=issued, status=201)

    def show(self, request, form, issued=None, status=200):
        from django.shortcuts import render

        from core.selectors import staff_token_list

        return render(
            request,
            self.template_name,
            {
                "form": form,
                "tokens": staff_token_list(user=request.user),
                "issued": issued,
                "now": timezone.now(),
            },
            status=status,
        )


class TokenRevokeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, prefix):
        from django.contrib import messages
        from django.shortcuts import get_object_or_404, redirect

        from core.actions import staff_token_revoke
        from core.selectors import staff_token_list

        token = get_object_or_404(staff_token_list(user=request.user), prefix=prefix)
        staff_token_revoke(actor=request.user, token=token)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("core:token-list")
